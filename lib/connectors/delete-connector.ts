import type { Db } from "@/lib/db";
import { appendAuditInTx, type AuditActor } from "@/lib/audit/append-audit";
import { AppError } from "@/lib/errors";

/**
 * Deletes a connector the way an auditor needs it: the row stays (run history, failed
 * items and the delivery ledger point at it) but its schedule stops (state DELETED), its
 * secrets and mappings are gone and its name is free again. `confirmName` must repeat
 * the name exactly, so a script cannot delete the wrong connector by id alone.
 */
export async function deleteConnector(db: Db, id: string, confirmName: string, actor: AuditActor): Promise<void> {
  const current = await db.connector.findUnique({ where: { id }, select: { id: true, name: true, state: true, firmCode: true } });
  if (!current || current.state === "DELETED") throw new AppError("not_found", "Connector not found.");
  if (confirmName !== current.name) {
    throw new AppError("validation_failed", `confirmName: type the connector's name exactly ("${current.name}") to delete it.`, {
      issues: [{ code: "custom", path: ["confirmName"], message: "does not match the connector's name" }],
    });
  }
  await db.$transaction(async (tx) => {
    await tx.connector.update({
      where: { id },
      data: {
        state: "DELETED",
        nameKey: null,
        deletedAt: new Date(),
        secretsDataKey: null,
        passwordEnc: null,
        pgpPrivateKeyEnc: null,
        pgpPassphraseEnc: null,
        sshPrivateKeyEnc: null,
        sshPassphraseEnc: null,
      },
    });
    await tx.userMapping.deleteMany({ where: { connectorId: id } });
    await tx.connectorAlert.deleteMany({ where: { connectorId: id, resolvedAt: null } });
    await appendAuditInTx(tx, { actor, action: "connector.deleted", targetType: "Connector", targetId: id, details: { name: current.name, firmCode: current.firmCode } });
  });
}
