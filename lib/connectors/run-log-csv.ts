import { stringify } from "csv-stringify/sync";
import type { RunDetailView } from "@/lib/connectors/api-schemas";

// The admin log download. Every value that came from the source (ICE ids, file names,
// error text) is attacker-influenced and the file is opened in spreadsheets: cells that
// start with = + - @ are neutralised (csv-stringify escape_formulas) so they never run.

export const RUN_LOG_COLUMNS = ["Record", "Name", "Value", "Mailbox", "Reason", "Detail", "Time"] as const;

export function runLogFileName(run: Pick<RunDetailView, "id" | "queuedAt">): string {
  return `ice-chat-run-${run.queuedAt.slice(0, 10)}-${run.id.slice(0, 8)}.csv`;
}

export function buildRunLogCsv(run: RunDetailView, connectorName: string): string {
  const rows: (string | number | null)[][] = [[...RUN_LOG_COLUMNS]];
  const summary = (name: string, value: string | number | boolean | null) => rows.push(["Summary", name, value === null ? "" : String(value), "", "", "", ""]);
  summary("Connector", connectorName);
  summary("Run id", run.id);
  summary("Trigger", run.trigger);
  summary("Status", run.status);
  summary("Queued at", run.queuedAt);
  summary("Started at", run.startedAt);
  summary("Finished at", run.finishedAt);
  summary("Window from", run.windowFrom);
  summary("Window to", run.windowTo);
  summary("Limit approved", run.limitApproved);
  summary("Attempts", run.attempts);
  summary("Files found", run.filesFound);
  summary("Files processed", run.filesProcessed);
  summary("Files failed", run.filesFailed);
  summary("Items from source", run.itemsFromSource);
  summary("Items for import", run.itemsForImport);
  summary("Items processed", run.itemsProcessed);
  summary("Imported", run.imported);
  summary("Partially imported", run.partiallyImported);
  summary("Skipped (duplicate)", run.skippedDuplicate);
  summary("Failed: user mapping", run.failed.userMapping);
  summary("Failed: too large", run.failed.tooLarge);
  summary("Failed: destination", run.failed.destination);
  summary("Failed: other", run.failed.other);
  summary("Failed: total", run.failed.total);
  summary("Message", run.message);
  summary("Error", run.error);
  for (const f of run.failedItems) {
    rows.push(["Failed item", f.itemId, f.sourceImId ?? "", f.mailbox ?? "", f.reason, f.detail, f.createdAt]);
  }
  for (const u of run.unmappedParticipants) rows.push(["Unmapped user", u.imId, u.email ?? "", "", u.reason, "", ""]);
  for (const p of run.partialItems) rows.push(["Partially imported", p.itemKey, "", p.mailbox, "", p.note, ""]);
  for (const f of run.files) rows.push(["File", f.path, String(f.size), "", f.status, f.error ?? (f.itemCount === null ? "" : `${f.itemCount} items`), f.mtime]);
  // A UTF-8 BOM so Excel reads non-ASCII names correctly; CRLF as Excel writes it.
  return "\uFEFF" + stringify(rows, { escape_formulas: true, record_delimiter: "\r\n" });
}
