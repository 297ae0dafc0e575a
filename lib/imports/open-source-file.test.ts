import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { PrivateKey } from "openpgp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { generatePgpKey, readPgpPrivateKey } from "@/lib/keys/generate-pgp-key";
import { generateDay, type DayContainer } from "@/tests/support/ice-chat-generator";
import { openSourceFile, type SourceRecord } from "./open-source-file";

let work: string;
let key: PrivateKey;
let publicKey: string;

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), "open-source-file-test-"));
  const generated = await generatePgpKey({ userId: { email: "connector@acme.example" }, type: "ecc" });
  key = await readPgpPrivateKey(generated.privateKeyArmored, generated.passphrase);
  publicKey = generated.publicKeyArmored;
}, 60_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

async function collect(records: AsyncIterable<SourceRecord>): Promise<string[]> {
  const out: string[] = [];
  for await (const { part, record } of records) out.push(`${part}|${record.kind === "item" ? record.item.messageId : "error"}`);
  return out;
}

describe("openSourceFile", () => {
  for (const container of ["xml", "gzip", "zip"] as DayContainer[]) {
    it(`reads a PGP-encrypted ${container} day twice from one decryption (count, then import)`, async () => {
      const dir = path.join(work, container);
      const day = await generateDay({ outputDir: dir, seed: 5, totalMessages: 120, conversations: 6, files: 1, container, pgp: { armoredPublicKey: publicKey } });
      const file = day.files[0]!.path;
      const workDir = mkdtempSync(path.join(work, `${container}-work-`));
      const source = openSourceFile({ path: file, name: path.basename(file), workDir, decryptionKeys: [key] });
      try {
        const first = await collect(source.records());
        expect(first).toHaveLength(day.manifest.totalMessages);
        // The encrypted download is gone: a second reading can only come from the kept plaintext.
        rmSync(file);
        const second = await collect(source.records());
        expect(second).toEqual(first);
        expect(source.report.parts.length).toBeGreaterThan(0);
        expect(source.report.parts.reduce((n, p) => n + p.stats.messages, 0)).toBe(day.manifest.totalMessages);
      } finally {
        await source.dispose();
      }
      // Nothing decrypted is left behind.
      expect(readdirSync(workDir)).toEqual([]);
    });
  }

  it("refuses a second reading that starts before the first one has finished", async () => {
    const dir = path.join(work, "early");
    const day = await generateDay({ outputDir: dir, seed: 6, totalMessages: 40, conversations: 2, files: 1, pgp: { armoredPublicKey: publicKey } });
    const file = day.files[0]!.path;
    const source = openSourceFile({ path: file, name: "early.xml.pgp", workDir: mkdtempSync(path.join(work, "early-work-")), decryptionKeys: [key] });
    try {
      const iterator = source.records()[Symbol.asyncIterator]();
      await iterator.next();
      let caught: unknown;
      try {
        await collect(source.records());
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(AppError);
      expect((caught as AppError).message).toContain("early.xml.pgp was read again before its first reading had finished");
      await iterator.return?.();
    } finally {
      await source.dispose();
    }
  });
});
