import { createDataKey, decryptField, encryptField, unwrapDataKey, type RecordContext } from "@/lib/secrets/envelope";
import type { Keyring } from "@/lib/secrets/keyring";

// The shape every table with secrets uses: a `secretsDataKey` column plus one
// `<field>Enc` column per secret.

export type SecretPatch = Record<string, string | null | undefined>;

/**
 * Seals the given fields for one record. `undefined` leaves a field as it is (the
 * caller keeps the stored ciphertext), `null` clears it. Reuses the record's data key
 * when it has one.
 */
export function sealSecrets(
  keyring: Keyring,
  context: RecordContext,
  existingWrappedKey: string | null | undefined,
  patch: SecretPatch,
): { wrappedKey: string; sealed: Record<string, string | null> } {
  const { dataKey, wrapped } = existingWrappedKey
    ? { dataKey: unwrapDataKey(keyring, existingWrappedKey, context), wrapped: existingWrappedKey }
    : createDataKey(keyring, context);
  const sealed: Record<string, string | null> = {};
  for (const [field, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    sealed[field] = value === null ? null : encryptField(dataKey, context, field, value);
  }
  return { wrappedKey: wrapped, sealed };
}

export function openSecret(
  keyring: Keyring,
  context: RecordContext,
  wrappedKey: string,
  field: string,
  sealed: string,
): string {
  return decryptField(unwrapDataKey(keyring, wrappedKey, context), context, field, sealed);
}
