import { simpleParser, type AddressObject, type ParsedMail } from "mailparser";
import { describe, expect, it } from "vitest";
import { ANN, JOHN, sampleChatItem } from "@/lib/email/__fixtures__/sample-chat-item";
import { buildMimeMessage, internetMessageIdOf } from "@/lib/email/build-mime";
import { conversationThreadIdOf } from "@/lib/email/message-identity";
import { AppError } from "@/lib/errors";
import type { ChatItem } from "@/lib/ice-chat/types";

function addressesOf(field: AddressObject | AddressObject[] | undefined) {
  const list = field === undefined ? [] : Array.isArray(field) ? field : [field];
  return list.flatMap((a) => a.value.map((v) => ({ name: v.name, address: v.address })));
}

async function parsed(item: ChatItem, options?: Parameters<typeof buildMimeMessage>[1]): Promise<{ raw: Buffer; mail: ParsedMail }> {
  const raw = await buildMimeMessage(item, options);
  return { raw, mail: await simpleParser(raw) };
}

/** Header names of the top-level header block, lower case, in order. */
function topHeaderNames(raw: Buffer): string[] {
  const text = raw.toString("latin1");
  const head = text.slice(0, text.indexOf("\r\n\r\n"));
  return head
    .split("\r\n")
    .filter((line) => !/^[ \t]/.test(line))
    .map((line) => line.slice(0, line.indexOf(":")).toLowerCase());
}

describe("buildMimeMessage", () => {
  it("round-trips headers, body context and attachments through mailparser", async () => {
    const item = sampleChatItem();
    const { raw, mail } = await parsed(item);

    expect(addressesOf(mail.from)).toEqual([{ name: "Ann Lee", address: "ann.lee@broker.example" }]);
    expect(addressesOf(mail.to)).toEqual([{ name: "John Smith", address: "john.smith@acme.example" }]);
    expect(mail.date?.toISOString()).toBe("2026-11-22T13:04:02.000Z"); // RFC 5322 dates have whole seconds
    expect(mail.subject).toBe("ICE Chat: NatGas Brokers");

    const messageId = internetMessageIdOf("ACME01", "c-20261122-88412", "m-000002");
    expect(messageId).toMatch(/^<[0-9a-f]{64}@ice-chat\.acme01\.invalid>$/);
    expect(mail.messageId).toBe(messageId);
    const threadId = conversationThreadIdOf("ACME01", "c-20261122-88412");
    expect(mail.inReplyTo).toBe(threadId);
    expect(mail.references).toBe(threadId);

    const h = mail.headers;
    expect(h.get("x-ice-conversationid")).toBe("c-20261122-88412");
    expect(h.get("x-ice-roomid")).toBe("R-88412");
    expect(h.get("x-ice-messageid")).toBe("m-000002");
    expect(h.get("x-ice-sender-imid")).toBe("alee@ice.broker");
    expect(h.get("x-ice-recipient-imids")).toBe("jsmith@ice.acme");
    expect(h.get("x-ice-timestamp")).toBe("2026-11-22T13:04:02.250Z");
    expect(topHeaderNames(raw)).toEqual(expect.arrayContaining(["x-ice-conversationid", "x-ice-roomid"]));
    expect(raw.toString("latin1")).toMatch(/^X-ICE-ConversationID: c-20261122-88412\r\n/m);
    expect(raw.toString("latin1")).toMatch(/^X-ICE-Recipient-ImIds: jsmith@ice\.acme\r\n/m);

    expect(mail.attachments).toHaveLength(1);
    const attachment = mail.attachments[0];
    expect(attachment?.filename).toBe("curve.csv");
    expect(attachment?.contentType).toBe("text/csv");
    expect(attachment?.content.toString("utf8")).toBe("month,price\nJun,2.87\n");

    const text = mail.text ?? "";
    expect(text).toContain("Offer 2.87, see attached curve");
    expect(text).toContain("Room: NatGas Brokers (R-88412, GROUP)");
    expect(text).toContain("Time: 2026-11-22 13:04:02.250 UTC");
    expect(text).toContain("From: Ann Lee (alee@ice.broker, ann.lee@broker.example, Broker Ltd)");
    expect(text).toContain("Participants present: John Smith (jsmith@ice.acme, john.smith@acme.example, ACME Energy); Ann Lee");
    expect(text).toContain("This conversation is recorded for compliance purposes.");
    expect(text).toContain("curve.csv (21 bytes)"); // the sample declares 24, but its data holds 21 bytes
    const html = typeof mail.html === "string" ? mail.html : "";
    expect(html).toContain("Offer 2.87, see attached curve");
    expect(html).toContain("NatGas Brokers");
  });

  it("is deterministic: same item, same Message-ID and identical bytes", async () => {
    const a = await buildMimeMessage(sampleChatItem());
    const b = await buildMimeMessage(sampleChatItem());
    expect(a.equals(b)).toBe(true);
    const other = await buildMimeMessage(sampleChatItem({ messageId: "m-000003" }));
    expect(other.equals(a)).toBe(false);
    expect((await simpleParser(other)).messageId).not.toBe((await simpleParser(a)).messageId);
  });

  it("uses the caller's address resolution and the configured firm code", async () => {
    const { mail } = await parsed(sampleChatItem(), {
      firmCode: "Other Firm",
      addressOf: (user) => (user.imId === "alee@ice.broker" ? "Ann.Mailbox@Contoso.example" : "not valid"),
    });
    expect(addressesOf(mail.from)).toEqual([{ name: "Ann Lee", address: "ann.mailbox@contoso.example" }]);
    // An unusable address is replaced by a placeholder, never written raw.
    expect(addressesOf(mail.to)).toEqual([{ name: "John Smith", address: "unknown-user@ice-chat.other-firm.invalid" }]);
    expect(mail.messageId).toBe(internetMessageIdOf("Other Firm", "c-20261122-88412", "m-000002"));
  });

  it("names a P2P chat without a room name after its participants", async () => {
    const item = sampleChatItem();
    const { mail } = await parsed({ ...item, context: { ...item.context, roomName: undefined, roomType: "P2P" } });
    expect(mail.subject).toBe("ICE Chat: Ann Lee, John Smith");
  });

  it("allows no header injection through room name, sender name or ImIds", async () => {
    const evil = "Evil\r\nBcc: victim@attacker.example\r\nX-Injected: 1";
    const item = sampleChatItem({
      messageId: "m\r\nX-Injected: 2",
      conversationId: "c\nX-Injected: 3",
      sender: { imId: `alee@ice.broker\r\nX-Injected: 4`, firstName: evil, email: "ann.lee@broker.example" },
      recipients: [{ imId: "jsmith@ice.acme\r\nX-Injected: 5", email: "john.smith@acme.example" }],
    });
    item.context = { ...item.context, roomId: "R\r\nX-Injected: 6", roomName: evil };
    item.attachments = [{ fileName: "a\r\nX-Injected: 7.txt", contentType: "text/plain\r\nX-Injected: 8", data: Buffer.from("x") }];
    const { raw, mail } = await parsed(item);

    const names = topHeaderNames(raw);
    expect(names).not.toContain("bcc");
    expect(names).not.toContain("x-injected");
    const raws = raw.toString("latin1");
    expect(raws.slice(0, raws.indexOf("\r\n\r\n"))).not.toMatch(/\r\n(X-Injected|Bcc):/i);
    // Part headers too: the attachment's name and type were hostile.
    for (const partHead of raws.matchAll(/\r\n--[^\r\n]+\r\n([\s\S]*?)\r\n\r\n/g)) {
      expect(partHead[1]).not.toMatch(/(^|\r\n)X-Injected:/i);
    }
    expect(mail.attachments[0]?.headers.has("x-injected")).toBe(false);
    expect(new Set(names)).toEqual(
      new Set([
        "content-type",
        "from",
        "to",
        "subject",
        "message-id",
        "in-reply-to",
        "references",
        "date",
        "mime-version",
        "x-ice-conversationid",
        "x-ice-messageid",
        "x-ice-timestamp",
        "x-ice-sender-imid",
        "x-ice-roomid",
        "x-ice-recipient-imids",
      ]),
    );
    expect(mail.subject).toBe("ICE Chat: Evil Bcc: victim@attacker.example X-Injected: 1");
    expect(mail.headers.get("x-ice-messageid")).toBe("m X-Injected: 2");
    expect(mail.bcc).toBeUndefined();
    // (mailparser would guess text/plain from ".txt"; the written type is what matters)
    expect(raws).toContain('Content-Type: application/octet-stream; name="a X-Injected: 7.txt"');
    expect(mail.attachments[0]?.filename).toBe("a X-Injected: 7.txt");
  });

  it("cannot be split by content that imitates a MIME boundary", async () => {
    const plain = await buildMimeMessage(sampleChatItem());
    const boundary = /boundary="([^"]+)"/.exec(plain.toString("latin1"))?.[1] ?? "";
    expect(boundary).not.toBe("");
    const forged = `hi\r\n--${boundary}\r\nContent-Type: text/html\r\n\r\n<b>forged part</b>\r\n--${boundary}--\r\n`;
    const { raw, mail } = await parsed(sampleChatItem({ content: forged }));
    expect(raw.toString("latin1")).not.toContain(`boundary="${boundary}"`);
    expect(mail.attachments).toHaveLength(1);
    expect(mail.text).toContain("forged part");
  });

  it("escapes hostile HTML in content and names", async () => {
    const item = sampleChatItem({
      content: `<script>alert(1)</script><img src=http://tracker.example/p.gif onerror="x()">`,
      sender: { imId: "alee@ice.broker", firstName: "<b>Ann</b>", email: "ann.lee@broker.example" },
    });
    const { mail } = await parsed(item);
    const html = typeof mail.html === "string" ? mail.html : "";
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toContain("<b>Ann</b>");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain("&lt;img src=http://tracker.example/p.gif onerror=&quot;x()&quot;&gt;");
    expect(mail.text).toContain("<script>alert(1)</script>");
  });

  it("round-trips unicode content, names and file names", async () => {
    const content = "Prix: 2,87 € — 東京 ✅ 𝄞 Zürich\nsecond line";
    const item = sampleChatItem({
      content,
      sender: { imId: "alee@ice.broker", firstName: "Zoë", lastName: "Ångström-李", email: "ann.lee@broker.example" },
      attachments: [{ fileName: "Kurve €.csv", contentType: "text/csv", data: Buffer.from("ä,ö\n", "utf8") }],
    });
    item.context = { ...item.context, roomName: "Énergie 東京" };
    const { mail } = await parsed(item);
    expect(mail.subject).toBe("ICE Chat: Énergie 東京");
    expect(addressesOf(mail.from)[0]?.name).toBe("Zoë Ångström-李");
    expect(mail.text).toContain(content);
    expect(typeof mail.html === "string" && mail.html.includes("東京 ✅ 𝄞")).toBe(true);
    expect(mail.attachments[0]?.filename).toBe("Kurve €.csv");
    expect(mail.attachments[0]?.content.toString("utf8")).toBe("ä,ö\n");
  });

  it("keeps the bytes of several and binary attachments", async () => {
    const binary = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 31) % 256));
    const item = sampleChatItem({
      attachments: [
        { fileName: "bin.dat", contentType: "application/x-weird", data: binary },
        { fileName: "", contentType: "message/rfc822", data: Buffer.from("From: x\r\n\r\nbody") },
        { fileName: "../../etc/passwd", contentType: "", data: Buffer.alloc(0) },
      ],
    });
    const { mail } = await parsed(item);
    expect(mail.attachments.map((a) => [a.filename, a.contentType, a.size])).toEqual([
      ["bin.dat", "application/x-weird", 3000],
      ["attachment-2", "application/octet-stream", 15],
      [".._.._etc_passwd", "application/octet-stream", 0],
    ]);
    expect(mail.attachments[0]?.content.equals(binary)).toBe(true);
  });

  it("handles a message without recipients, context or attachments", async () => {
    const item: ChatItem = {
      conversationId: "c1",
      messageId: "m1",
      timestamp: new Date("2026-01-02T03:04:05Z"),
      sender: { imId: "solo@ice.acme" },
      recipients: [],
      content: "",
      attachments: [],
      context: { conversationId: "c1", participants: [], disclaimers: [] },
    };
    const { mail } = await parsed(item);
    expect(mail.to).toBeUndefined();
    // The display name equals the address, so MailComposer writes the bare address.
    expect(addressesOf(mail.from)).toEqual([{ name: "", address: "solo@ice.acme" }]);
    expect(mail.subject).toBe("ICE Chat: solo@ice.acme");
    expect(mail.messageId).toBe(internetMessageIdOf(undefined, "c1", "m1"));
    expect(mail.messageId).toMatch(/@ice-chat\.unknown\.invalid>$/);
  });

  it("refuses an item with an invalid timestamp with an AppError", async () => {
    await expect(buildMimeMessage(sampleChatItem({ timestamp: new Date(Number.NaN) }))).rejects.toBeInstanceOf(AppError);
  });

  it("uses the participant records for names missing from the message", async () => {
    const { mail } = await parsed(sampleChatItem({ sender: { imId: "ALEE@ice.broker" }, recipients: [JOHN, ANN] }));
    expect(addressesOf(mail.from)).toEqual([{ name: "Ann Lee", address: "ann.lee@broker.example" }]);
    expect(addressesOf(mail.to).map((a) => a.address)).toEqual(["john.smith@acme.example", "ann.lee@broker.example"]);
  });
});
