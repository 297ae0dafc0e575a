import { createHash } from "node:crypto";

// The audit chain: hash_n = SHA-256(hash_{n-1} || canonical entry). Altering, removing
// or reordering an entry breaks every later link.

export const GENESIS_HASH = "0".repeat(64);

export interface AuditEntryContent {
  at: Date;
  actorId: string | null;
  actorLabel: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  details: unknown;
}

/** JSON with object keys sorted at every level, so jsonb's key reordering does not matter. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(",")}}`;
}

export function auditEntryHash(prevHash: string, entry: AuditEntryContent): string {
  const body = canonicalJson({
    at: entry.at.toISOString(),
    actorId: entry.actorId,
    actorLabel: entry.actorLabel,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId,
    details: entry.details ?? {},
  });
  return createHash("sha256").update(prevHash).update("\n").update(body).digest("hex");
}
