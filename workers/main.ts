// The worker process: BullMQ consumers for import jobs, its own health endpoint, and a
// graceful shutdown that lets the current job reach a safe point. Never started inside
// the Next.js server: imports run for hours.
import { Worker, type Job } from "bullmq";
import { db, disconnectDb } from "@/lib/db";
import { env } from "@/lib/env";
import { logger } from "@/lib/log";
import { IMPORT_QUEUE, importsQueue, workerConnection, type JobName } from "@/lib/queue";
import { startHealthServer } from "@/workers/health-server";

const log = logger().child({ component: "worker" });

async function processJob(job: Job): Promise<void> {
  const name = job.name as JobName;
  // Import runs arrive with the import pipeline; until then a job is a programming error.
  throw new Error(`no handler for job "${name}"`);
}

async function main(): Promise<void> {
  const config = env();
  const worker = new Worker(IMPORT_QUEUE, processJob, {
    connection: workerConnection(),
    concurrency: config.WORKER_CONCURRENCY,
    autorun: false,
  });
  worker.on("error", (err) => log.error({ err }, "worker error"));
  worker.on("failed", (job, err) => log.warn({ jobId: job?.id, jobName: job?.name, err: err.message }, "job failed"));

  let completed = 0;
  let failed = 0;
  worker.on("completed", () => completed++);
  worker.on("failed", () => failed++);

  const health =
    config.WORKER_HEALTH_PORT > 0
      ? startHealthServer(config.WORKER_HEALTH_PORT, {
          ready: async () => {
            await db().$queryRaw`SELECT 1`;
            return (await worker.client).status === "ready" && worker.isRunning();
          },
          metrics: async () => {
            const counts = await importsQueue().getJobCounts("waiting", "active", "delayed", "failed");
            return [
              "# TYPE ice_worker_jobs_completed_total counter",
              `ice_worker_jobs_completed_total ${completed}`,
              "# TYPE ice_worker_jobs_failed_total counter",
              `ice_worker_jobs_failed_total ${failed}`,
              "# TYPE ice_queue_jobs gauge",
              ...Object.entries(counts).map(([state, n]) => `ice_queue_jobs{state="${state}"} ${n}`),
              "",
            ].join("\n");
          },
        })
      : undefined;

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down");
    // Force exit if a job refuses to yield: BullMQ's stalled-job check will hand it to another worker.
    const force = setTimeout(() => process.exit(1), 30_000);
    force.unref();
    try {
      await worker.close();
      await importsQueue().close();
      health?.close();
      await disconnectDb();
    } finally {
      log.info("stopped");
      process.exit(0);
    }
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));

  await db().$queryRaw`SELECT 1`;
  await worker.waitUntilReady();
  log.info({ queue: IMPORT_QUEUE, concurrency: config.WORKER_CONCURRENCY, healthPort: config.WORKER_HEALTH_PORT }, "worker started");
  void worker.run();
}

main().catch((err: unknown) => {
  if (err instanceof Error && err.name === "ConfigError") console.error(err.message);
  else log.fatal({ err }, "worker failed to start");
  process.exit(1);
});
