import { randomBytes } from "node:crypto";
import { createWriteStream, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { gzipSync } from "node:zlib";
import * as openpgp from "openpgp";
import type { PrivateKey } from "openpgp";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import yazl from "yazl";
import { AppError } from "@/lib/errors";
import { generatePgpKey, readPgpPrivateKey } from "@/lib/keys/generate-pgp-key";
import { GpgHome, hasGpg } from "@/tests/support/gpg";
import { type UnwrapLimits, unwrapSource, type UnwrappedSource } from "./unwrap-source";

let work: string;
let workDir: string;
let key: PrivateKey;
let keyArmoredPublic: string;
let keyFpr: string;

const xmlA = Buffer.from(
  "\ufeff  \n<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<IceChatExport>" +
    "<Conversation><ConversationID>c-1</ConversationID><Message><MessageID>m-1</MessageID><Content>Bid 2.85 Jun é</Content></Message></Conversation>".repeat(200) +
    "</IceChatExport>\n",
);
const xmlB = Buffer.from("<IceChatExport><Conversation><ConversationID>c-2</ConversationID></Conversation></IceChatExport>");

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), "unwrap-test-"));
  const generated = await generatePgpKey({ userId: { email: "unwrap@acme.example" }, type: "ecc" });
  key = await readPgpPrivateKey(generated.privateKeyArmored, generated.passphrase);
  keyArmoredPublic = generated.publicKeyArmored;
  keyFpr = generated.fingerprint;
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

beforeEach(() => {
  workDir = path.join(work, `work-${Math.random().toString(16).slice(2)}`);
  mkdirSync(workDir);
});

let fileCounter = 0;
function writeSource(data: Buffer | string, name = `src-${fileCounter++}`): string {
  const file = path.join(work, name);
  writeFileSync(file, data);
  return file;
}

interface ZipItem {
  name: string;
  data?: Buffer;
  directory?: boolean;
  compress?: boolean;
}

async function makeZip(items: ZipItem[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const item of items) {
    if (item.directory) zip.addEmptyDirectory(item.name);
    else zip.addBuffer(item.data ?? Buffer.alloc(0), item.name, { compress: item.compress ?? true });
  }
  zip.end();
  const file = path.join(work, `zip-${fileCounter++}.zip`);
  await pipeline(zip.outputStream, createWriteStream(file));
  return readFileSync(file);
}

async function encryptTo(data: Buffer, armored = false): Promise<Buffer> {
  const message = await openpgp.createMessage({ binary: data });
  if (armored) return Buffer.from(await openpgp.encrypt({ message, encryptionKeys: key.toPublic() }));
  return Buffer.from(await openpgp.encrypt({ message, encryptionKeys: key.toPublic(), format: "binary" }));
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

interface Collected {
  parts: { name: string; data: Buffer }[];
  result: UnwrappedSource;
}

async function collect(file: string, opts: { keys?: PrivateKey[]; limits?: Partial<UnwrapLimits>; name?: string } = {}): Promise<Collected> {
  const result = unwrapSource({ path: file, name: opts.name, workDir, decryptionKeys: opts.keys ?? [key], limits: opts.limits });
  const parts: { name: string; data: Buffer }[] = [];
  try {
    for await (const part of result.parts) {
      parts.push({ name: part.name, data: await readAll(part.open()) });
    }
  } finally {
    await result.dispose();
  }
  // Every intermediate file is gone after dispose.
  expect(readdirSync(workDir)).toEqual([]);
  return { parts, result };
}

async function expectUnwrapError(file: string, code: string, message: RegExp, opts: Parameters<typeof collect>[1] = {}): Promise<void> {
  let caught: unknown;
  try {
    await collect(file, opts);
  } catch (err) {
    caught = err;
  }
  expect(caught, "expected a failure").toBeInstanceOf(AppError);
  expect((caught as AppError).code).toBe(code);
  expect((caught as AppError).message).toMatch(message);
  expect(readdirSync(workDir)).toEqual([]);
}

describe("unwrapSource: supported combinations", () => {
  it("plain XML (BOM and leading whitespace)", async () => {
    const { parts, result } = await collect(writeSource(xmlA, "day.xml"));
    expect(parts).toEqual([{ name: "day.xml", data: xmlA }]);
    expect(result.skipped).toEqual([]);
  });

  it("gzip > xml, detected by content whatever the name", async () => {
    const { parts } = await collect(writeSource(gzipSync(xmlA), "day.dat"));
    expect(parts).toHaveLength(1);
    expect(parts[0]?.data.equals(xmlA)).toBe(true);
    expect(parts[0]?.name).toBe("day.dat > day.dat");
    const named = await collect(writeSource(gzipSync(xmlA), "day.xml.gz"));
    expect(named.parts[0]?.name).toBe("day.xml.gz > day.xml");
  });

  it("zip > several xml, skipping directories and reporting non-XML and unsafe entries", async () => {
    const zip = await makeZip([
      { name: "exports/", directory: true },
      { name: "exports/a.xml", data: xmlA },
      { name: "exports/b.xml", data: xmlB, compress: false },
      { name: "readme.txt", data: Buffer.from("hello, this is not xml") },
      { name: "xx/evil.xml", data: xmlB },
      { name: "empty.xml", data: Buffer.alloc(0) },
    ]);
    // yazl refuses unsafe names, so patch one in (same length; names are not checksummed).
    const patched = Buffer.from(zip.toString("latin1").split("xx/evil.xml").join("../evil.xml"), "latin1");
    const { parts, result } = await collect(writeSource(patched, "day.zip"));
    expect(parts.map((p) => p.name)).toEqual(["day.zip/exports/a.xml", "day.zip/exports/b.xml"]);
    expect(parts[0]?.data.equals(xmlA)).toBe(true);
    expect(parts[1]?.data.equals(xmlB)).toBe(true);
    expect(result.skipped.map((s) => [s.name, s.reason])).toEqual([
      ["day.zip/readme.txt", "not_xml"],
      ["day.zip/../evil.xml", "unsafe_name"],
      ["day.zip/empty.xml", "not_xml"],
    ]);
    expect(result.skipped[1]?.message).toMatch(/unsafe name \(path traversal/);
    expect(result.skipped[2]?.message).toMatch(/is empty/);
  });

  it("reports absolute entry names", async () => {
    const zip = await makeZip([{ name: "xetc/passwd.xml", data: xmlB }]);
    const patched = Buffer.from(zip.toString("latin1").split("xetc/passwd.xml").join("/etc/passwd.xml"), "latin1");
    const { parts, result } = await collect(writeSource(patched));
    expect(parts).toEqual([]);
    expect(result.skipped[0]?.reason).toBe("unsafe_name");
    expect(result.skipped[0]?.message).toMatch(/absolute path/);
  });

  it("pgp > xml, armored and binary", async () => {
    for (const armored of [true, false]) {
      const { parts } = await collect(writeSource(await encryptTo(xmlA, armored), "day.xml.pgp"));
      expect(parts).toHaveLength(1);
      expect(parts[0]?.name).toBe("day.xml.pgp > day.xml");
      expect(parts[0]?.data.equals(xmlA)).toBe(true);
    }
  });

  it("pgp > gzip > xml", async () => {
    const { parts } = await collect(writeSource(await encryptTo(gzipSync(xmlA)), "day.xml.gz.gpg"));
    expect(parts.map((p) => p.name)).toEqual(["day.xml.gz.gpg > day.xml.gz > day.xml"]);
    expect(parts[0]?.data.equals(xmlA)).toBe(true);
  });

  it("pgp > zip > xml files, and pgp > gzip > zip > xml (three layers)", async () => {
    const zip = await makeZip([
      { name: "a.xml", data: xmlA },
      { name: "b.xml.gz", data: gzipSync(xmlB) },
    ]);
    const { parts } = await collect(writeSource(await encryptTo(zip), "day.zip.pgp"));
    expect(parts.map((p) => p.name)).toEqual(["day.zip.pgp > day.zip/a.xml", "day.zip.pgp > day.zip/b.xml.gz > b.xml"]);
    expect(parts[1]?.data.equals(xmlB)).toBe(true);

    const three = await collect(writeSource(await encryptTo(gzipSync(await makeZip([{ name: "a.xml", data: xmlA }]))), "day.zip.gz.pgp"));
    expect(three.parts).toHaveLength(1);
    expect(three.parts[0]?.data.equals(xmlA)).toBe(true);
  });

  it("zip inside zip", async () => {
    const inner = await makeZip([{ name: "in.xml", data: xmlB }]);
    const outer = await makeZip([{ name: "inner.zip", data: inner }]);
    const { parts } = await collect(writeSource(outer, "outer.zip"));
    expect(parts.map((p) => p.name)).toEqual(["outer.zip/inner.zip/in.xml"]);
  });

  it("parts can be opened again, also after iteration finished", async () => {
    const zip = await makeZip([{ name: "a.xml", data: xmlA }, { name: "b.xml", data: xmlB }]);
    const result = unwrapSource({ path: writeSource(await encryptTo(zip)), workDir, decryptionKeys: [key] });
    try {
      const parts = [];
      for await (const part of result.parts) parts.push(part);
      expect(parts).toHaveLength(2);
      for (const part of parts) {
        const first = await readAll(part.open());
        const second = await readAll(part.open());
        expect(first.equals(second)).toBe(true);
      }
      expect(() => result.parts[Symbol.asyncIterator]()).toThrow(/only once/);
    } finally {
      await result.dispose();
    }
    expect(readdirSync(workDir)).toEqual([]);
  });

  it.skipIf(!hasGpg)("gpg-encrypted zip (real gpg)", async () => {
    const gpg = new GpgHome();
    try {
      gpg.importKey(keyArmoredPublic);
      const zipPath = writeSource(await makeZip([{ name: "a.xml", data: xmlA }]), "g.zip");
      const enc = path.join(work, "g.zip.gpg");
      gpg.encryptFile(zipPath, enc, { recipient: keyFpr, compress: "zlib" });
      const { parts } = await collect(enc);
      expect(parts.map((p) => p.name)).toEqual(["g.zip.gpg > g.zip/a.xml"]);
      expect(parts[0]?.data.equals(xmlA)).toBe(true);
    } finally {
      gpg.dispose();
    }
  });
});

describe("unwrapSource: hostile and broken input", () => {
  it("refuses nesting beyond the depth limit", async () => {
    const fourGzips = gzipSync(gzipSync(gzipSync(gzipSync(xmlB))));
    await expectUnwrapError(writeSource(fourGzips, "deep.gz"), "source_invalid", /wrapped more than 3 layers deep \(gzip > gzip > gzip > gzip > \.\.\.\)/);
    // Exactly three layers is fine.
    const { parts } = await collect(writeSource(gzipSync(gzipSync(gzipSync(xmlB)))));
    expect(parts[0]?.data.equals(xmlB)).toBe(true);
    // A lower limit applies to zip nesting as well.
    const inner = await makeZip([{ name: "in.xml", data: xmlB }]);
    const outer = await makeZip([{ name: "inner.zip", data: inner }]);
    await expectUnwrapError(writeSource(outer), "source_invalid", /more than 1 layers deep \(zip > zip/, { limits: { maxDepth: 1 } });
  });

  it("stops a gzip bomb at the per-stream limit", async () => {
    const bomb = gzipSync(Buffer.concat([Buffer.from("<a>"), Buffer.alloc(20 * 1024 * 1024)]));
    expect(bomb.length).toBeLessThan(50_000);
    await expectUnwrapError(writeSource(bomb, "bomb.xml.gz"), "source_invalid", /more than the allowed 1 MiB \(possible decompression bomb\)/, {
      limits: { maxStreamBytes: 1024 * 1024 },
    });
  });

  it("stops many small bombs at the total limit", async () => {
    const piece = gzipSync(Buffer.concat([Buffer.from("<a>"), Buffer.alloc(600 * 1024)]));
    const zip = await makeZip(Array.from({ length: 5 }, (_, i) => ({ name: `p${i}.xml.gz`, data: piece })));
    await expectUnwrapError(writeSource(zip, "many.zip"), "source_invalid", /more than the allowed 2 MiB in total/, {
      limits: { maxStreamBytes: 1024 * 1024, maxTotalBytes: 2 * 1024 * 1024 },
    });
  });

  it("refuses zip entries whose declared size exceeds the limit", async () => {
    const zip = await makeZip([{ name: "big.xml", data: Buffer.concat([Buffer.from("<a>"), Buffer.alloc(3 * 1024 * 1024)]) }]);
    await expectUnwrapError(writeSource(zip), "source_invalid", /declares 3145731 bytes, more than the allowed 1 MiB/, {
      limits: { maxStreamBytes: 1024 * 1024 },
    });
  });

  it("refuses archives with too many entries", async () => {
    const zip = await makeZip(Array.from({ length: 12 }, (_, i) => ({ name: `f${i}.xml`, data: xmlB })));
    await expectUnwrapError(writeSource(zip), "source_invalid", /lists 12 entries, more than the allowed 10/, { limits: { maxZipEntries: 10 } });
  });

  it("stops a PGP-wrapped bomb", async () => {
    const enc = await encryptTo(Buffer.concat([Buffer.from("<a>"), Buffer.alloc(5 * 1024 * 1024)]));
    await expectUnwrapError(writeSource(enc, "bomb.pgp"), "crypto_failed", /more than the allowed 1 MiB/, { limits: { maxStreamBytes: 1024 * 1024 } });
  });

  it("detects a damaged stored zip entry by its CRC", async () => {
    const zip = await makeZip([{ name: "a.xml", data: xmlA, compress: false }]);
    const at = zip.indexOf(Buffer.from("<Message>"));
    expect(at).toBeGreaterThan(0);
    zip[at + 1] = 0x58; // 'M' -> 'X': still XML-looking, wrong bytes
    await expectUnwrapError(writeSource(zip), "source_invalid", /damaged \(CRC-32 mismatch\)/);
  });

  it("rejects damaged gzip and truncated zip", async () => {
    const gz = gzipSync(xmlA);
    await expectUnwrapError(writeSource(gz.subarray(0, Math.floor(gz.length / 2))), "source_invalid", /damaged gzip data/);
    const zip = await makeZip([{ name: "a.xml", data: xmlA }]);
    await expectUnwrapError(writeSource(zip.subarray(0, zip.length - 30)), "source_invalid", /not a readable zip archive/);
  });

  it("rejects garbage, empty files and non-XML inside gzip", async () => {
    await expectUnwrapError(writeSource(randomBytes(2000).fill(0x41, 0, 1)), "source_invalid", /is not XML, gzip, zip or OpenPGP \(starts with 41 /);
    await expectUnwrapError(writeSource(Buffer.alloc(0), "empty.xml"), "source_invalid", /"empty.xml" is empty/);
    await expectUnwrapError(writeSource(gzipSync("just text")), "source_invalid", /is not XML, gzip, zip or OpenPGP/);
  });

  it("needs a key for PGP content and reports decryption failures", async () => {
    const enc = writeSource(await encryptTo(xmlB));
    await expectUnwrapError(enc, "crypto_failed", /PGP-encrypted but no decryption key is configured/, { keys: [] });
    const other = await generatePgpKey({ userId: { email: "other@acme.example" }, type: "ecc" });
    const otherKey = await readPgpPrivateKey(other.privateKeyArmored, other.passphrase);
    await expectUnwrapError(enc, "crypto_failed", /none of the configured keys match/, { keys: [otherKey] });
  });

  it("cleans up when the consumer stops early", async () => {
    const zip = await makeZip([{ name: "a.xml", data: xmlA }, { name: "b.xml", data: xmlB }]);
    const result = unwrapSource({ path: writeSource(await encryptTo(zip)), workDir, decryptionKeys: [key] });
    for await (const part of result.parts) {
      part.open().destroy();
      break;
    }
    expect(readdirSync(workDir)).toHaveLength(1); // the decrypted zip, until dispose
    await result.dispose();
    expect(readdirSync(workDir)).toEqual([]);
  });
});
