import type { Db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { ImportRun } from "@/lib/generated/prisma/client";
import { startRun, type StartRunOptions } from "@/lib/imports/start-run";

/**
 * Run now / backfill: creates the queued run and hands it to the queue. If the queue
 * cannot take it, the run is failed at once so it does not block the connector as
 * "queued" until the stale-run sweep notices.
 */
export async function requestRun(db: Db, options: StartRunOptions, enqueue: (runId: string) => Promise<void>): Promise<ImportRun> {
  const run = await startRun(db, options);
  try {
    await enqueue(run.id);
  } catch {
    const reason = "The job queue (Redis) did not accept the run; nothing was imported. Try again when the queue is available.";
    await db.importRun.updateMany({
      where: { id: run.id, status: "QUEUED" },
      data: { status: "FAILED", activeRunKey: null, finishedAt: new Date(), error: reason },
    });
    throw new AppError("internal", reason);
  }
  return run;
}
