import { randomBytes } from "node:crypto";
import * as openpgp from "openpgp";
import type { EllipticCurveName, Key, PrivateKey } from "openpgp";
import { AppError } from "@/lib/errors";

export type PgpKeyType = "rsa" | "ecc";

export interface GeneratePgpKeyOptions {
  /** User id on the key, e.g. { name: "ICE Chat Connector (ACME01)", email: "compliance@acme.example" }. */
  userId: { name?: string; email?: string };
  /**
   * Default "rsa": gpg 2.2 (still Debian's) reads openpgp's RSA and legacy-ecc keys but not
   * its v6 `curve25519` keys, and ICE's side is an unknown PGP implementation.
   */
  type?: PgpKeyType;
  /** RSA modulus; default 4096. Tests use 2048 for speed. */
  rsaBits?: number;
  /** For type "ecc"; default openpgp's ("curve25519Legacy": ed25519 + cv25519, which gpg 2.2 reads). */
  curve?: EllipticCurveName;
  /** Key lifetime in seconds from creation; omitted = never expires. */
  expiresInSeconds?: number;
  /** Creation time; default now. */
  date?: Date;
}

export interface GeneratedPgpKey {
  type: PgpKeyType;
  publicKeyArmored: string;
  /** Encrypted with `passphrase`; store both, the passphrase itself encrypted. */
  privateKeyArmored: string;
  passphrase: string;
  revocationCertificate: string;
  /** Upper-case hex, 40 characters for v4 keys, as gpg shows it (without spaces). */
  fingerprint: string;
  createdAt: Date;
  expiresAt: Date | null;
}

export async function generatePgpKey(options: GeneratePgpKeyOptions): Promise<GeneratedPgpKey> {
  const type = options.type ?? "rsa";
  const rsaBits = options.rsaBits ?? 4096;
  if (type === "rsa" && (!Number.isInteger(rsaBits) || rsaBits < 2048)) {
    throw new AppError("validation_failed", `RSA keys must be at least 2048 bits (got ${rsaBits}).`);
  }
  if (!options.userId.name && !options.userId.email) {
    throw new AppError("validation_failed", "The OpenPGP key needs a user id: a name, an e-mail address or both.");
  }
  if (options.expiresInSeconds !== undefined && !(Number.isInteger(options.expiresInSeconds) && options.expiresInSeconds > 0)) {
    throw new AppError("validation_failed", "Key lifetime must be a positive whole number of seconds.");
  }
  const passphrase = randomBytes(32).toString("base64url");
  let generated;
  try {
    generated = await openpgp.generateKey({
      userIDs: [options.userId],
      passphrase,
      ...(type === "rsa" ? { type: "rsa", rsaBits } : { type: "ecc", ...(options.curve ? { curve: options.curve } : {}) }),
      ...(options.expiresInSeconds !== undefined ? { keyExpirationTime: options.expiresInSeconds } : {}),
      ...(options.date ? { date: options.date } : {}),
      format: "object",
    });
  } catch (err) {
    if (err instanceof Error && /user ?id/i.test(err.message)) {
      throw new AppError("validation_failed", "The key's user id is not valid: check the name and e-mail address.");
    }
    if (err instanceof Error && /curve/i.test(err.message)) {
      throw new AppError("validation_failed", `Unsupported elliptic curve for the OpenPGP key: ${options.curve ?? "default"}.`);
    }
    throw err;
  }
  const { privateKey, publicKey, revocationCertificate } = generated;
  return {
    type,
    publicKeyArmored: publicKey.armor(),
    privateKeyArmored: privateKey.armor(),
    passphrase,
    revocationCertificate,
    fingerprint: privateKey.getFingerprint().toUpperCase(),
    createdAt: privateKey.getCreationTime(),
    expiresAt: await readExpiry(publicKey),
  };
}

async function readExpiry(key: Key): Promise<Date | null> {
  const expiry = await key.getExpirationTime();
  return expiry instanceof Date ? expiry : null;
}

/**
 * Reads an armored (or binary) OpenPGP private key and unlocks it.
 * Each failure an admin can cause gets its own message.
 */
export async function readPgpPrivateKey(input: string | Uint8Array, passphrase?: string): Promise<PrivateKey> {
  let key: Key;
  try {
    key =
      typeof input === "string"
        ? await openpgp.readKey({ armoredKey: input.trim() })
        : await openpgp.readKey({ binaryKey: input });
  } catch {
    throw new AppError(
      "validation_failed",
      "Not an OpenPGP key: expected an armored block starting with \"-----BEGIN PGP PRIVATE KEY BLOCK-----\".",
    );
  }
  if (!key.isPrivate()) {
    throw new AppError(
      "validation_failed",
      "This is an OpenPGP public key; decryption needs the private (secret) key, e.g. from \"gpg --armor --export-secret-keys <fingerprint>\".",
    );
  }
  const privateKey = key;
  if (privateKey.isDecrypted()) {
    // validate() exists at run time but is missing from openpgp's type definitions.
    const withValidate = privateKey as PrivateKey & { validate?: () => Promise<void> };
    try {
      await withValidate.validate?.();
    } catch {
      throw new AppError("validation_failed", "The OpenPGP private key is damaged: its secret and public parts do not match.");
    }
    return privateKey;
  }
  if (!passphrase) {
    throw new AppError("validation_failed", "This OpenPGP private key is protected by a passphrase; enter the passphrase.");
  }
  try {
    return await openpgp.decryptKey({ privateKey, passphrase });
  } catch (err) {
    if (err instanceof Error && /incorrect key passphrase/i.test(err.message)) {
      throw new AppError("validation_failed", "Wrong passphrase for this OpenPGP private key.");
    }
    throw new AppError(
      "validation_failed",
      "The OpenPGP private key could not be unlocked (unsupported protection or damaged key); re-export it with gpg and try again.",
    );
  }
}

export interface PgpKeySummary {
  fingerprint: string;
  /** Key ids (16 hex, upper case) of the primary key and every subkey: what messages name as recipients. */
  keyIds: string[];
  userIds: string[];
  createdAt: Date;
  expiresAt: Date | null;
}

export async function describePgpKey(key: Key): Promise<PgpKeySummary> {
  return {
    fingerprint: key.getFingerprint().toUpperCase(),
    keyIds: key.getKeyIDs().map((id) => id.toHex().toUpperCase()),
    userIds: key.getUserIDs(),
    createdAt: key.getCreationTime(),
    expiresAt: await readExpiry(key),
  };
}
