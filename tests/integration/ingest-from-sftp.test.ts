import { mkdir, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { simpleParser } from "mailparser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildGraphMessage } from "@/lib/email/build-graph-message";
import { buildMimeMessage } from "@/lib/email/build-mime";
import { internetMessageIdOf } from "@/lib/email/message-identity";
import { itemKeyOf, type ChatItem } from "@/lib/ice-chat";
import { openSourceFile } from "@/lib/imports/open-source-file";
import { generatePgpKey, readPgpPrivateKey } from "@/lib/keys/generate-pgp-key";
import { parseMappingCsv } from "@/lib/mapping/parse-mapping-csv";
import { createParticipantResolver, planItemDeliveries } from "@/lib/mapping/resolve-participants";
import { connectSftp } from "@/lib/sftp";
import { generateDay, formatUserMappingCsv, type GeneratedDay } from "@/tests/support/ice-chat-generator";
import { startSftpSimulator, type SftpSimulator } from "@/tests/support/sftp-server";

// The ingestion core end to end: a generated, PGP-encrypted day on the SFTP simulator is
// downloaded over SFTP (pinned host key), decrypted, unwrapped, parsed, mapped and
// converted; e-mails are parsed back with a MIME parser.

const FIRM = "ACME01";
let work: string;
let day: GeneratedDay;
let sim: SftpSimulator;
let decryptionKeys: Awaited<ReturnType<typeof readPgpPrivateKey>>[];

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), "ingest-it-"));
  const key = await generatePgpKey({ userId: { name: "ICE Chat Connector test" }, type: "ecc" });
  decryptionKeys = [await readPgpPrivateKey(key.privateKeyArmored, key.passphrase)];
  day = await generateDay({
    outputDir: path.join(work, "site"),
    seed: 42,
    date: "2026-11-22",
    firmCode: FIRM,
    conversations: 30,
    totalMessages: 1500,
    files: 3,
    container: "gzip",
    attachmentRate: 0.05,
    pgp: { armoredPublicKey: key.publicKeyArmored },
  });
  sim = await startSftpSimulator({ root: path.join(work, "site"), firmCode: FIRM, password: "sftp-password-1" });
}, 120_000);

afterAll(async () => {
  await sim?.stop();
  await rm(work, { recursive: true, force: true });
});

describe("SFTP → PGP → parse → map → convert", () => {
  it("imports every generated message exactly once, with the right mailboxes and e-mails", async () => {
    const session = await connectSftp({
      host: sim.host,
      port: sim.port,
      username: FIRM,
      password: "sftp-password-1",
      pinnedFingerprint: sim.hostKeyFingerprint,
      allowPrivateNetworks: true,
      allowedPorts: [sim.port],
    });
    const downloads = path.join(work, "downloads");
    const items: ChatItem[] = [];
    let itemErrors = 0;
    try {
      const listing = (await session.listDirectory("/")).filter((f) => f.isFile);
      expect(listing.map((f) => f.name).sort()).toEqual(day.files.map((f) => f.fileName).sort());
      await mkdir(downloads);
      for (const file of listing) {
        const local = await session.downloadFile(file.path, downloads);
        expect(local.size).toBe(file.size);
        const source = openSourceFile({ path: local.path, name: file.name, workDir: work, decryptionKeys });
        try {
          for await (const { record } of source.records()) {
            if (record.kind === "item") items.push(record.item);
            else itemErrors++;
          }
        } finally {
          await source.dispose();
        }
      }
    } finally {
      await session.close();
    }

    expect(itemErrors).toBe(0);
    expect(items).toHaveLength(day.manifest.totalMessages);
    expect(new Set(items.map(itemKeyOf)).size).toBe(day.manifest.totalMessages);
    expect(items.reduce((n, i) => n + i.attachments.length, 0)).toBe(day.manifest.totalAttachments);

    // Mapping: half the users through the custom file (to other mailboxes), the rest automatically.
    const mapped = day.manifest.users.filter((_, i) => i % 2 === 0);
    const csv = formatUserMappingCsv(mapped, { mailboxOf: (u) => `mapped.${u.loginName}@contoso.example` });
    const parsed = parseMappingCsv(csv);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const resolver = createParticipantResolver({ customMapping: parsed.rows, autoMapping: true });
    const perMailbox = new Map<string, number>();
    for (const item of items) {
      const plan = planItemDeliveries(item, resolver);
      expect(plan.unmapped).toEqual([]);
      for (const m of plan.mailboxes) perMailbox.set(m, (perMailbox.get(m) ?? 0) + 1);
    }
    for (const user of day.manifest.users) {
      const mailbox = mapped.includes(user) ? `mapped.${user.loginName}@contoso.example`.toLowerCase() : user.email.toLowerCase();
      expect(perMailbox.get(mailbox) ?? 0, user.imId).toBe(day.manifest.itemsPerUser[user.imId] ?? 0);
    }

    // Conversion: every item to the Graph shape; a sample to MIME, parsed back.
    for (const item of items) {
      const graph = buildGraphMessage(item, { firmCode: FIRM });
      expect(graph.message.singleValueExtendedProperties.find((p) => p.id === "Integer 0x0E07")?.value).toBe("1");
    }
    const byKey = new Map(items.map((i) => [`${i.conversationId}/${i.messageId}`, i]));
    for (const sample of day.manifest.samples.slice(0, 20)) {
      const item = byKey.get(`${sample.conversationId}/${sample.messageId}`)!;
      expect(item, sample.messageId).toBeDefined();
      const mail = await simpleParser(await buildMimeMessage(item, { firmCode: FIRM }));
      expect(mail.messageId).toBe(internetMessageIdOf(FIRM, sample.conversationId, sample.messageId));
      // RFC 5322 dates have whole seconds; the exact instant travels in X-ICE-Timestamp.
      const sent = new Date(sample.timestamp).getTime();
      expect(mail.date?.getTime()).toBe(Math.floor(sent / 1000) * 1000);
      expect(new Date(String(mail.headers.get("x-ice-timestamp"))).getTime()).toBe(sent);
      expect(mail.text).toContain(sample.content.trim().slice(0, 40));
      expect(mail.headers.get("x-ice-messageid")).toBe(sample.messageId);
      expect(mail.attachments.map((a) => a.filename)).toEqual(sample.attachmentFileNames);
      const from = day.manifest.users.find((u) => u.imId === sample.senderImId)!;
      expect((mail.from?.value[0]?.address ?? "").toLowerCase()).toBe(from.email.toLowerCase());
    }
  });

  it("refuses a changed host key without reading anything", async () => {
    await expect(
      connectSftp({
        host: sim.host, port: sim.port, username: FIRM, password: "sftp-password-1",
        pinnedFingerprint: "SHA256:" + "A".repeat(43), allowPrivateNetworks: true, allowedPorts: [sim.port],
      }),
    ).rejects.toMatchObject({ kind: "host_key_mismatch" });
  });
});
