import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

// AES-256-GCM with a random 96-bit IV and a full 128-bit tag. authTagLength is set on
// the decipher too: without it Node accepts a truncated tag, which weakens forgery
// resistance to the truncated length.
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface Sealed {
  iv: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
}

export function seal(key: Buffer, plaintext: Buffer, aad: string): Sealed {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(aad, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv, tag: cipher.getAuthTag(), ciphertext };
}

/** Throws on any mismatch of key, IV, tag, ciphertext or associated data. */
export function open(key: Buffer, sealed: Sealed, aad: string): Buffer {
  if (sealed.iv.length !== IV_BYTES) throw new Error("bad IV length");
  if (sealed.tag.length !== TAG_BYTES) throw new Error("bad authentication tag length");
  const decipher = createDecipheriv("aes-256-gcm", key, sealed.iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(aad, "utf8"));
  decipher.setAuthTag(sealed.tag);
  return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]);
}

export function encodeSealed(prefix: string[], s: Sealed): string {
  return [...prefix, s.iv.toString("base64url"), s.tag.toString("base64url"), s.ciphertext.toString("base64url")].join(":");
}

export function decodeSealed(parts: string[]): Sealed {
  const [iv, tag, ciphertext] = parts;
  if (parts.length !== 3 || iv === undefined || tag === undefined || ciphertext === undefined) {
    throw new Error("malformed sealed value");
  }
  return {
    iv: Buffer.from(iv, "base64url"),
    tag: Buffer.from(tag, "base64url"),
    ciphertext: Buffer.from(ciphertext, "base64url"),
  };
}
