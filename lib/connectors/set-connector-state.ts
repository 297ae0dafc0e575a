import type { Db } from "@/lib/db";
import { appendAudit, type AuditActor } from "@/lib/audit/append-audit";
import { AppError } from "@/lib/errors";

/** Shared by pause and resume: idempotent (pausing a paused connector is fine), audited when it changes. */
export async function setConnectorState(db: Db, id: string, state: "ACTIVE" | "PAUSED", actor: AuditActor): Promise<void> {
  const current = await db.connector.findUnique({ where: { id }, select: { state: true, name: true } });
  if (!current || current.state === "DELETED") throw new AppError("not_found", "Connector not found.");
  if (current.state === state) return;
  // The state condition makes a concurrent delete win: a deleted connector is never revived.
  const { count } = await db.connector.updateMany({ where: { id, state: { not: "DELETED" } }, data: { state } });
  if (count === 0) throw new AppError("not_found", "Connector not found.");
  await appendAudit(db, {
    actor,
    action: state === "PAUSED" ? "connector.paused" : "connector.resumed",
    targetType: "Connector",
    targetId: id,
    details: { name: current.name },
  });
}
