import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { utils } from "ssh2";
import { generateUsableKeyPair } from "@/tests/support/sftp-server";
import { fingerprintHostKey, fingerprintOpenSshLine, normalizeFingerprint, readKeyAlgorithm } from "./host-key-fingerprint";

const SSH_KEYGEN = ["/usr/bin/ssh-keygen", "/bin/ssh-keygen", "/usr/local/bin/ssh-keygen"].find((candidate) => existsSync(candidate));

function blobOf(publicLine: string): Buffer {
  const key = utils.parseKey(publicLine);
  if (key instanceof Error) throw key;
  return key.getPublicSSH();
}

describe("fingerprintHostKey", () => {
  it("matches the OpenSSH definition computed independently from the public key line", () => {
    for (const type of ["ed25519", "rsa"] as const) {
      const line = generateUsableKeyPair(type).public;
      const base64 = line.split(" ")[1] ?? "";
      const expected = "SHA256:" + createHash("sha256").update(Buffer.from(base64, "base64")).digest("base64").replace(/=+$/, "");
      expect(fingerprintHostKey(blobOf(line))).toBe(expected);
      expect(fingerprintOpenSshLine(line)).toEqual({ fingerprint: expected, algorithm: type === "rsa" ? "ssh-rsa" : "ssh-ed25519" });
    }
  });

  it("has the OpenSSH shape: SHA256: and 43 unpadded base64 characters", () => {
    expect(fingerprintHostKey(Buffer.from("anything"))).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });

  it("knows a published vector (sha256 of the empty string)", () => {
    expect(fingerprintHostKey(Buffer.alloc(0))).toBe("SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU");
  });

  it.skipIf(!SSH_KEYGEN)("equals what ssh-keygen -lf prints", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "fp-"));
    try {
      for (const type of ["ed25519", "rsa"] as const) {
        const line = generateUsableKeyPair(type, { comment: "test" }).public;
        const file = path.join(dir, `${type}.pub`);
        await fs.writeFile(file, `${line}\n`);
        const printed = execFileSync(SSH_KEYGEN ?? "ssh-keygen", ["-lf", file], { encoding: "utf8", timeout: 10_000 });
        expect(printed.split(" ")[1]).toBe(fingerprintHostKey(blobOf(line)));
      }
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});

describe("readKeyAlgorithm", () => {
  it("reads the key type from the blob", () => {
    expect(readKeyAlgorithm(blobOf(generateUsableKeyPair("ed25519").public))).toBe("ssh-ed25519");
  });

  it.each([
    ["empty", Buffer.alloc(0)],
    ["short", Buffer.from([0, 0, 0])],
    ["length beyond the end", Buffer.from([0, 0, 0, 50, 0x61])],
    ["zero length", Buffer.from([0, 0, 0, 0])],
    ["control characters", Buffer.concat([Buffer.from([0, 0, 0, 3]), Buffer.from("a\nb")])],
  ])("returns unknown for a %s blob", (_label, blob) => {
    expect(readKeyAlgorithm(blob)).toBe("unknown");
  });
});

describe("fingerprintOpenSshLine", () => {
  it("accepts known_hosts lines and rejects garbage", () => {
    const line = generateUsableKeyPair("ed25519").public;
    expect(fingerprintOpenSshLine(`[sftp.example.com]:22 ${line}`)?.algorithm).toBe("ssh-ed25519");
    expect(fingerprintOpenSshLine("ssh-ed25519 not-base64!")).toBeNull();
    expect(fingerprintOpenSshLine("ssh-rsa " + (line.split(" ")[1] ?? ""))).toBeNull();
    expect(fingerprintOpenSshLine("")).toBeNull();
  });
});

describe("normalizeFingerprint", () => {
  const canonical = "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU";
  it.each([canonical, `  ${canonical}  `, "sha256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", "Sha256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU"])("normalises %j", (input) => {
    expect(normalizeFingerprint(input)).toBe(canonical);
  });
  it.each(["", "SHA256:", "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU", "MD5:16:27:ac:a5:76:28:2d:36:63:1b:56:4d:eb:df:a6:48", "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuF", "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU\nx"])(
    "rejects %j",
    (input) => {
      expect(normalizeFingerprint(input)).toBeNull();
    },
  );
});
