import type { RunView } from "@/lib/connectors/api-schemas";
import { toRunView } from "@/lib/connectors/connector-view";
import type { Db } from "@/lib/db";
import { AppError } from "@/lib/errors";

/** A connector's runs, newest first (deleted connectors keep theirs: history is evidence). */
export async function listRuns(db: Db, connectorId: string, limit: number): Promise<RunView[]> {
  const connector = await db.connector.findUnique({ where: { id: connectorId }, select: { id: true } });
  if (!connector) throw new AppError("not_found", "Connector not found.");
  const runs = await db.importRun.findMany({ where: { connectorId }, orderBy: { queuedAt: "desc" }, take: limit });
  return runs.map(toRunView);
}
