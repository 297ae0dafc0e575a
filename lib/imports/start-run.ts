import type { Db } from "@/lib/db";
import { appendAudit, type AuditActor } from "@/lib/audit/append-audit";
import { AppError } from "@/lib/errors";
import type { ImportRun, RunTrigger } from "@/lib/generated/prisma/client";

export interface StartRunOptions {
  connectorId: string;
  trigger: RunTrigger;
  requestedById?: string | null;
  /** Backfill window (both or neither). */
  windowFrom?: Date;
  windowTo?: Date;
  /** Import even if the source holds more items than the daily limit (one run only). */
  limitApproved?: boolean;
  /** Scheduled runs: the slot this run covers (one run per connector and slot). */
  scheduledFor?: Date;
  actor?: AuditActor;
}

/**
 * Creates a queued run. At most one run per connector is queued or running at a time
 * (enforced by a unique key in the database, not by a check-then-insert race): a second
 * request is refused with the run already in progress.
 */
export async function startRun(db: Db, options: StartRunOptions): Promise<ImportRun> {
  const connector = await db.connector.findUnique({ where: { id: options.connectorId }, select: { id: true, state: true, name: true } });
  if (!connector || connector.state === "DELETED") throw new AppError("not_found", "Connector not found.");
  if (options.trigger !== "SCHEDULED" && connector.state === "PAUSED") {
    throw new AppError("conflict", `Connector "${connector.name}" is paused: resume it before running it.`);
  }
  if ((options.windowFrom === undefined) !== (options.windowTo === undefined)) {
    throw new AppError("validation_failed", "A backfill needs both a start and an end.");
  }
  if (options.windowFrom && options.windowTo && options.windowFrom >= options.windowTo) {
    throw new AppError("validation_failed", "The backfill start must be before its end.");
  }
  try {
    const run = await db.importRun.create({
      data: {
        connectorId: connector.id,
        trigger: options.trigger,
        activeRunKey: connector.id,
        requestedById: options.requestedById ?? null,
        windowFrom: options.windowFrom ?? null,
        windowTo: options.windowTo ?? null,
        limitApproved: options.limitApproved ?? false,
        scheduledFor: options.scheduledFor ?? null,
      },
    });
    if (options.actor) {
      await appendAudit(db, {
        actor: options.actor,
        action: options.trigger === "BACKFILL" ? "run.backfill_requested" : "run.requested",
        targetType: "ImportRun",
        targetId: run.id,
        details: { connectorId: connector.id, windowFrom: options.windowFrom?.toISOString(), windowTo: options.windowTo?.toISOString(), limitApproved: run.limitApproved },
      });
    }
    return run;
  } catch (err) {
    if ((err as { code?: string }).code !== "P2002") throw err;
    const active = await db.importRun.findFirst({ where: { activeRunKey: connector.id } });
    if (options.scheduledFor && !active) {
      throw new AppError("conflict", `A scheduled run for ${options.scheduledFor.toISOString()} already exists.`, { runId: null });
    }
    throw new AppError(
      "conflict",
      `A run is already ${active?.status === "RUNNING" ? "running" : "queued"} for "${connector.name}"${active?.startedAt ? ` (started ${active.startedAt.toISOString()})` : ""}; wait for it to finish.`,
      { runId: active?.id },
    );
  }
}
