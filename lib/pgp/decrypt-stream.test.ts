import { createHash, randomBytes } from "node:crypto";
import { createReadStream, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import * as openpgp from "openpgp";
import type { PrivateKey } from "openpgp";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { generatePgpKey, readPgpPrivateKey } from "@/lib/keys/generate-pgp-key";
import { decryptPgpStreamToFile } from "./decrypt-stream";
import { GpgHome, hasGpg } from "@/tests/support/gpg";

let work: string;
let outDir: string;
let gpg: GpgHome;
let plainPath: string;
let plainHash: string;
let ourKey: PrivateKey;
let ourFpr: string;
let otherKey: PrivateKey;
let gpgKey: PrivateKey;
let gpgFpr: string;

const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");

/** Reproducible pseudo-random bytes (a SHA-256 chain), for inputs whose expected failure must not vary. */
function deterministicBytes(seed: string, length: number): Buffer {
  const parts: Buffer[] = [];
  let block = createHash("sha256").update(seed).digest();
  for (let n = 0; n < length; n += block.length) {
    parts.push(block);
    block = createHash("sha256").update(block).digest();
  }
  return Buffer.concat(parts).subarray(0, length);
}

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), "pgp-decrypt-test-"));
  outDir = path.join(work, "out");
  // ~1.5 MiB: compressible XML-ish text plus incompressible bytes, so streams run over many chunks.
  const text = Buffer.from("<Message><Content>Bid 2.85 Jun, 10k/day? é ü 日本</Content></Message>\n".repeat(12_000));
  const plain = Buffer.concat([text, randomBytes(600_000), text]);
  plainPath = path.join(work, "plain.xml");
  writeFileSync(plainPath, plain);
  plainHash = sha256(plain);

  const ours = await generatePgpKey({ userId: { name: "Connector", email: "connector@acme.example" }, type: "ecc" });
  ourKey = await readPgpPrivateKey(ours.privateKeyArmored, ours.passphrase);
  ourFpr = ours.fingerprint;
  const other = await generatePgpKey({ userId: { email: "retired@acme.example" }, type: "ecc" });
  otherKey = await readPgpPrivateKey(other.privateKeyArmored, other.passphrase);

  gpg = new GpgHome();
  gpg.importKey(ours.publicKeyArmored);
  gpg.importKey(other.publicKeyArmored);
  // A "customer-supplied" key made by gpg itself, exported with its passphrase.
  gpgFpr = gpg.generateRsaKey("Customer <customer@acme.example>", "customer pass");
  gpgKey = await readPgpPrivateKey(gpg.exportSecretKey(gpgFpr, "customer pass"), "customer pass");
}, 120_000);

afterAll(() => {
  gpg?.dispose();
  rmSync(work, { recursive: true, force: true });
});

beforeEach(() => {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir);
});

let counter = 0;
function gpgEncrypt(opts: Parameters<GpgHome["encryptFile"]>[2], input = plainPath): string {
  const out = path.join(work, `enc-${counter++}.${opts.armor ? "asc" : "gpg"}`);
  gpg.encryptFile(input, out, opts);
  return out;
}

async function decryptFile(file: string, keys: PrivateKey[], maxPlaintextBytes?: number) {
  return decryptPgpStreamToFile({
    input: createReadStream(file, { highWaterMark: 16 * 1024 }),
    decryptionKeys: keys,
    outputDir: outDir,
    maxPlaintextBytes,
    sourceName: path.basename(file),
  });
}

async function expectCryptoError(promise: Promise<unknown>, message: RegExp): Promise<AppError> {
  let caught: unknown;
  try {
    await promise;
  } catch (err) {
    caught = err;
  }
  expect(caught, "expected a failure").toBeInstanceOf(AppError);
  const appErr = caught as AppError;
  expect(appErr.code).toBe("crypto_failed");
  expect(appErr.message).toMatch(message);
  // Nothing half-decrypted may be left for a caller to pick up.
  expect(readdirSync(outDir)).toEqual([]);
  return appErr;
}

describe.skipIf(!hasGpg)("decryptPgpStreamToFile with gpg-encrypted input", () => {
  for (const armor of [false, true]) {
    for (const compress of ["none", "zlib", "zip", "bzip2"]) {
      it(`decrypts a gpg message to our key (armor=${armor}, compress=${compress})`, async () => {
        const enc = gpgEncrypt({ recipient: ourFpr, armor, compress });
        const result = await decryptFile(enc, [ourKey]);
        const out = readFileSync(result.path);
        expect(result.bytes).toBe(out.length);
        expect(sha256(out)).toBe(plainHash);
        expect(path.dirname(result.path)).toBe(outDir);
      });
    }
  }

  it("decrypts with a gpg-generated customer key (exported armored private key + passphrase)", async () => {
    const enc = gpgEncrypt({ recipient: gpgFpr, armor: true });
    const result = await decryptFile(enc, [gpgKey]);
    expect(sha256(readFileSync(result.path))).toBe(plainHash);
  });

  it("decrypts a signed-and-encrypted message without needing the signer's key", async () => {
    const enc = gpgEncrypt({ recipient: ourFpr, sign: true, extraArgs: ["--local-user", gpgFpr, "--passphrase", "customer pass"] });
    const result = await decryptFile(enc, [ourKey]);
    expect(sha256(readFileSync(result.path))).toBe(plainHash);
  });

  it("finds the right key among several (current + retired) and with hidden recipients", async () => {
    const enc = gpgEncrypt({ recipient: ourFpr });
    const result = await decryptFile(enc, [otherKey, gpgKey, ourKey]);
    expect(sha256(readFileSync(result.path))).toBe(plainHash);
    const hidden = gpgEncrypt({ recipient: ourFpr, throwKeyIds: true });
    const result2 = await decryptFile(hidden, [otherKey, ourKey]);
    expect(sha256(readFileSync(result2.path))).toBe(plainHash);
  });

  it("decrypts an empty plaintext", async () => {
    const empty = path.join(work, "empty.txt");
    writeFileSync(empty, "");
    const result = await decryptFile(gpgEncrypt({ recipient: ourFpr }, empty), [ourKey]);
    expect(result.bytes).toBe(0);
  });

  it("names the recipient key IDs when none of the configured keys match", async () => {
    const enc = gpgEncrypt({ recipient: ourFpr });
    const err = await expectCryptoError(decryptFile(enc, [otherKey, gpgKey]), /encrypted to key ID .*none of the configured keys match/);
    const ourKeyIds = ourKey.getKeyIDs().map((k) => k.toHex().toUpperCase());
    expect(ourKeyIds.some((id) => err.message.includes(id))).toBe(true);
  });

  it("fails clearly with hidden recipients and the wrong key", async () => {
    const enc = gpgEncrypt({ recipient: ourFpr, throwKeyIds: true });
    await expectCryptoError(decryptFile(enc, [otherKey]), /hides its recipient key IDs and none of the configured keys could decrypt it/);
  });

  it("refuses a message without integrity protection made by gpg --rfc2440 (SED packet)", async () => {
    const enc = gpgEncrypt({ recipient: gpgFpr, extraArgs: ["--rfc2440"] });
    // Independent check that gpg really wrote a SED (tag 9) packet and no SEIPD (tag 18).
    const parsed = await openpgp.readMessage({ binaryMessage: readFileSync(enc) });
    expect(parsed.packets.filterByTag(openpgp.enums.packet.symmetricallyEncryptedData).length).toBe(1);
    expect(parsed.packets.filterByTag(openpgp.enums.packet.symEncryptedIntegrityProtectedData).length).toBe(0);
    await expectCryptoError(decryptFile(enc, [gpgKey]), /without integrity protection/);
  });

  it("rejects a corrupt byte in the middle of the ciphertext (compressed and not)", async () => {
    for (const compress of ["zlib", "none"]) {
      const enc = gpgEncrypt({ recipient: ourFpr, compress });
      const bytes = readFileSync(enc);
      const mid = Math.floor(bytes.length / 2);
      bytes[mid] = (bytes[mid] ?? 0) ^ 0x55;
      const bad = path.join(work, `corrupt-${compress}.gpg`);
      writeFileSync(bad, bytes);
      await expectCryptoError(decryptFile(bad, [ourKey]), /failed the OpenPGP integrity check/);
    }
  });

  it("rejects a corrupt byte in armored input", async () => {
    const enc = gpgEncrypt({ recipient: ourFpr, armor: true, compress: "none" });
    const text = readFileSync(enc, "latin1");
    const mid = Math.floor(text.length / 2);
    const swapped = text[mid] === "A" ? "B" : "A";
    const bad = path.join(work, "corrupt.asc");
    writeFileSync(bad, text.slice(0, mid) + swapped + text.slice(mid + 1), "latin1");
    await expectCryptoError(decryptFile(bad, [ourKey]), /failed the OpenPGP integrity check/);
  });

  it("rejects a truncated file, binary and armored", async () => {
    for (const armor of [false, true]) {
      const enc = gpgEncrypt({ recipient: ourFpr, armor });
      const bytes = readFileSync(enc);
      const bad = path.join(work, `truncated-${armor}.bin`);
      writeFileSync(bad, bytes.subarray(0, Math.floor(bytes.length * 0.7)));
      await expectCryptoError(decryptFile(bad, [ourKey]), /truncated/);
    }
  });

  it("stops a decompression bomb at the configured maximum", async () => {
    const zeros = path.join(work, "zeros.bin");
    writeFileSync(zeros, Buffer.alloc(8 * 1024 * 1024));
    const enc = gpgEncrypt({ recipient: ourFpr, compress: "zlib" }, zeros);
    expect(readFileSync(enc).length).toBeLessThan(100_000);
    await expectCryptoError(decryptFile(enc, [ourKey], 1024 * 1024), /more than the allowed 1 MiB/);
    // The same file within the limit is fine.
    const ok = await decryptFile(enc, [ourKey], 16 * 1024 * 1024);
    expect(ok.bytes).toBe(8 * 1024 * 1024);
  });

  it("caps uncompressed plaintext as well", async () => {
    const enc = gpgEncrypt({ recipient: ourFpr, compress: "none" });
    await expectCryptoError(decryptFile(enc, [ourKey], 100_000), /more than the allowed/);
  });

  it("says when a message is password-encrypted rather than encrypted to a key", async () => {
    const out = path.join(work, "sym.gpg");
    gpg.run(["--passphrase", "pw", "--symmetric", "--output", out, plainPath]);
    await expectCryptoError(decryptFile(out, [ourKey]), /encrypted with a password/);
  });
});

describe("decryptPgpStreamToFile with hostile or non-PGP input", () => {
  const fromBuffer = (b: Buffer | string) => Readable.from([Buffer.from(b)]);
  const run = (input: Readable, keys: PrivateKey[] = [ourKey]) => decryptPgpStreamToFile({ input, decryptionKeys: keys, outputDir: outDir });

  it("rejects garbage, XML and empty input as not PGP", async () => {
    await expectCryptoError(run(fromBuffer(randomBytes(5000).fill(0x41, 0, 1))), /not an OpenPGP message/);
    await expectCryptoError(run(fromBuffer("<?xml version='1.0'?><a/>")), /not an OpenPGP message/);
    await expectCryptoError(run(fromBuffer("")), /empty/);
  });

  it("rejects a broken armor block", async () => {
    await expectCryptoError(run(fromBuffer("-----BEGIN PGP MESSAGE-----\n\n!!!! not base64 ****\n-----END PGP MESSAGE-----\n")), /damaged|truncated|not a readable/);
    await expectCryptoError(run(fromBuffer("-----BEGIN PGP MESSAGE-----\n\nhQEMA")), /damaged PGP armor/);
  });

  it("rejects a packet header followed by junk", async () => {
    // Fixed junk, so the expected reason is stable: random bytes after the header sometimes
    // happen to form a valid old-style SED packet, which is (rightly) refused by that name.
    const junk = Buffer.concat([Buffer.from([0x85, 0x01, 0x0c]), deterministicBytes("junk after a PKESK header", 3000)]);
    await expectCryptoError(run(fromBuffer(junk)), /damaged|truncated|not a readable|none of the configured/);
  });

  it("rejects random junk after a packet header with a crypto error every time (fuzz)", async () => {
    for (let i = 0; i < 200; i++) {
      const junk = Buffer.concat([Buffer.from([0x85, 0x01, 0x0c]), randomBytes(500 + i * 10)]);
      // Which refusal depends on what the random bytes happen to form (damaged packets, a
      // SED packet, no encrypted packet at all...); each must be a named crypto error that
      // leaves nothing behind, never a crash or a silent success.
      await expectCryptoError(run(fromBuffer(junk)), /damaged|truncated|not a readable|none of the configured|without integrity protection|holds no encrypted message|could not be decrypted/);
    }
  });

  it("refuses to start without keys", async () => {
    await expectCryptoError(run(fromBuffer("x"), []), /no decryption key/);
  });

  it("passes an input stream error through as itself and cleans up", async () => {
    const enc = await openpgp.encrypt({
      message: await openpgp.createMessage({ binary: randomBytes(300_000) }),
      encryptionKeys: ourKey.toPublic(),
      format: "binary",
    });
    const input = new Readable({ read() {} });
    input.push(Buffer.from(enc.subarray(0, 100_000)));
    setTimeout(() => input.destroy(new Error("connection reset")), 20);
    await expect(run(input)).rejects.toThrow("connection reset");
    expect(readdirSync(outDir)).toEqual([]);
  });

  it("decrypts openpgp-made messages, including AEAD (SEIPDv2)", async () => {
    const data = randomBytes(200_000);
    for (const aeadProtect of [false, true]) {
      const enc = await openpgp.encrypt({
        message: await openpgp.createMessage({ binary: data }),
        encryptionKeys: ourKey.toPublic(),
        format: "binary",
        config: { aeadProtect },
      });
      const result = await run(fromBuffer(Buffer.from(enc)));
      expect(sha256(readFileSync(result.path))).toBe(sha256(data));
    }
  });
});
