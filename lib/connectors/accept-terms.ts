import type { Db } from "@/lib/db";
import { appendAudit, type AuditActor } from "@/lib/audit/append-audit";

/** Records that an administrator accepted the connector's terms (the wizard's first step). */
export async function acceptTerms(db: Db, connectorType: "ice-chat", actor: AuditActor, now = new Date()): Promise<void> {
  await appendAudit(db, { actor, action: "terms.accepted", targetType: "ConnectorType", targetId: connectorType, details: { connectorType, acceptedAt: now.toISOString() } });
}
