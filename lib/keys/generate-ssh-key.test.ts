import { execFileSync } from "node:child_process";
import { createHash, generateKeyPairSync } from "node:crypto";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { generateUsableKeyPair } from "@/tests/support/sftp-server/generate-key-pair";
import { fingerprintOfSshPublicKey, generateSshKey, parseSshPrivateKey } from "./generate-ssh-key";

const SSH_KEYGEN = "/usr/bin/ssh-keygen";
const hasSshKeygen = existsSync(SSH_KEYGEN);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "ssh-key-test-"));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function independentFingerprint(publicLine: string): string {
  const b64 = publicLine.trim().split(/\s+/)[1] ?? "";
  const digest = createHash("sha256").update(Buffer.from(b64, "base64")).digest("base64");
  return "SHA256:" + digest.replace(/=+$/, "");
}

function sshKeygenFingerprint(publicLine: string): string {
  const file = path.join(dir, `pub-${Math.random().toString(16).slice(2)}.pub`);
  writeFileSync(file, publicLine + "\n");
  // Output: "4096 SHA256:xxxx comment (RSA)"
  const out = execFileSync(SSH_KEYGEN, ["-lf", file], { encoding: "utf8" });
  const fp = out.split(/\s+/)[1];
  if (!fp) throw new Error(`unexpected ssh-keygen output: ${out}`);
  return fp;
}

async function expectAppError(fn: () => unknown, message: RegExp): Promise<void> {
  let caught: unknown;
  try {
    await fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(AppError);
  expect((caught as AppError).code).toBe("validation_failed");
  expect((caught as AppError).message).toMatch(message);
}

describe("generateSshKey", () => {
  it("generates an RSA 4096 key by default whose fingerprint matches ssh-keygen", async () => {
    const key = await generateSshKey({ comment: "ice-chat@test" });
    expect(key.algorithm).toBe("rsa");
    expect(key.privateKey).toMatch(/^-----BEGIN OPENSSH PRIVATE KEY-----/);
    expect(key.publicKey).toMatch(/^ssh-rsa AAAA[0-9A-Za-z+/=]+ ice-chat@test$/);
    expect(key.publicKey).not.toContain("\n");
    const parsed = parseSshPrivateKey(key.privateKey);
    expect(parsed.type).toBe("ssh-rsa");
    // RSA 4096: the modulus alone is 512 bytes, so the blob is well above that.
    expect(parsed.getPublicSSH().length).toBeGreaterThan(512);
    expect(key.fingerprint).toBe(independentFingerprint(key.publicKey));
    if (hasSshKeygen) expect(key.fingerprint).toBe(sshKeygenFingerprint(key.publicKey));
  });

  it("generates ed25519 keys that OpenSSH can read back", async () => {
    for (let i = 0; i < 20; i++) {
      const key = await generateSshKey({ algorithm: "ed25519", comment: `k${i}` });
      expect(key.publicKey).toMatch(/^ssh-ed25519 AAAA\S+ k\d+$/);
      expect(key.fingerprint).toBe(independentFingerprint(key.publicKey));
      if (hasSshKeygen && i < 3) {
        expect(key.fingerprint).toBe(sshKeygenFingerprint(key.publicKey));
        const privFile = path.join(dir, `ed-${i}`);
        writeFileSync(privFile, key.privateKey, { mode: 0o600 });
        const derived = execFileSync(SSH_KEYGEN, ["-y", "-f", privFile], { encoding: "utf8" }).trim();
        expect(derived.split(" ").slice(0, 2)).toEqual(key.publicKey.split(" ").slice(0, 2));
      }
    }
  });

  it("refuses RSA keys smaller than 2048 bits", async () => {
    await expectAppError(() => generateSshKey({ rsaBits: 1024 }), /at least 2048/);
    await expectAppError(() => generateSshKey({ rsaBits: 3000.5 }), /at least 2048/);
  });
});

describe("fingerprintOfSshPublicKey", () => {
  it("gives the same result for the blob and the OpenSSH line", async () => {
    const key = await generateSshKey({ algorithm: "ed25519", comment: "c" });
    const blob = Buffer.from(key.publicKey.split(" ")[1] ?? "", "base64");
    expect(fingerprintOfSshPublicKey(blob)).toBe(key.fingerprint);
    expect(fingerprintOfSshPublicKey(key.publicKey)).toBe(key.fingerprint);
    expect(fingerprintOfSshPublicKey("  " + key.publicKey + "\n")).toBe(key.fingerprint);
    expect(key.fingerprint).not.toMatch(/=$/);
  });

  it("rejects a line that is not a public key", async () => {
    await expectAppError(() => fingerprintOfSshPublicKey("hello world"), /Not an SSH public key/);
  });
});

describe("parseSshPrivateKey", () => {
  it("rejects garbage, empty input and a PGP key as not an SSH private key", async () => {
    await expectAppError(() => parseSshPrivateKey("garbage"), /Not an SSH private key/);
    await expectAppError(() => parseSshPrivateKey(""), /Not an SSH private key/);
    await expectAppError(
      () => parseSshPrivateKey("-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nxcLYBGX\n-----END PGP PRIVATE KEY BLOCK-----\n"),
      /Not an SSH private key/,
    );
  });

  it("says so when given the public key instead of the private key", async () => {
    const key = await generateSshKey({ algorithm: "ed25519" });
    await expectAppError(() => parseSshPrivateKey(key.publicKey), /public key/);
  });

  it("distinguishes passphrase required from wrong passphrase (OpenSSH format)", async () => {
    // ssh2 writes an unreadable ed25519 key now and then; the helper regenerates those.
    const pair = generateUsableKeyPair("ed25519", { passphrase: "correct horse", cipher: "aes256-ctr", rounds: 4 });
    await expectAppError(() => parseSshPrivateKey(pair.private), /protected by a passphrase/);
    await expectAppError(() => parseSshPrivateKey(pair.private, ""), /protected by a passphrase/);
    await expectAppError(() => parseSshPrivateKey(pair.private, "wrong"), /Wrong passphrase/);
    expect(parseSshPrivateKey(pair.private, "correct horse").type).toBe("ssh-ed25519");
  });

  it("reads PKCS#8 RSA and EC keys, encrypted or not", async () => {
    const rsa = generateKeyPairSync("rsa", {
      modulusLength: 2048,
      privateKeyEncoding: { type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase: "s3cret" },
      publicKeyEncoding: { type: "spki", format: "pem" },
    });
    await expectAppError(() => parseSshPrivateKey(rsa.privateKey), /protected by a passphrase/);
    await expectAppError(() => parseSshPrivateKey(rsa.privateKey, "nope"), /Wrong passphrase/);
    expect(parseSshPrivateKey(rsa.privateKey, "s3cret").type).toBe("ssh-rsa");

    const ec = generateKeyPairSync("ec", {
      namedCurve: "prime256v1",
      privateKeyEncoding: { type: "pkcs8", format: "pem" },
      publicKeyEncoding: { type: "spki", format: "pem" },
    });
    expect(parseSshPrivateKey(ec.privateKey).type).toBe("ecdsa-sha2-nistp256");

    const ed = generateKeyPairSync("ed25519", {
      privateKeyEncoding: { type: "pkcs8", format: "pem" },
      publicKeyEncoding: { type: "spki", format: "pem" },
    });
    await expectAppError(() => parseSshPrivateKey(ed.privateKey), /not supported.*ssh-keygen/);
  });

  it.skipIf(!hasSshKeygen)("reads keys made by ssh-keygen in OpenSSH and legacy PEM formats", async () => {
    for (const [name, args] of [
      ["openssh-ecdsa", ["-t", "ecdsa"]],
      ["pem-rsa", ["-t", "rsa", "-b", "2048", "-m", "PEM"]],
    ] as const) {
      const file = path.join(dir, name);
      execFileSync(SSH_KEYGEN, ["-q", ...args, "-N", "pass phrase", "-C", name, "-f", file]);
      const pem = execFileSync("cat", [file], { encoding: "utf8" });
      await expectAppError(() => parseSshPrivateKey(pem), /protected by a passphrase/);
      await expectAppError(() => parseSshPrivateKey(pem, "not it"), /Wrong passphrase/);
      const key = parseSshPrivateKey(pem, "pass phrase");
      expect(key.isPrivateKey()).toBe(true);
      const pubLine = execFileSync("cat", [file + ".pub"], { encoding: "utf8" }).trim();
      expect(fingerprintOfSshPublicKey(key.getPublicSSH())).toBe(sshKeygenFingerprint(pubLine));
    }
  });
});
