// The worker process: BullMQ consumers, the schedule and missed-day reconcilers, health
// and metrics, and a graceful shutdown. Never started inside the Next.js server: imports
// run for hours.
import path from "node:path";
import { Worker } from "bullmq";
import { db, disconnectDb } from "@/lib/db";
import { env } from "@/lib/env";
import { checkMissedDays } from "@/lib/imports/check-missed-days";
import { failRunOfJob, failStaleRuns } from "@/lib/imports/fail-stale-runs";
import { PROCESSOR_NODE_FLAGS } from "@/lib/imports/processor-node-flags";
import { syncSchedules } from "@/lib/imports/schedule";
import { logger } from "@/lib/log";
import { CONTROL_QUEUE, IMPORT_QUEUE, closeQueues, importsQueue, workerConnection } from "@/lib/queue";
import { startHealthServer } from "@/workers/health-server";
import { renderMetrics } from "@/workers/metrics";

const log = logger().child({ component: "worker" });
const RECONCILE_EVERY_MS = 60_000;
const MISSED_DAY_EVERY_MS = 10 * 60_000;

async function main(): Promise<void> {
  const config = env();
  await db().$queryRaw`SELECT 1`;

  const imports = new Worker(IMPORT_QUEUE, path.join(__dirname, "import-processor.cjs"), {
    connection: workerConnection(),
    concurrency: config.WORKER_CONCURRENCY,
    lockDuration: config.WORKER_LOCK_DURATION_MS,
    // A run interrupted by a crash is handed to the next worker; after ten interruptions
    // it fails (with its reason on the run) instead of looping forever.
    maxStalledCount: 10,
    // Check for stalled runs as often as locks can expire, so a crashed run resumes promptly.
    stalledInterval: Math.min(30_000, config.WORKER_LOCK_DURATION_MS),
    useWorkerThreads: false,
    workerForkOptions: { execArgv: [...process.execArgv, ...PROCESSOR_NODE_FLAGS] },
    autorun: false,
  });
  const schedule = { everySeconds: config.SCHEDULE_OVERRIDE_EVERY_SECONDS };
  const sync = async () => {
    const r = await syncSchedules(db(), importsQueue(), schedule);
    log.debug(r, "schedules synced");
  };
  const control = new Worker(
    CONTROL_QUEUE,
    async (job) => {
      if (job.name === "sync-schedules") await sync();
    },
    { connection: workerConnection(), concurrency: 1, autorun: false },
  );
  let completed = 0;
  let failed = 0;
  for (const w of [imports, control]) w.on("error", (err) => log.error({ err }, "worker error"));
  imports.on("completed", () => completed++);
  imports.on("failed", (job, err) => {
    failed++;
    log.warn({ jobId: job?.id, jobName: job?.name, attemptsMade: job?.attemptsMade, err: err.message }, "job failed");
    // BullMQ gave up (attempts used, or stalled too often): the run must not stay "running".
    const final = job && (job.attemptsMade >= (job.opts.attempts ?? 1) || /stalled/i.test(err.message));
    if (job && final) void failRunOfJob(db(), job, `The run stopped: ${err.message}`).catch((e) => log.error({ err: e }, "could not fail run"));
  });

  const reconcile = setInterval(() => void sync().catch((err) => log.error({ err }, "schedule sync failed")), RECONCILE_EVERY_MS);
  const missed = setInterval(
    () => void checkMissedDays(db()).catch((err) => log.error({ err }, "missed-day check failed")),
    MISSED_DAY_EVERY_MS,
  );
  const stale = setInterval(
    () =>
      void failStaleRuns(db(), importsQueue(), { staleAfterMs: Math.max(10 * 60_000, 4 * config.WORKER_LOCK_DURATION_MS) }).catch((err) =>
        log.error({ err }, "stale-run check failed"),
      ),
    RECONCILE_EVERY_MS,
  );

  const health =
    config.WORKER_HEALTH_PORT > 0
      ? startHealthServer(config.WORKER_HEALTH_PORT, {
          ready: async () => {
            await db().$queryRaw`SELECT 1`;
            return imports.isRunning() && control.isRunning();
          },
          metrics: () => renderMetrics(db(), importsQueue(), { completed, failed }),
        })
      : undefined;

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down");
    clearInterval(reconcile);
    clearInterval(missed);
    clearInterval(stale);
    // A run that does not yield in time is resumed by the next worker (stalled-job recovery).
    const force = setTimeout(() => process.exit(1), 30_000);
    force.unref();
    try {
      await Promise.all([imports.close(), control.close()]);
      await closeQueues();
      health?.close();
      await disconnectDb();
    } finally {
      log.info("stopped");
      process.exit(0);
    }
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));

  await Promise.all([imports.waitUntilReady(), control.waitUntilReady()]);
  await sync();
  await checkMissedDays(db()).catch((err) => log.error({ err }, "missed-day check failed"));
  void imports.run();
  void control.run();
  log.info({ queue: IMPORT_QUEUE, concurrency: config.WORKER_CONCURRENCY, healthPort: config.WORKER_HEALTH_PORT }, "worker started");
}

main().catch((err: unknown) => {
  if (err instanceof Error && err.name === "ConfigError") console.error(err.message);
  else log.fatal({ err }, "worker failed to start");
  process.exit(1);
});
