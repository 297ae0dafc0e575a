import type { Db } from "@/lib/db";
import { auditEntryHash, GENESIS_HASH } from "@/lib/audit/audit-hash";
import type { Prisma } from "@/lib/generated/prisma/client";

// Appends are serialised by a transaction-scoped advisory lock: two concurrent writers
// must not both chain onto the same predecessor.
const AUDIT_LOCK_ID = 0x1ce_a0d1;

export interface AuditActor {
  id: string | null;
  /** What an auditor reads: an e-mail, "system", "cli". */
  label: string;
}

export interface AppendAuditOptions {
  actor: AuditActor;
  action: string;
  targetType?: string;
  targetId?: string;
  /** Never put a secret here: the audit log is readable by every signed-in user's admin. */
  details?: Record<string, unknown>;
}

type Tx = Pick<Db, "$executeRaw" | "auditLog">;

export async function appendAuditInTx(tx: Tx, options: AppendAuditOptions): Promise<{ seq: bigint; hash: string }> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${AUDIT_LOCK_ID})`;
  const last = await tx.auditLog.findFirst({ orderBy: { seq: "desc" }, select: { hash: true } });
  const prevHash = last?.hash ?? GENESIS_HASH;
  // Millisecond precision: what PostgreSQL's timestamp(3) keeps, so verification recomputes the same hash.
  const at = new Date();
  const content = {
    at,
    actorId: options.actor.id,
    actorLabel: options.actor.label,
    action: options.action,
    targetType: options.targetType ?? null,
    targetId: options.targetId ?? null,
    details: options.details ?? {},
  };
  const hash = auditEntryHash(prevHash, content);
  const row = await tx.auditLog.create({
    data: { ...content, details: content.details as Prisma.InputJsonValue, prevHash, hash },
    select: { seq: true, hash: true },
  });
  return row;
}

export async function appendAudit(db: Db, options: AppendAuditOptions): Promise<{ seq: bigint; hash: string }> {
  return db.$transaction((tx) => appendAuditInTx(tx, options));
}
