// Hostile and broken input: every case must end in a clear AppError("source_invalid"),
// without expanding entities, fetching anything, hanging, or buffering without bound.

import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { parseIceChatExport, type ParseExportOptions } from "./parse-export";
import { chunkBytes, exportOf, formatDocSample, message, parseChunks, parseXml, toBytes } from "./parse-test-support";

async function rejectionOf(
  input: string | Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>,
  options?: ParseExportOptions,
): Promise<AppError> {
  const chunks = typeof input === "string" || input instanceof Uint8Array ? [toBytes(input)] : input;
  try {
    await parseChunks(chunks, options);
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe("source_invalid");
    return err as AppError;
  }
  throw new Error("expected the export to be rejected");
}

/** An endless (but bounded, so a bug fails instead of hanging) stream: prefix, then filler. */
function endless(prefix: string, filler: string, maxBytes = 256 * 1024 * 1024): { source: AsyncIterable<Uint8Array>; pulled: () => number } {
  let pulled = 0;
  const head = Buffer.from(prefix);
  const chunk = Buffer.from(filler.repeat(Math.ceil(65536 / filler.length)));
  return {
    pulled: () => pulled,
    source: (async function* () {
      pulled += head.length;
      yield head;
      while (pulled < maxBytes) {
        pulled += chunk.length;
        yield chunk;
      }
    })(),
  };
}

const MIB = 1024 * 1024;

describe("DOCTYPE and entities", () => {
  it("refuses a billion-laughs DOCTYPE without expanding it", async () => {
    const lol = Array.from({ length: 9 }, (_, i) =>
      i === 0 ? '<!ENTITY lol0 "lol">' : `<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">`,
    ).join("\n");
    const err = await rejectionOf(`<?xml version="1.0"?>\n<!DOCTYPE IceChatExport [\n${lol}\n]>\n<IceChatExport>&lol8;</IceChatExport>`);
    expect(err.message).toMatch(/DOCTYPE declarations are not allowed/);
    expect(err.message).toMatch(/line \d+, column \d+/);
  });

  it("refuses an external entity (file:///etc/passwd) and an external DTD", async () => {
    const xxe = await rejectionOf(
      `<?xml version="1.0"?><!DOCTYPE IceChatExport [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>` +
        exportOf(`<Conversation><ConversationID>&xxe;</ConversationID></Conversation>`).replace(/^<\?xml[^>]*>/, ""),
    );
    expect(xxe.message).toMatch(/DOCTYPE/);
    expect(xxe.message).not.toMatch(/root:/);
    const dtd = await rejectionOf(`<!DOCTYPE IceChatExport SYSTEM "http://127.0.0.1:9/ice.dtd"><IceChatExport/>`);
    expect(dtd.message).toMatch(/DOCTYPE/);
  });

  it("refuses an entity reference that no DOCTYPE defines", async () => {
    const err = await rejectionOf(exportOf(`<Conversation><ConversationID>&xxe;</ConversationID></Conversation>`));
    expect(err.message).toMatch(/not well-formed XML: undefined entity/);
  });

  it("refuses a DOCTYPE that never ends, while it is still growing", async () => {
    const { source, pulled } = endless('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "', "a");
    const err = await rejectionOf(source, { maxTextLength: 1000, maxAttributeLength: 1000, maxAttachmentDataLength: 1000 });
    expect(err.message).toMatch(/exceeds \d+ characters/);
    expect(pulled()).toBeLessThan(2 * MIB);
  });
});

describe("size and depth caps", () => {
  it("refuses deep nesting", async () => {
    const deep = `<IceChatExport>${"<a>".repeat(10_000)}${"</a>".repeat(10_000)}</IceChatExport>`;
    const err = await rejectionOf(deep);
    expect(err.message).toMatch(/nested deeper than 64 levels/);
    const ok = await parseXml(`<IceChatExport>${"<a>".repeat(10)}${"</a>".repeat(10)}</IceChatExport>`, { maxDepth: 11 });
    expect(ok.stats.unknownElements.get("a")).toBe(10); // unknown wrappers are transparent: each one counts
    await expect(parseXml(`<IceChatExport>${"<a>".repeat(11)}${"</a>".repeat(11)}</IceChatExport>`, { maxDepth: 11 })).rejects.toThrow(/deeper than 11/);
  });

  it("refuses endless nesting from a stream", async () => {
    const { source, pulled } = endless("<IceChatExport>", "<Conversation>");
    await rejectionOf(source);
    expect(pulled()).toBeLessThan(MIB);
  });

  it("refuses a text field over its cap (default 1 MiB)", async () => {
    const err = await rejectionOf(
      exportOf(`<Conversation><ConversationID>c1</ConversationID>${message("m1", `<Content>${"x".repeat(MIB + 1)}</Content>`)}</Conversation>`),
    );
    expect(err.message).toMatch(/text of <Content> exceeds 1048576 characters/);
    const cdata = await rejectionOf(
      exportOf(`<Conversation><ConversationID>c1</ConversationID>${message("m1", `<Content>ab<![CDATA[${"x".repeat(50)}]]>cd</Content>`)}</Conversation>`),
      { maxTextLength: 40 },
    );
    expect(cdata.message).toMatch(/exceeds 40 characters/);
  });

  it("allows attachment data up to its own, larger cap", async () => {
    const data = Buffer.alloc(1500, 7).toString("base64"); // 2000 characters
    const xml = exportOf(
      `<Conversation><ConversationID>c1</ConversationID>${message("m1", `<SenderImId>a@ice</SenderImId><Attachment><Data>${data}</Data></Attachment>`)}</Conversation>`,
    );
    const ok = await parseXml(xml, { maxTextLength: 100, maxAttachmentDataLength: 2000 });
    expect(ok.items[0]!.attachments[0]!.data.length).toBe(1500);
    const err = await rejectionOf(xml, { maxTextLength: 100, maxAttachmentDataLength: 1999 });
    expect(err.message).toMatch(/text of <Data> exceeds 1999 characters/);
  });

  it("refuses an endless text node in an unknown element while it is still growing", async () => {
    const { source, pulled } = endless("<IceChatExport><Junk>", "spam ");
    const err = await rejectionOf(source, { maxTextLength: 1000, maxAttributeLength: 1000, maxAttachmentDataLength: 1000 });
    expect(err.message).toMatch(/an XML text, tag, comment or DOCTYPE exceeds \d+ characters/);
    expect(pulled()).toBeLessThan(2 * MIB);
  });

  it("refuses an endless text node with the default caps before 16 MiB + slack", async () => {
    const { source, pulled } = endless("<IceChatExport><Conversation><Junk>", "0123456789abcdef");
    await rejectionOf(source);
    expect(pulled()).toBeGreaterThan(16 * MIB);
    expect(pulled()).toBeLessThan(18 * MIB);
  });

  it("refuses an endless comment", async () => {
    const { source, pulled } = endless("<IceChatExport><!--", "blah ");
    await rejectionOf(source, { maxTextLength: 1000, maxAttributeLength: 1000, maxAttachmentDataLength: 1000 });
    expect(pulled()).toBeLessThan(2 * MIB);
  });

  it("refuses a huge attribute, an endless one, and too many attributes", async () => {
    const huge = await rejectionOf(exportOf(`<Conversation id="${"x".repeat(MIB + 1)}"/>`));
    expect(huge.message).toMatch(/attribute id exceeds 1048576 characters/);
    const { source, pulled } = endless('<IceChatExport firmCode="', "x");
    await rejectionOf(source, { maxTextLength: 1000, maxAttributeLength: 1000, maxAttachmentDataLength: 1000 });
    expect(pulled()).toBeLessThan(2 * MIB);
    const many = Array.from({ length: 300 }, (_, i) => `a${i}="1"`).join(" ");
    const tooMany = await rejectionOf(exportOf(`<Conversation ${many}/>`));
    expect(tooMany.message).toMatch(/more than 256 attributes/);
  });

  it("bounds the distinct unknown names it remembers", async () => {
    const junk = Array.from({ length: 1500 }, (_, i) => `<J${i}/>`).join("");
    const { stats } = await parseXml(exportOf(junk));
    expect(stats.unknownElements.size).toBe(1001);
    expect(stats.unknownElements.get("(other)")).toBe(500);
  });
});

describe("broken bytes and broken XML", () => {
  it.each([
    ["a broken 2-byte sequence", [0xc3, 0x28]],
    ["an overlong encoding", [0xc0, 0xaf]],
    ["an encoded surrogate", [0xed, 0xa0, 0x80]],
    ["a byte that never starts UTF-8", [0xff]],
  ])("refuses invalid UTF-8: %s", async (_name, bad) => {
    const [before, after] = exportOf(`<Conversation><ConversationID>cX</ConversationID></Conversation>`).split("X") as [string, string];
    const bytes = Buffer.concat([Buffer.from(before), Buffer.from(bad), Buffer.from(after)]);
    const err = await rejectionOf(bytes);
    expect(err.message).toMatch(/invalid UTF-8 within bytes/);
    // Split anywhere, the verdict is the same.
    await rejectionOf(chunkBytes(bytes, [1]));
  });

  it("refuses a multi-byte character cut off at the end of the file", async () => {
    const bytes = Buffer.concat([Buffer.from("<IceChatExport></IceChatExport>"), Buffer.from([0xe2, 0x82])]);
    expect((await rejectionOf(bytes)).message).toMatch(/invalid UTF-8 at the end of the file/);
  });

  it("refuses a declared encoding other than UTF-8", async () => {
    const err = await rejectionOf(`<?xml version="1.0" encoding="ISO-8859-1"?><IceChatExport/>`);
    expect(err.message).toMatch(/unsupported encoding "ISO-8859-1": only UTF-8/);
    await rejectionOf(chunkBytes(toBytes(`<?xml version="1.0" encoding='windows-1252'?><IceChatExport/>`), [1]));
    const ok = await parseXml(`<?xml version="1.0" encoding="utf-8"?><IceChatExport/>`);
    expect(ok.records).toEqual([]);
  });

  it("refuses a file truncated anywhere, yielding only the messages completed before the cut", async () => {
    const sample = formatDocSample();
    const end = sample.lastIndexOf("</IceChatExport>") + "</IceChatExport>".length;
    const firstMessageEnd = sample.indexOf("</Message>") + "</Message>".length;
    for (let cut = 1; cut < end; cut += 7) {
      const parse = parseIceChatExport([Buffer.from(sample.slice(0, cut))]);
      const seen: string[] = [];
      let error: unknown;
      try {
        for await (const record of parse) if (record.kind === "item") seen.push(record.item.messageId);
      } catch (err) {
        error = err;
      }
      expect(error, `cut at ${cut}`).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe("source_invalid");
      expect(seen.length, `cut at ${cut}`).toBe(cut >= firstMessageEnd ? (cut >= sample.lastIndexOf("</Message>") + 10 ? 2 : 1) : 0);
    }
    const inMessage = await rejectionOf(sample.slice(0, firstMessageEnd - 20));
    expect(inMessage.message).toMatch(/the file is truncated: it ends inside <Content>/);
  });

  it("hands over the messages completed before a structural error, then throws", async () => {
    const xml = exportOf(
      `<Conversation><ConversationID>c1</ConversationID>${message("m1", "<SenderImId>a@ice</SenderImId>")}<</Conversation>`,
    );
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const record of parseIceChatExport([toBytes(xml)])) if (record.kind === "item") seen.push(record.item.messageId);
      })(),
    ).rejects.toThrow(/not well-formed XML/);
    expect(seen).toEqual(["m1"]);
  });

  it.each([
    ["plain text", "hello world", /not XML \(starts with bytes 68 65 6c 6c\)/],
    ["gzip", Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00]), /gzip data, decompress it first/],
    ["zip", Buffer.from("PK\u0003\u0004rest"), /a zip archive, extract it first/],
    ["armored PGP", "-----BEGIN PGP MESSAGE-----\n\nwcBMA\n", /armored text, PGP\?/],
    ["binary PGP", Buffer.from([0xc1, 0x0c, 0x03, 0x00]), /binary data, PGP-encrypted\?/],
    ["JSON", '  {"IceChatExport": []}', /not XML/],
  ])("refuses %s that is not XML, saying what it looks like", async (_name, input, pattern) => {
    const err = await rejectionOf(input);
    expect(err.message).toMatch(pattern);
  });

  it("refuses an empty file and a blank one", async () => {
    expect((await rejectionOf([])).message).toMatch(/the file is empty/);
    expect((await rejectionOf([Buffer.alloc(0)])).message).toMatch(/the file is empty/);
    expect((await rejectionOf(" \n\t ")).message).toMatch(/not well-formed XML: document must contain a root element/);
  });

  it("refuses content after the root element", async () => {
    expect((await rejectionOf("<IceChatExport/>garbage")).message).toMatch(/text data outside of root node/);
    expect((await rejectionOf("<IceChatExport/><IceChatExport/>")).message).toMatch(/only one root/);
    await parseXml("<IceChatExport/>\n  <!-- trailing comment is fine -->\n");
  });

  it("refuses another document type and mismatched tags", async () => {
    expect((await rejectionOf("<html><body/></html>")).message).toMatch(/root element <html> is not an ICE Chat export/);
    expect((await rejectionOf("<IceChatExport><Conversation></Message></IceChatExport>")).message).toMatch(/not well-formed XML/);
    expect((await rejectionOf("<IceChatExport><Content>&#0;</Content></IceChatExport>")).message).toMatch(/not well-formed XML/);
  });

  it("names the source in its messages", async () => {
    const err = await rejectionOf("<IceChatExport>", { sourceName: "ICECHAT_001.xml" });
    expect(err.message).toMatch(/^ICE Chat export "ICECHAT_001.xml" rejected: the file is truncated: it ends inside <IceChatExport>/);
  });
});
