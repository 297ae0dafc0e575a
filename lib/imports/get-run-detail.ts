import type { RunDetailView } from "@/lib/connectors/api-schemas";
import { toRunView } from "@/lib/connectors/connector-view";
import type { Db } from "@/lib/db";
import { AppError } from "@/lib/errors";

export const RUN_DETAIL_LIMIT = 500;

/** A run with what the admin log shows: failed items, unmapped users, partial imports and source files. */
export async function getRunDetail(db: Db, runId: string, limit = RUN_DETAIL_LIMIT): Promise<{ run: RunDetailView; connectorName: string }> {
  const run = await db.importRun.findUnique({ where: { id: runId }, include: { connector: { select: { name: true } } } });
  if (!run) throw new AppError("not_found", "Run not found.");
  const [failedItems, failedItemsTotal, unmapped, partial, files] = await Promise.all([
    db.failedItem.findMany({ where: { runId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], take: limit }),
    db.failedItem.count({ where: { runId } }),
    db.unmappedParticipant.findMany({ where: { runId }, orderBy: { imId: "asc" }, take: limit }),
    db.delivery.findMany({ where: { runId, status: "PARTIAL" }, orderBy: { createdAt: "asc" }, take: limit, select: { itemKey: true, mailbox: true, note: true } }),
    db.sourceFile.findMany({ where: { lastRunId: runId }, orderBy: { path: "asc" }, take: limit }),
  ]);
  const detail: RunDetailView = {
    ...toRunView(run),
    failedItems: failedItems.map((f) => ({
      itemId: f.itemId,
      conversationId: f.conversationId,
      sourceImId: f.sourceImId,
      mailbox: f.mailbox,
      reason: f.reason,
      detail: f.detail,
      createdAt: f.createdAt.toISOString(),
    })),
    failedItemsTotal,
    unmappedParticipants: unmapped.map((u) => ({ imId: u.imId, email: u.email, reason: u.reason })),
    partialItems: partial.map((p) => ({ itemKey: p.itemKey, mailbox: p.mailbox, note: p.note ?? "" })),
    files: files.map((f) => ({ path: f.path, size: Number(f.size), mtime: f.mtime.toISOString(), status: f.status, itemCount: f.itemCount, error: f.error })),
  };
  return { run: detail, connectorName: run.connector.name };
}
