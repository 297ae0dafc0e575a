import { randomBytes } from "node:crypto";
import { AppError } from "@/lib/errors";
import { decodeSealed, encodeSealed, open, seal } from "@/lib/secrets/aes-gcm";
import type { Keyring } from "@/lib/secrets/keyring";

// Envelope encryption. Each record (a connector, a platform key pair, a setting) has its
// own random data key; its secret fields are sealed with that data key and bound by
// associated data to "<record context>#<field>", so a ciphertext copied to another
// record or field fails to open. The data key is sealed by the current master key and
// bound to "<record context>#data-key". Rotating the master key re-wraps data keys only.
//
//   wrapped data key: v1:<masterKeyId>:<iv>:<tag>:<ciphertext>
//   sealed field:     v1:<iv>:<tag>:<ciphertext>

const VERSION = "v1";

/** Identifies the record a secret belongs to, e.g. "Connector:4b1c…". */
export type RecordContext = string;

const dataKeyAad = (context: RecordContext) => `${context}#data-key`;
const fieldAad = (context: RecordContext, field: string) => `${context}#${field}`;

function cryptoFailed(what: string): AppError {
  return new AppError("crypto_failed", `Stored secret could not be decrypted (${what}).`);
}

export function createDataKey(keyring: Keyring, context: RecordContext): { dataKey: Buffer; wrapped: string } {
  const dataKey = randomBytes(32);
  const wrapped = encodeSealed([VERSION, keyring.current.id], seal(keyring.current.key, dataKey, dataKeyAad(context)));
  return { dataKey, wrapped };
}

export function wrappedKeyId(wrapped: string): string {
  const [version, keyId] = wrapped.split(":");
  if (version !== VERSION || !keyId) throw cryptoFailed("malformed data key");
  return keyId;
}

export function unwrapDataKey(keyring: Keyring, wrapped: string, context: RecordContext): Buffer {
  const keyId = wrappedKeyId(wrapped);
  const master = keyring.byId.get(keyId);
  if (!master) {
    throw new AppError(
      "crypto_failed",
      `Stored secret is wrapped by master key ${keyId}, which is not configured. Set it in APP_ENCRYPTION_KEY or APP_ENCRYPTION_PREVIOUS_KEYS.`,
    );
  }
  try {
    const dataKey = open(master.key, decodeSealed(wrapped.split(":").slice(2)), dataKeyAad(context));
    if (dataKey.length !== 32) throw new Error("bad data key length");
    return dataKey;
  } catch {
    throw cryptoFailed("data key does not open under its master key");
  }
}

/** Re-seals a data key under the current master key; returns the input when already current. */
export function rewrapDataKey(keyring: Keyring, wrapped: string, context: RecordContext): string {
  if (wrappedKeyId(wrapped) === keyring.current.id) return wrapped;
  const dataKey = unwrapDataKey(keyring, wrapped, context);
  return encodeSealed([VERSION, keyring.current.id], seal(keyring.current.key, dataKey, dataKeyAad(context)));
}

export function encryptField(dataKey: Buffer, context: RecordContext, field: string, plaintext: string): string {
  return encodeSealed([VERSION], seal(dataKey, Buffer.from(plaintext, "utf8"), fieldAad(context, field)));
}

export function decryptField(dataKey: Buffer, context: RecordContext, field: string, sealed: string): string {
  const parts = sealed.split(":");
  if (parts[0] !== VERSION) throw cryptoFailed(`malformed ${field}`);
  try {
    return open(dataKey, decodeSealed(parts.slice(1)), fieldAad(context, field)).toString("utf8");
  } catch {
    throw cryptoFailed(`${field} failed its integrity check`);
  }
}
