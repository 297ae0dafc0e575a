// The test-support day generator, checked against the parser: what it writes (plain, gzip,
// zip, PGP) parses back to exactly the messages its manifest announces.

import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { createGunzip, gunzipSync } from "node:zlib";
import * as openpgp from "openpgp";
import yauzl from "yauzl";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatUserMappingCsv, generateDay, writeUserMappingCsv, type DayManifest } from "@/tests/support/ice-chat-generator";
import { parseIceChatExport } from "./parse-export";
import type { ChatItem } from "./types";
import { itemKeyOf } from "./types";

let workDir: string;
beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), "ice-chat-gen-"));
});
afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

interface Parsed {
  items: ChatItem[];
  errors: number;
  unknown: number;
}

async function parseStream(input: AsyncIterable<Uint8Array>, into: Parsed): Promise<number> {
  let count = 0;
  const parse = parseIceChatExport(input);
  for await (const record of parse) {
    if (record.kind === "item") {
      into.items.push(record.item);
      count++;
    } else {
      into.errors++;
    }
  }
  into.unknown += [...parse.stats.unknownElements.values()].reduce((a, b) => a + b, 0);
  return count;
}

function emptyParsed(): Parsed {
  return { items: [], errors: 0, unknown: 0 };
}

async function zipEntries(zipPath: string): Promise<Array<{ name: string; bytes: Buffer }>> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(zipPath, { lazyEntries: true }, (err, file) => (err ? reject(err) : resolve(file))),
  );
  const entries: Array<{ name: string; bytes: Buffer }> = [];
  await new Promise<void>((resolve, reject) => {
    zip.on("error", reject);
    zip.on("end", () => resolve());
    zip.on("entry", (entry: yauzl.Entry) => {
      zip.openReadStream(entry, (err, stream) => {
        if (err) return reject(err);
        const parts: Buffer[] = [];
        stream.on("data", (c: Buffer) => parts.push(c));
        stream.on("error", reject);
        stream.on("end", () => {
          entries.push({ name: entry.fileName, bytes: Buffer.concat(parts) });
          zip.readEntry();
        });
      });
    });
    zip.readEntry();
  });
  return entries;
}

/** Checks the parsed items against everything the manifest promises. */
function expectMatchesManifest(parsed: Parsed, manifest: DayManifest): void {
  expect(parsed.errors).toBe(0);
  expect(parsed.items).toHaveLength(manifest.totalMessages);
  const byKey = new Map(parsed.items.map((item) => [itemKeyOf(item), item]));
  expect(byKey.size).toBe(manifest.totalMessages); // no duplicates across files
  expect(new Set(parsed.items.map((i) => i.conversationId)).size).toBe(manifest.conversations);

  const perUser = new Map<string, number>();
  for (const item of parsed.items) {
    for (const imId of new Set([item.sender.imId, ...item.recipients.map((r) => r.imId)])) {
      perUser.set(imId, (perUser.get(imId) ?? 0) + 1);
    }
  }
  expect(Object.fromEntries(perUser)).toEqual(manifest.itemsPerUser);

  expect(manifest.samples.length).toBeGreaterThan(0);
  for (const sample of manifest.samples) {
    const item = byKey.get(itemKeyOf(sample));
    expect(item, `${sample.conversationId}/${sample.messageId}`).toBeDefined();
    expect(item!.timestamp.toISOString()).toBe(sample.timestamp);
    expect(item!.sender.imId).toBe(sample.senderImId);
    expect(item!.recipients.map((r) => r.imId).sort()).toEqual([...sample.recipientImIds].sort());
    expect(item!.content).toBe(sample.content);
    expect(item!.attachments.map((a) => a.fileName)).toEqual(sample.attachmentFileNames);
  }
  const users = new Map(manifest.users.map((u) => [u.imId, u]));
  for (const item of parsed.items.slice(0, 200)) {
    const sender = users.get(item.sender.imId);
    expect(sender).toBeDefined();
    expect(item.sender).toMatchObject({ email: sender!.email, firstName: sender!.firstName, lastName: sender!.lastName });
    expect(item.context.firmCode).toBe(manifest.firmCode);
    expect(item.context.participants.some((p) => p.imId === item.sender.imId)).toBe(true);
    expect(item.context.disclaimers.length).toBeGreaterThan(0);
  }
}

const small = { seed: 42, conversations: 6, totalMessages: 300, files: 3, attachmentRate: 0.1, unicode: true } as const;

describe("generateDay round trip", () => {
  it("plain XML in several files, with every tolerated form mixed in", async () => {
    const day = await generateDay({ ...small, outputDir: path.join(workDir, "plain"), variety: true });
    const { manifest } = day;
    expect(day.files).toHaveLength(3);
    expect(manifest.totalMessages).toBe(300);
    expect(manifest.totalAttachments).toBeGreaterThan(0);
    expect(manifest.continuedConversationIds.length).toBeGreaterThanOrEqual(1);
    expect(manifest.files.reduce((sum, f) => sum + f.messages, 0)).toBe(300);

    const parsed = emptyParsed();
    const conversationsPerFile: Array<Set<string>> = [];
    for (const [i, file] of day.files.entries()) {
      const before = parsed.items.length;
      const count = await parseStream(createReadStream(file.path), parsed);
      expect(count).toBe(manifest.files[i]!.messages);
      conversationsPerFile.push(new Set(parsed.items.slice(before).map((item) => item.conversationId)));
    }
    expectMatchesManifest(parsed, manifest);
    expect(parsed.unknown).toBeGreaterThan(0); // variety adds unknown elements the parser must skip
    for (const id of manifest.continuedConversationIds) {
      expect(conversationsPerFile.filter((set) => set.has(id)).length).toBeGreaterThan(1);
    }
  });

  it("is deterministic: same seed, same bytes; another seed, other bytes", async () => {
    const hashes = async (dir: string, seed: number): Promise<string[]> => {
      const day = await generateDay({ ...small, seed, outputDir: path.join(workDir, dir), variety: true });
      return Promise.all(day.files.map(async (f) => createHash("sha256").update(await readFile(f.path)).digest("hex")));
    };
    const a = await hashes("det-a", 7);
    const b = await hashes("det-b", 7);
    const c = await hashes("det-c", 8);
    expect(a).toEqual(b);
    expect(c).not.toEqual(a);
  });

  it("gzip: one .xml.gz per part", async () => {
    const day = await generateDay({ ...small, outputDir: path.join(workDir, "gzip"), container: "gzip" });
    expect(day.files.map((f) => f.fileName)).toEqual([
      "ICECHAT_ACME01_20261122_001.xml.gz",
      "ICECHAT_ACME01_20261122_002.xml.gz",
      "ICECHAT_ACME01_20261122_003.xml.gz",
    ]);
    const parsed = emptyParsed();
    for (const file of day.files) {
      const head = (await readFile(file.path)).subarray(0, 2);
      expect([...head]).toEqual([0x1f, 0x8b]);
      await parseStream(createReadStream(file.path).pipe(createGunzip()), parsed);
    }
    expectMatchesManifest(parsed, day.manifest);
  });

  it("zip: one archive holding every part", async () => {
    const day = await generateDay({ ...small, outputDir: path.join(workDir, "zip"), container: "zip", variety: true });
    expect(day.files).toHaveLength(1);
    const entries = await zipEntries(day.files[0]!.path);
    expect(entries.map((e) => e.name)).toEqual(day.manifest.files[0]!.parts.map((p) => p.name));
    const parsed = emptyParsed();
    for (const [i, entry] of entries.entries()) {
      const count = await parseStream(Readable.from([entry.bytes]), parsed);
      expect(count).toBe(day.manifest.files[0]!.parts[i]!.messages);
    }
    expectMatchesManifest(parsed, day.manifest);
  });

  it("PGP: openpgp decrypts binary pgp(gzip(xml)) and armored pgp(zip(xml...)) with the matching private key", async () => {
    const { privateKey, publicKey } = await openpgp.generateKey({
      type: "ecc",
      curve: "curve25519Legacy",
      userIDs: [{ name: "Connector test", email: "connector@test.example" }],
      format: "armored",
    });
    const decryptionKeys = await openpgp.readPrivateKey({ armoredKey: privateKey });

    const binary = await generateDay({ ...small, outputDir: path.join(workDir, "pgp-gz"), container: "gzip", pgp: { armoredPublicKey: publicKey } });
    expect(binary.manifest.encrypted).toBe(true);
    expect(binary.files[0]!.fileName).toMatch(/\.xml\.gz\.pgp$/);
    const parsed = emptyParsed();
    for (const file of binary.files) {
      const message = await openpgp.readMessage({ binaryMessage: await readFile(file.path) });
      const { data } = await openpgp.decrypt({ message, decryptionKeys, format: "binary" });
      await parseStream(Readable.from([gunzipSync(data)]), parsed);
    }
    expectMatchesManifest(parsed, binary.manifest);

    const armored = await generateDay({
      ...small,
      outputDir: path.join(workDir, "pgp-zip"),
      container: "zip",
      pgp: { armoredPublicKey: publicKey, armor: true },
    });
    const text = await readFile(armored.files[0]!.path, "utf8");
    expect(text.startsWith("-----BEGIN PGP MESSAGE-----")).toBe(true);
    const message = await openpgp.readMessage({ armoredMessage: text });
    const { data } = await openpgp.decrypt({ message, decryptionKeys, format: "binary" });
    const zipPath = path.join(workDir, "decrypted.zip");
    await writeFile(zipPath, data);
    const zipped = emptyParsed();
    for (const entry of await zipEntries(zipPath)) await parseStream(Readable.from([entry.bytes]), zipped);
    expectMatchesManifest(zipped, armored.manifest);
  });

  it("spreads a large day without keeping messages: counts per part add up", async () => {
    const day = await generateDay({ seed: 3, conversations: 40, totalMessages: 20_000, files: 4, outputDir: path.join(workDir, "large"), maxSamples: 10 });
    expect(day.manifest.files.map((f) => f.messages).reduce((a, b) => a + b, 0)).toBe(20_000);
    expect(day.manifest.samples).toHaveLength(10);
    let total = 0;
    for (const file of day.files) total += await parseStream(createReadStream(file.path), emptyParsed());
    expect(total).toBe(20_000);
  });

  it("refuses impossible options", async () => {
    await expect(generateDay({ outputDir: path.join(workDir, "bad"), participantsPerConversation: 1 })).rejects.toThrow(/participants/);
  });
});

describe("user mapping CSV", () => {
  it("writes an ImId,Mailbox header and one row per user, quoting where needed", async () => {
    const users = [
      { imId: "a@ice", email: "a@x.example", loginName: "a", firstName: "A", lastName: "B", companyName: "C" },
      { imId: "b,c@ice", email: "b@x.example", loginName: "b", firstName: "B", lastName: "C", companyName: "D" },
      { imId: "skip@ice", email: "s@x.example", loginName: "s", firstName: "S", lastName: "T", companyName: "U" },
    ];
    const csv = formatUserMappingCsv(users, { mailboxOf: (u) => (u.imId === "skip@ice" ? undefined : u.email) });
    expect(csv).toBe('ImId,Mailbox\na@ice,a@x.example\n"b,c@ice",b@x.example\n');
    expect(formatUserMappingCsv(users.slice(0, 1), { delimiter: ";", bom: true })).toBe("\uFEFFImId;Mailbox\na@ice;a@x.example\n");
    const file = await writeUserMappingCsv(users.slice(0, 1), path.join(workDir, "mapping.csv"));
    expect(await readFile(file, "utf8")).toBe("ImId,Mailbox\na@ice,a@x.example\n");
  });
});
