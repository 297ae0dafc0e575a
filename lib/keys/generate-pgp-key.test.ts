import { createHash, randomBytes } from "node:crypto";
import { createReadStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import * as openpgp from "openpgp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { decryptPgpStreamToFile } from "@/lib/pgp/decrypt-stream";
import { GpgHome, hasGpg } from "@/tests/support/gpg";
import { describePgpKey, generatePgpKey, readPgpPrivateKey } from "./generate-pgp-key";

let work: string;
beforeAll(() => {
  work = mkdtempSync(path.join(os.tmpdir(), "pgp-key-test-"));
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

async function expectValidationError(promise: Promise<unknown>, message: RegExp): Promise<void> {
  let caught: unknown;
  try {
    await promise;
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(AppError);
  expect((caught as AppError).code).toBe("validation_failed");
  expect((caught as AppError).message).toMatch(message);
}

describe.skipIf(!hasGpg)("generatePgpKey interop with gpg 2.2", () => {
  it("default RSA 4096 key: gpg encrypts to it and we decrypt; gpg decrypts what openpgp encrypts", async () => {
    const key = await generatePgpKey({ userId: { name: "ICE Chat Connector", email: "connector@acme.example" } });
    expect(key.type).toBe("rsa");
    expect(key.fingerprint).toMatch(/^[0-9A-F]{40}$/);
    expect(key.expiresAt).toBeNull();
    expect(key.publicKeyArmored).toMatch(/^-----BEGIN PGP PUBLIC KEY BLOCK-----/);
    expect(key.privateKeyArmored).toMatch(/^-----BEGIN PGP PRIVATE KEY BLOCK-----/);

    const gpg = new GpgHome();
    try {
      gpg.importKey(key.publicKeyArmored);
      const listing = gpg.run(["--with-colons", "--list-keys", key.fingerprint]).toString();
      // pub:<validity>:<bits>:<algo 1 = RSA>:...
      expect(listing).toMatch(/^pub:[^:]*:4096:1:/m);
      expect(listing).toMatch(/^sub:[^:]*:4096:1:.*:e:/m);
      expect(listing).toContain(`fpr:::::::::${key.fingerprint}:`);

      const plain = Buffer.concat([Buffer.from("<IceChatExport/>\n"), randomBytes(50_000)]);
      const plainPath = path.join(work, "plain.xml");
      writeFileSync(plainPath, plain);
      const encPath = path.join(work, "msg.asc");
      gpg.encryptFile(plainPath, encPath, { recipient: key.fingerprint, armor: true });

      const privateKey = await readPgpPrivateKey(key.privateKeyArmored, key.passphrase);
      const outDir = path.join(work, "out");
      mkdirSync(outDir, { recursive: true });
      const result = await decryptPgpStreamToFile({ input: createReadStream(encPath), decryptionKeys: [privateKey], outputDir: outDir });
      expect(createHash("sha256").update(readFileSync(result.path)).digest("hex")).toBe(createHash("sha256").update(plain).digest("hex"));

      // The other direction: gpg accepts our encrypted private key with the returned passphrase.
      gpg.run(["--passphrase", key.passphrase, "--import"], key.privateKeyArmored);
      const encrypted = await openpgp.encrypt({
        message: await openpgp.createMessage({ text: "hello from openpgp" }),
        encryptionKeys: privateKey.toPublic(),
      });
      const decrypted = gpg.run(["--passphrase", key.passphrase, "--decrypt"], encrypted).toString();
      expect(decrypted).toBe("hello from openpgp");
    } finally {
      gpg.dispose();
    }
  }, 120_000);

  it("ecc key (openpgp's default curve) is usable by gpg", async () => {
    const key = await generatePgpKey({ userId: { email: "ecc@acme.example" }, type: "ecc" });
    const gpg = new GpgHome();
    try {
      gpg.importKey(key.publicKeyArmored);
      const listing = gpg.run(["--with-colons", "--list-keys", key.fingerprint]).toString();
      expect(listing).toMatch(/^pub:[^:]*:255:22:/m); // EdDSA primary
      expect(listing).toMatch(/^sub:[^:]*:255:18:.*:e:/m); // ECDH encryption subkey
      const out = gpg.run(["--armor", "--recipient", key.fingerprint, "--encrypt"], "ecc test").toString();
      const privateKey = await readPgpPrivateKey(key.privateKeyArmored, key.passphrase);
      const { data } = await openpgp.decrypt({ message: await openpgp.readMessage({ armoredMessage: out }), decryptionKeys: privateKey });
      expect(data).toBe("ecc test");
    } finally {
      gpg.dispose();
    }
  });
});

describe("generatePgpKey", () => {
  it("sets an expiry when asked and returns a random passphrase each time", async () => {
    const created = new Date("2026-01-01T00:00:00Z");
    const a = await generatePgpKey({ userId: { name: "A" }, type: "ecc", expiresInSeconds: 86_400, date: created });
    const b = await generatePgpKey({ userId: { name: "B" }, type: "ecc" });
    expect(a.createdAt.toISOString()).toBe(created.toISOString());
    expect(a.expiresAt?.toISOString()).toBe("2026-01-02T00:00:00.000Z");
    expect(a.passphrase).not.toBe(b.passphrase);
    expect(a.passphrase.length).toBeGreaterThanOrEqual(40);
    const summary = await describePgpKey(await readPgpPrivateKey(a.privateKeyArmored, a.passphrase));
    expect(summary.fingerprint).toBe(a.fingerprint);
    expect(summary.keyIds).toHaveLength(2);
    expect(summary.userIds).toEqual(["A"]);
    expect(summary.expiresAt?.toISOString()).toBe("2026-01-02T00:00:00.000Z");
  });

  it("refuses weak or incomplete options", async () => {
    await expectValidationError(generatePgpKey({ userId: { name: "x" }, rsaBits: 1024 }), /at least 2048/);
    await expectValidationError(generatePgpKey({ userId: {} }), /user id/);
    await expectValidationError(generatePgpKey({ userId: { email: "not an address" }, type: "ecc" }), /user id is not valid/);
    await expectValidationError(generatePgpKey({ userId: { name: "x" }, type: "ecc", expiresInSeconds: -5 }), /positive/);
  });
});

describe("readPgpPrivateKey", () => {
  let generated: Awaited<ReturnType<typeof generatePgpKey>>;
  beforeAll(async () => {
    generated = await generatePgpKey({ userId: { email: "read@acme.example" }, type: "ecc" });
  });

  it("unlocks the key with the right passphrase, armored or binary", async () => {
    const key = await readPgpPrivateKey(generated.privateKeyArmored, generated.passphrase);
    expect(key.isDecrypted()).toBe(true);
    expect(key.getFingerprint().toUpperCase()).toBe(generated.fingerprint);
    const binary = (await openpgp.readPrivateKey({ armoredKey: generated.privateKeyArmored })).write();
    const fromBinary = await readPgpPrivateKey(binary, generated.passphrase);
    expect(fromBinary.isDecrypted()).toBe(true);
  });

  it("distinguishes passphrase required from wrong passphrase", async () => {
    await expectValidationError(readPgpPrivateKey(generated.privateKeyArmored), /protected by a passphrase/);
    await expectValidationError(readPgpPrivateKey(generated.privateKeyArmored, ""), /protected by a passphrase/);
    await expectValidationError(readPgpPrivateKey(generated.privateKeyArmored, "wrong"), /Wrong passphrase/);
  });

  it("says when it is given the public key", async () => {
    await expectValidationError(readPgpPrivateKey(generated.publicKeyArmored, generated.passphrase), /public key; decryption needs the private/);
  });

  it("rejects things that are not OpenPGP keys", async () => {
    await expectValidationError(readPgpPrivateKey("hello"), /Not an OpenPGP key/);
    await expectValidationError(readPgpPrivateKey(""), /Not an OpenPGP key/);
    await expectValidationError(readPgpPrivateKey("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNz\n-----END OPENSSH PRIVATE KEY-----\n"), /Not an OpenPGP key/);
    await expectValidationError(readPgpPrivateKey(randomBytes(300)), /Not an OpenPGP key/);
    const message = await openpgp.encrypt({ message: await openpgp.createMessage({ text: "x" }), passwords: "p" });
    await expectValidationError(readPgpPrivateKey(message), /Not an OpenPGP key/);
  });

  it("accepts an unprotected private key without a passphrase", async () => {
    const { privateKey } = await openpgp.generateKey({ userIDs: [{ name: "plain" }], type: "ecc", format: "armored" });
    const key = await readPgpPrivateKey(privateKey);
    expect(key.isDecrypted()).toBe(true);
    // A passphrase given for an unprotected key is harmless.
    expect((await readPgpPrivateKey(privateKey, "ignored")).isDecrypted()).toBe(true);
  });

  it.skipIf(!hasGpg)("reads a gpg-exported private key", async () => {
    const gpg = new GpgHome();
    try {
      const fpr = gpg.generateRsaKey("Customer <c@acme.example>", "their passphrase");
      const armored = gpg.exportSecretKey(fpr, "their passphrase");
      await expectValidationError(readPgpPrivateKey(armored), /protected by a passphrase/);
      await expectValidationError(readPgpPrivateKey(armored, "nope"), /Wrong passphrase/);
      const key = await readPgpPrivateKey(armored, "their passphrase");
      expect(key.getFingerprint().toUpperCase()).toBe(fpr);
    } finally {
      gpg.dispose();
    }
  }, 60_000);
});
