import type { Db } from "@/lib/db";
import { appendAudit, type AuditActor } from "@/lib/audit/append-audit";
import { AppError } from "@/lib/errors";
import { parseMappingCsv } from "@/lib/mapping/parse-mapping-csv";

/** Replaces a connector's user mapping with an uploaded CSV: all rows or none (a file with any error changes nothing). */
export async function replaceMapping(db: Db, connectorId: string, csv: string, actor: AuditActor): Promise<{ mappingRows: number }> {
  const connector = await db.connector.findUnique({ where: { id: connectorId }, select: { state: true } });
  if (!connector || connector.state === "DELETED") throw new AppError("not_found", "Connector not found.");
  const mapping = parseMappingCsv(csv);
  if (!mapping.ok) {
    const first = mapping.errors[0];
    throw new AppError("validation_failed", `The mapping file has ${mapping.errorCount} error(s)${first ? `; first on line ${first.line}: ${first.message}` : ""}. Nothing was changed.`, {
      errors: mapping.errors,
      errorCount: mapping.errorCount,
    });
  }
  await db.$transaction(async (tx) => {
    await tx.userMapping.deleteMany({ where: { connectorId } });
    if (mapping.rows.length > 0) {
      await tx.userMapping.createMany({
        data: mapping.rows.map((r) => ({ connectorId, imId: r.imId, imIdKey: r.imId.toLowerCase(), mailbox: r.mailbox, line: r.line })),
      });
    }
  });
  await appendAudit(db, { actor, action: "connector.mapping_replaced", targetType: "Connector", targetId: connectorId, details: { mappingRows: mapping.rows.length } });
  return { mappingRows: mapping.rows.length };
}
