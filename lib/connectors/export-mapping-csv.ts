import { stringify } from "csv-stringify/sync";
import type { Db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { MAPPING_COLUMNS } from "@/lib/mapping/parse-mapping-csv";

/** The stored mapping in the upload format (ImId,Mailbox), so it can be edited and uploaded again. */
export async function exportMappingCsv(db: Db, connectorId: string): Promise<string> {
  const connector = await db.connector.findUnique({ where: { id: connectorId }, select: { state: true } });
  if (!connector || connector.state === "DELETED") throw new AppError("not_found", "Connector not found.");
  const rows = await db.userMapping.findMany({ where: { connectorId }, orderBy: { line: "asc" }, select: { imId: true, mailbox: true } });
  // Spreadsheets open this file: a cell starting with = + - @ must not become a formula.
  return stringify([[...MAPPING_COLUMNS], ...rows.map((r) => [r.imId, r.mailbox])], { escape_formulas: true, record_delimiter: "\r\n" });
}
