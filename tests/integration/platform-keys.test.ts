import { createReadStream } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "@/lib/db";
import { fingerprintOfSshPublicKey, parseSshPrivateKey } from "@/lib/keys/generate-ssh-key";
import { ensurePlatformKey, platformPgpDecryptionKeys, platformSshPrivateKey, rotatePlatformKey } from "@/lib/keys/platform-keys";
import { decryptPgpStreamToFile } from "@/lib/pgp/decrypt-stream";
import { createKeyring } from "@/lib/secrets/keyring";
import { GpgHome } from "@/tests/support/gpg";

// The platform ("keys provided by this service") key pairs: generated once, stored
// encrypted, downloadable, rotatable, and usable with real gpg on the sender's side.
const db = createDb(process.env.DATABASE_URL!);
const keyring = createKeyring(process.env.APP_ENCRYPTION_KEY!);
const fast = { rsaBits: 2048 };
const actor = { id: null, label: "platform-key-test" };
let tmp: string;
let gpg: GpgHome;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "platform-keys-"));
  gpg = new GpgHome();
});
afterAll(async () => {
  gpg.dispose();
  await rm(tmp, { recursive: true, force: true });
  await db.$disconnect();
});

async function gpgEncryptTo(key: { publicKey: string; fingerprint: string }, plaintext: string, name: string): Promise<string> {
  await writeFile(path.join(tmp, `${name}.asc`), key.publicKey);
  gpg.run(["--import", path.join(tmp, `${name}.asc`)]);
  const out = path.join(tmp, `${name}.pgp`);
  await writeFile(path.join(tmp, `${name}.txt`), plaintext);
  gpg.run(["--recipient", key.fingerprint, "--output", out, "--encrypt", path.join(tmp, `${name}.txt`)]);
  return out;
}

async function decryptWithPlatformKeys(file: string): Promise<string> {
  const result = await decryptPgpStreamToFile({ input: createReadStream(file), decryptionKeys: await platformPgpDecryptionKeys(db, keyring), outputDir: tmp });
  return readFile(result.path, "utf8");
}

describe("platform keys", () => {
  it("generates one SSH key pair on first use, even when asked concurrently", async () => {
    const keys = await Promise.all([1, 2, 3].map(() => ensurePlatformKey(db, keyring, "SSH", fast)));
    expect(new Set(keys.map((k) => k.id)).size).toBe(1);
    expect(await db.platformKeyPair.count({ where: { kind: "SSH", retiredAt: null } })).toBe(1);
    const key = keys[0]!;
    expect(key.publicKey).toMatch(/^ssh-rsa AAAA[0-9A-Za-z+/=]+ ice-chat-connector$/);
    expect(key.fingerprint).toBe(fingerprintOfSshPublicKey(key.publicKey));
    // The stored private key opens and matches the published public key.
    const parsed = parseSshPrivateKey(await platformSshPrivateKey(db, keyring));
    expect(fingerprintOfSshPublicKey(parsed.getPublicSSH())).toBe(key.fingerprint);
    const row = await db.platformKeyPair.findUniqueOrThrow({ where: { id: key.id } });
    expect(row.privateKeyEnc).not.toContain("PRIVATE KEY");
  });

  it("decrypts what gpg encrypts to the downloadable PGP public key, before and after rotation", async () => {
    const first = await ensurePlatformKey(db, keyring, "PGP", fast);
    expect(first.publicKey).toMatch(/^-----BEGIN PGP PUBLIC KEY BLOCK-----/);
    const oldFile = await gpgEncryptTo(first, "encrypted to the first key", "first");
    expect(await decryptWithPlatformKeys(oldFile)).toBe("encrypted to the first key");

    const second = await rotatePlatformKey(db, keyring, "PGP", actor, fast);
    expect(second.fingerprint).not.toBe(first.fingerprint);
    expect((await ensurePlatformKey(db, keyring, "PGP", fast)).id).toBe(second.id);
    const newFile = await gpgEncryptTo(second, "encrypted to the second key", "second");
    expect(await decryptWithPlatformKeys(newFile)).toBe("encrypted to the second key");
    // Files ICE encrypted before the rotation still decrypt.
    expect(await decryptWithPlatformKeys(oldFile)).toBe("encrypted to the first key");
    expect(await db.auditLog.findFirst({ where: { action: "platform_key.rotated", targetId: second.id } })).not.toBeNull();
  });
});
