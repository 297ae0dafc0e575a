import type { Db } from "@/lib/db";
import { rewrapDataKey, wrappedKeyId } from "@/lib/secrets/envelope";
import { secretContext } from "@/lib/secrets/contexts";
import type { Keyring } from "@/lib/secrets/keyring";

export interface RotationResult {
  rewrapped: number;
  alreadyCurrent: number;
}

/**
 * Re-wraps every record's data key under the current master key. Field ciphertexts
 * are untouched, so this is quick and safe to re-run; afterwards the previous master
 * keys can be removed from configuration.
 */
export async function rotateMasterKey(db: Db, keyring: Keyring): Promise<RotationResult> {
  const result: RotationResult = { rewrapped: 0, alreadyCurrent: 0 };
  const count = (changed: boolean) => (changed ? result.rewrapped++ : result.alreadyCurrent++);

  const connectors = await db.connector.findMany({
    where: { secretsDataKey: { not: null } },
    select: { id: true, secretsDataKey: true },
  });
  for (const c of connectors) {
    const wrapped = c.secretsDataKey!;
    const next = rewrapDataKey(keyring, wrapped, secretContext.connector(c.id));
    count(next !== wrapped);
    if (next !== wrapped) {
      await db.connector.updateMany({ where: { id: c.id, secretsDataKey: wrapped }, data: { secretsDataKey: next } });
    }
  }

  const keyPairs = await db.platformKeyPair.findMany({ select: { id: true, secretsDataKey: true } });
  for (const k of keyPairs) {
    const next = rewrapDataKey(keyring, k.secretsDataKey, secretContext.platformKey(k.id));
    count(next !== k.secretsDataKey);
    if (next !== k.secretsDataKey) {
      await db.platformKeyPair.updateMany({ where: { id: k.id, secretsDataKey: k.secretsDataKey }, data: { secretsDataKey: next } });
    }
  }

  const settings = await db.setting.findMany({
    where: { secretsDataKey: { not: null } },
    select: { key: true, secretsDataKey: true },
  });
  for (const s of settings) {
    const wrapped = s.secretsDataKey!;
    const next = rewrapDataKey(keyring, wrapped, secretContext.setting(s.key));
    count(next !== wrapped);
    if (next !== wrapped) {
      await db.setting.updateMany({ where: { key: s.key, secretsDataKey: wrapped }, data: { secretsDataKey: next } });
    }
  }
  return result;
}

/** Master key ids still referenced by stored records (to tell when old keys can go). */
export async function masterKeysInUse(db: Db): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  const add = (wrapped: string | null) => {
    if (!wrapped) return;
    const id = wrappedKeyId(wrapped);
    ids.set(id, (ids.get(id) ?? 0) + 1);
  };
  (await db.connector.findMany({ select: { secretsDataKey: true } })).forEach((r) => add(r.secretsDataKey));
  (await db.platformKeyPair.findMany({ select: { secretsDataKey: true } })).forEach((r) => add(r.secretsDataKey));
  (await db.setting.findMany({ select: { secretsDataKey: true } })).forEach((r) => add(r.secretsDataKey));
  return ids;
}
