import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import * as openpgp from "openpgp";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { validateConnectorConnection, type ValidateConnectorOptions } from "@/lib/connectors/validate-connector-connection";
import type { Db } from "@/lib/db";
import { generatePgpKey, type GeneratedPgpKey } from "@/lib/keys/generate-pgp-key";
import { createKeyring } from "@/lib/secrets/keyring";
import { startSftpSimulator, type SftpSimulator } from "@/tests/support/sftp-server";
import { TEST_TIMEOUTS } from "@/tests/support/sftp-fixtures";

// Own keys need no database (no stored secrets, no platform keys): a db that throws on
// any use proves it.
const noDb = new Proxy({}, { get: () => { throw new Error("the database must not be used"); } }) as Db;
const keyring = createKeyring(Buffer.alloc(32, 7).toString("base64"));
const FIRM = "ACME01";
const PASSWORD = "validate-pw";

let base: string;
let scratch: string;
let key: GeneratedPgpKey;
let otherKey: GeneratedPgpKey;
const sims: SftpSimulator[] = [];

async function site(files: Record<string, string | Uint8Array>): Promise<SftpSimulator> {
  const root = await mkdtemp(path.join(base, "root-"));
  for (const [name, content] of Object.entries(files)) await writeFile(path.join(root, name), content);
  const sim = await startSftpSimulator({ root, firmCode: FIRM, password: PASSWORD });
  sims.push(sim);
  return sim;
}

async function encryptTo(k: GeneratedPgpKey, text: string): Promise<Uint8Array> {
  return openpgp.encrypt({ message: await openpgp.createMessage({ text }), encryptionKeys: await openpgp.readKey({ armoredKey: k.publicKeyArmored }), format: "binary" });
}

const options = (sim: SftpSimulator): ValidateConnectorOptions => ({ allowPrivateNetworks: true, allowedPorts: [sim.port], timeouts: TEST_TIMEOUTS, tempDir: scratch });
const input = (sim: SftpSimulator, overrides: Record<string, unknown> = {}) => ({
  firmCode: FIRM, password: PASSWORD, sftpHost: sim.host, sftpPort: sim.port, keyMode: "own" as const,
  pgpPrivateKey: key.privateKeyArmored, pgpPassphrase: key.passphrase, ...overrides,
});
const pgpStage = (r: { stages: { stage: string; status: string; detail: string }[] }) => r.stages.find((s) => s.stage === "pgp_key")!;

beforeAll(async () => {
  base = await mkdtemp(path.join(os.tmpdir(), "validate-connector-"));
  scratch = await mkdtemp(path.join(base, "scratch-"));
  [key, otherKey] = await Promise.all([generatePgpKey({ userId: { name: "A" }, type: "ecc" }), generatePgpKey({ userId: { name: "B" }, type: "ecc" })]);
});
afterEach(async () => {
  await Promise.all(sims.splice(0).map((s) => s.stop()));
});
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describe("validateConnectorConnection with own keys", () => {
  it("decrypts the first OpenPGP file after skipping others, and leaves no plaintext behind", async () => {
    const sim = await site({ "a-notes.txt": "hello\n", "b-empty.pgp": "", "c-export.xml.pgp": await encryptTo(key, "<chat>secret</chat>") });
    const result = await validateConnectorConnection(noDb, keyring, input(sim), options(sim));
    expect(result.stages.map((s) => `${s.stage}:${s.status}`).join(" ")).toBe(
      "dns:ok tcp:ok ssh_handshake:ok host_key:ok authentication:ok directory_listing:ok pgp_key:ok",
    );
    expect(result.ok).toBe(true);
    expect(result.pgpCheck?.ok).toBe(true);
    expect(result.pgpCheck?.detail).toContain("c-export.xml.pgp");
    expect(result.files.map((f) => f.name).sort()).toEqual(["a-notes.txt", "b-empty.pgp", "c-export.xml.pgp"]);
    expect(await readdir(scratch)).toEqual([]);
  });

  it("fails the pgp_key stage when the file was encrypted to another key", async () => {
    const sim = await site({ "export.pgp": await encryptTo(otherKey, "<chat/>") });
    const result = await validateConnectorConnection(noDb, keyring, input(sim), options(sim));
    expect(result.ok).toBe(false);
    expect(result.pgpCheck?.ok).toBe(false);
    expect(pgpStage(result)).toMatchObject({ status: "failed" });
    expect(result.stages.filter((s) => s.stage !== "pgp_key").every((s) => s.status === "ok")).toBe(true);
    expect(await readdir(scratch)).toEqual([]);
  });

  it("reports a wrong passphrase without connecting for a sample, and no OpenPGP file means no sample check", async () => {
    const sim = await site({ "notes.txt": "not pgp" });
    const wrong = await validateConnectorConnection(noDb, keyring, input(sim, { pgpPassphrase: "nope" }), options(sim));
    expect(wrong.ok).toBe(false);
    expect(pgpStage(wrong).detail).toContain("Wrong passphrase");
    const fine = await validateConnectorConnection(noDb, keyring, input(sim), options(sim));
    expect(fine.ok).toBe(true);
    expect(fine.pgpCheck).toBeNull();
  });

  it("refuses a missing or hostile PGP key as data, not as an exception", async () => {
    const sim = await site({});
    const missing = await validateConnectorConnection(noDb, keyring, input(sim, { pgpPrivateKey: undefined }), options(sim));
    expect(pgpStage(missing)).toMatchObject({ status: "failed", detail: "No OpenPGP private key was given." });
    const hostile = await validateConnectorConnection(noDb, keyring, input(sim, { pgpPrivateKey: "-----BEGIN PGP PRIVATE KEY BLOCK-----\n\u0000garbage" }), options(sim));
    expect(pgpStage(hostile).status).toBe("failed");
    expect(JSON.stringify(hostile)).not.toContain(PASSWORD);
  });

  it("applies the network guard passed in as options", async () => {
    const sim = await site({});
    const result = await validateConnectorConnection(noDb, keyring, input(sim), { ...options(sim), allowedPorts: [22] });
    expect(result.ok).toBe(false);
    expect(result.stages[0]).toMatchObject({ stage: "dns", status: "failed" });
    const privateRefused = await validateConnectorConnection(noDb, keyring, input(sim), { ...options(sim), allowPrivateNetworks: false });
    expect(privateRefused.stages[0]?.detail).toContain("SFTP_ALLOW_PRIVATE_NETWORKS");
  });

  it("rejects malformed input with a validation error", async () => {
    await expect(validateConnectorConnection(noDb, keyring, { firmCode: "", sftpHost: "x", sftpPort: 22, keyMode: "own" }, { allowPrivateNetworks: false, allowedPorts: [22] })).rejects.toMatchObject({
      code: "validation_failed",
    });
  });
});
