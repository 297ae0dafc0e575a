import type { Db } from "@/lib/db";
import { isAppError } from "@/lib/errors";
import { secretContext } from "@/lib/secrets/contexts";
import { rewrapDataKey, wrappedKeyId, type RecordContext } from "@/lib/secrets/envelope";
import type { Keyring } from "@/lib/secrets/keyring";

export interface RotationResult {
  rewrapped: number;
  alreadyCurrent: number;
  /** Records whose data key could not be opened; rotation carries on with the rest. */
  failed: { record: RecordContext; reason: string }[];
}

interface WrappedRecord {
  context: RecordContext;
  wrapped: string;
  /** Compare-and-set update: only replaces the data key if nobody changed it meanwhile. */
  save: (next: string) => Promise<unknown>;
}

async function wrappedRecords(db: Db): Promise<WrappedRecord[]> {
  const connectors = await db.connector.findMany({ where: { secretsDataKey: { not: null } }, select: { id: true, secretsDataKey: true } });
  const keyPairs = await db.platformKeyPair.findMany({ select: { id: true, secretsDataKey: true } });
  const settings = await db.setting.findMany({ where: { secretsDataKey: { not: null } }, select: { key: true, secretsDataKey: true } });
  return [
    ...connectors.map((c) => ({
      context: secretContext.connector(c.id),
      wrapped: c.secretsDataKey!,
      save: (next: string) => db.connector.updateMany({ where: { id: c.id, secretsDataKey: c.secretsDataKey }, data: { secretsDataKey: next } }),
    })),
    ...keyPairs.map((k) => ({
      context: secretContext.platformKey(k.id),
      wrapped: k.secretsDataKey,
      save: (next: string) => db.platformKeyPair.updateMany({ where: { id: k.id, secretsDataKey: k.secretsDataKey }, data: { secretsDataKey: next } }),
    })),
    ...settings.map((s) => ({
      context: secretContext.setting(s.key),
      wrapped: s.secretsDataKey!,
      save: (next: string) => db.setting.updateMany({ where: { key: s.key, secretsDataKey: s.secretsDataKey }, data: { secretsDataKey: next } }),
    })),
  ];
}

/**
 * Re-wraps every record's data key under the current master key. Field ciphertexts
 * are untouched, so this is quick and safe to re-run; once nothing still uses the
 * previous master keys (see masterKeysInUse) they can be removed from configuration.
 */
export async function rotateMasterKey(db: Db, keyring: Keyring): Promise<RotationResult> {
  const result: RotationResult = { rewrapped: 0, alreadyCurrent: 0, failed: [] };
  for (const record of await wrappedRecords(db)) {
    try {
      const next = rewrapDataKey(keyring, record.wrapped, record.context);
      if (next === record.wrapped) {
        result.alreadyCurrent++;
        continue;
      }
      await record.save(next);
      result.rewrapped++;
    } catch (err) {
      if (!isAppError(err)) throw err;
      result.failed.push({ record: record.context, reason: err.message });
    }
  }
  return result;
}

/** Master key ids still referenced by stored records (to tell when old keys can go). */
export async function masterKeysInUse(db: Db): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (const record of await wrappedRecords(db)) {
    const id = wrappedKeyId(record.wrapped);
    ids.set(id, (ids.get(id) ?? 0) + 1);
  }
  return ids;
}
