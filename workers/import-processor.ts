// The import job processor. BullMQ runs it in a sandboxed child process: decrypt, parse
// and convert are CPU-heavy, and in the worker's own event loop they would delay lock
// renewals until BullMQ hands the same run to a second worker. Here the parent keeps
// renewing the lock however busy this process is.
import type { SandboxedJob } from "bullmq";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { isAppError } from "@/lib/errors";
import { fail, RetryableRunError, runImport } from "@/lib/imports/run-import";
import { scheduledSlotOf } from "@/lib/imports/schedule";
import { startRun } from "@/lib/imports/start-run";
import { logger } from "@/lib/log";
import { IMPORT_ATTEMPTS, parseJobData, type JobName } from "@/lib/queue";
import { runDeps } from "@/workers/run-deps";

const log = logger().child({ component: "import-processor" });

async function runWithRetries(job: SandboxedJob, runId: string): Promise<void> {
  const run = await runImport(runDeps(log), runId).catch(async (err: unknown) => {
    if (!(err instanceof RetryableRunError)) throw err;
    const attempts = job.opts.attempts ?? IMPORT_ATTEMPTS;
    const current = await db().importRun.findUniqueOrThrow({ where: { id: runId } });
    if (job.attemptsMade + 1 >= attempts) {
      await fail(db(), runId, current.connectorId, `${err.message} (gave up after ${attempts} attempts)`);
      return null;
    }
    await db().importRun.update({ where: { id: runId }, data: { message: `Retrying after: ${err.message}`, error: err.message } });
    throw err;
  });
  if (run) log.info({ runId, status: run.status }, "run finished");
}

export default async function processImportJob(job: SandboxedJob): Promise<void> {
  const name = job.name as JobName;
  if (name === "import-run") {
    const { runId } = parseJobData("import-run", job.data);
    await runWithRetries(job, runId);
    return;
  }
  if (name === "scheduled-run") {
    const { connectorId } = parseJobData("scheduled-run", job.data);
    // The scheduler may fire once more between a pause and the next schedule sync.
    const connector = await db().connector.findUnique({ where: { id: connectorId }, select: { state: true } });
    if (connector?.state !== "ACTIVE") {
      log.info({ connectorId, state: connector?.state }, "scheduled run skipped: connector not active");
      return;
    }
    const slot = scheduledSlotOf(job.id, job.timestamp, { everySeconds: env().SCHEDULE_OVERRIDE_EVERY_SECONDS });
    const existing = await db().importRun.findUnique({ where: { connectorId_scheduledFor: { connectorId, scheduledFor: slot } } });
    let runId = existing?.id;
    if (!runId) {
      try {
        runId = (await startRun(db(), { connectorId, trigger: "SCHEDULED", scheduledFor: slot })).id;
      } catch (err) {
        // A manual run or backfill is in progress: it covers the same files.
        if (isAppError(err) && err.code === "conflict") {
          log.info({ connectorId, slot, reason: err.message }, "scheduled run skipped");
          return;
        }
        throw err;
      }
    }
    await runWithRetries(job, runId);
    return;
  }
  throw new Error(`no handler for job "${String(name)}"`);
}
