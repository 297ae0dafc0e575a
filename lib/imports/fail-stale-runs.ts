import type { Queue } from "bullmq";
import type { Db } from "@/lib/db";
import { fail } from "@/lib/imports/run-import";

// A run whose job is gone (failed for good, removed, or lost with Redis) would stay
// "running" forever and block its connector. Fail it with a reason an admin can act on.

export async function failStaleRuns(db: Db, queue: Queue, options: { staleAfterMs: number; now?: Date }): Promise<string[]> {
  const now = options.now ?? new Date();
  const candidates = await db.importRun.findMany({
    where: {
      status: { in: ["QUEUED", "RUNNING"] },
      OR: [{ heartbeatAt: { lt: new Date(now.getTime() - options.staleAfterMs) } }, { heartbeatAt: null, queuedAt: { lt: new Date(now.getTime() - options.staleAfterMs) } }],
    },
    select: { id: true, connectorId: true, trigger: true },
  });
  const failed: string[] = [];
  for (const run of candidates) {
    // Scheduled runs live inside their scheduler's job; only a finished or missing job counts.
    const job = run.trigger === "SCHEDULED" ? null : await queue.getJob(`run-${run.id}`);
    const state = job ? await job.getState() : "missing";
    if (run.trigger === "SCHEDULED" ? await hasLiveScheduledJob(queue, run.connectorId) : ["active", "waiting", "delayed", "prioritized", "waiting-children"].includes(state)) continue;
    await fail(db, run.id, run.connectorId, "The run was interrupted and its job is no longer queued (worker crash loop or lost queue). Start it again with Run now.");
    failed.push(run.id);
  }
  return failed;
}

async function hasLiveScheduledJob(queue: Queue, connectorId: string): Promise<boolean> {
  const jobs = await queue.getJobs(["active", "waiting", "delayed", "prioritized"], 0, 500);
  return jobs.some((j) => j.name === "scheduled-run" && (j.data as { connectorId?: string }).connectorId === connectorId);
}

/** Called when BullMQ gives up on a job: the run it carried is failed with the job's last error. */
export async function failRunOfJob(db: Db, job: { name: string; data: unknown }, reason: string): Promise<void> {
  const data = job.data as { runId?: string; connectorId?: string };
  const run = data.runId
    ? await db.importRun.findUnique({ where: { id: data.runId } })
    : data.connectorId
      ? await db.importRun.findFirst({ where: { activeRunKey: data.connectorId } })
      : null;
  if (!run || !["QUEUED", "RUNNING"].includes(run.status)) return;
  await fail(db, run.id, run.connectorId, reason);
}
