import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createDataKey, decryptField, rewrapDataKey, unwrapDataKey, wrappedKeyId } from "@/lib/secrets/envelope";
import { createKeyring } from "@/lib/secrets/keyring";
import { openSecret, sealSecrets } from "@/lib/secrets/record-secrets";

const k1 = randomBytes(32).toString("base64");
const k2 = randomBytes(32).toString("base64");
const ctx = "Connector:0b8a3f1e-0000-4000-8000-000000000001";
const other = "Connector:0b8a3f1e-0000-4000-8000-000000000002";
const secret = "hunter2-SFTP-password-ÄÖ-🔑";

function b64urlDecodeAll(value: string): Buffer[] {
  return value.split(":").map((p) => Buffer.from(p, "base64url"));
}

/** Flip one bit in one base64url segment of a sealed value. */
function tamper(value: string, segment: number): string {
  const parts = value.split(":");
  const bytes = Buffer.from(parts[segment]!, "base64url");
  bytes[0] = bytes[0]! ^ 0x01;
  parts[segment] = bytes.toString("base64url");
  return parts.join(":");
}

describe("secrets envelope", () => {
  const ring = createKeyring(k1);

  it("round-trips a field and never stores the plaintext", () => {
    const { wrappedKey, sealed } = sealSecrets(ring, ctx, null, { password: secret });
    const ciphertext = sealed.password!;
    expect(openSecret(ring, ctx, wrappedKey, "password", ciphertext)).toBe(secret);
    const plain = Buffer.from(secret, "utf8");
    for (const blob of [ciphertext, wrappedKey]) {
      expect(blob).not.toContain(secret);
      for (const part of b64urlDecodeAll(blob)) expect(part.includes(plain)).toBe(false);
      expect(Buffer.from(blob).includes(plain)).toBe(false);
    }
  });

  it("uses a fresh IV each time", () => {
    const a = sealSecrets(ring, ctx, null, { password: secret });
    const b = sealSecrets(ring, ctx, a.wrappedKey, { password: secret });
    expect(a.sealed.password).not.toBe(b.sealed.password);
    expect(openSecret(ring, ctx, a.wrappedKey, "password", b.sealed.password!)).toBe(secret);
  });

  it("detects tampering with IV, tag or ciphertext", () => {
    const { wrappedKey, sealed } = sealSecrets(ring, ctx, null, { password: secret });
    for (const segment of [1, 2, 3]) {
      expect(() => openSecret(ring, ctx, wrappedKey, "password", tamper(sealed.password!, segment))).toThrow(
        /could not be decrypted/,
      );
    }
    for (const segment of [2, 3, 4]) {
      expect(() => openSecret(ring, ctx, tamper(wrappedKey, segment), "password", sealed.password!)).toThrow(
        /could not be decrypted/,
      );
    }
  });

  it("rejects a truncated authentication tag", () => {
    const { wrappedKey, sealed } = sealSecrets(ring, ctx, null, { password: secret });
    const parts = sealed.password!.split(":");
    for (const len of [4, 8, 12, 15]) {
      const truncated = [...parts];
      truncated[2] = Buffer.from(parts[2]!, "base64url").subarray(0, len).toString("base64url");
      expect(() => openSecret(ring, ctx, wrappedKey, "password", truncated.join(":"))).toThrow(/could not be decrypted/);
    }
  });

  it("binds ciphertexts to their record and field (swapped associated data fails)", () => {
    const a = sealSecrets(ring, ctx, null, { password: secret, sshPassphrase: "other" });
    // Same data key, other field name.
    expect(() => openSecret(ring, ctx, a.wrappedKey, "sshPassphrase", a.sealed.password!)).toThrow(/could not be decrypted/);
    // Wrapped key moved to another record.
    expect(() => openSecret(ring, other, a.wrappedKey, "password", a.sealed.password!)).toThrow(/could not be decrypted/);
    // Ciphertext moved to another record that has its own data key.
    const b = sealSecrets(ring, other, null, { password: "x" });
    expect(() => openSecret(ring, other, b.wrappedKey, "password", a.sealed.password!)).toThrow(/could not be decrypted/);
  });

  it("fails with a wrong master key, naming the missing key id", () => {
    const { wrappedKey, sealed } = sealSecrets(ring, ctx, null, { password: secret });
    const wrong = createKeyring(k2);
    expect(() => openSecret(wrong, ctx, wrappedKey, "password", sealed.password!)).toThrow(
      new RegExp(`master key ${wrappedKeyId(wrappedKey)}, which is not configured`),
    );
    // A different key that claims the same id (forged header) still fails the GCM check.
    const forged = wrappedKey.replace(wrappedKeyId(wrappedKey), wrong.current.id);
    expect(() => openSecret(wrong, ctx, forged, "password", sealed.password!)).toThrow(/could not be decrypted/);
  });

  it("survives a master-key rotation: re-wraps the data key only", () => {
    const { wrappedKey, sealed } = sealSecrets(ring, ctx, null, { password: secret });
    const rotated = createKeyring(k2, [k1]);
    const rewrapped = rewrapDataKey(rotated, wrappedKey, ctx);
    expect(wrappedKeyId(rewrapped)).toBe(rotated.current.id);
    expect(rewrapDataKey(rotated, rewrapped, ctx)).toBe(rewrapped);
    // After rotation the old key can be dropped entirely.
    const onlyNew = createKeyring(k2);
    expect(openSecret(onlyNew, ctx, rewrapped, "password", sealed.password!)).toBe(secret);
    expect(unwrapDataKey(onlyNew, rewrapped, ctx)).toEqual(unwrapDataKey(ring, wrappedKey, ctx));
  });

  it("leaves undefined fields alone and clears null ones", () => {
    const first = sealSecrets(ring, ctx, null, { password: "a", pgpPassphrase: "b" });
    const second = sealSecrets(ring, ctx, first.wrappedKey, { password: undefined, pgpPassphrase: null });
    expect(second.wrappedKey).toBe(first.wrappedKey);
    expect(second.sealed).toEqual({ pgpPassphrase: null });
  });

  it("rejects malformed values with a clear error", () => {
    const { dataKey } = createDataKey(ring, ctx);
    for (const bad of ["", "v1", "v2:a:b:c", "v1:a:b", "v1:!!:??:**", "v1:::"]) {
      expect(() => decryptField(dataKey, ctx, "password", bad)).toThrow(/could not be decrypted/);
    }
    expect(() => unwrapDataKey(ring, "garbage", ctx)).toThrow(/could not be decrypted/);
  });
});
