import { createHash } from "node:crypto";

// Master keys come from configuration (APP_ENCRYPTION_KEY + previous keys). Each has a
// short id derived from the key itself, stored beside every data key it wraps, so
// rotation knows which master key opens which record without trying them all.

export interface MasterKey {
  id: string;
  key: Buffer;
}

export interface Keyring {
  current: MasterKey;
  byId: ReadonlyMap<string, MasterKey>;
}

export function masterKeyId(key: Buffer): string {
  // A domain-separated hash: it identifies the key without helping anyone recover it.
  return "mk" + createHash("sha256").update("ice-chat-connector/master-key-id\0").update(key).digest("hex").slice(0, 16);
}

function toMasterKey(base64: string): MasterKey {
  const key = Buffer.from(base64, "base64");
  if (key.length !== 32) throw new Error("a master key must be 32 bytes");
  return { id: masterKeyId(key), key };
}

export function createKeyring(currentBase64: string, previousBase64: readonly string[] = []): Keyring {
  const current = toMasterKey(currentBase64);
  const byId = new Map<string, MasterKey>();
  for (const k of previousBase64.map(toMasterKey)) byId.set(k.id, k);
  byId.set(current.id, current);
  return { current, byId };
}
