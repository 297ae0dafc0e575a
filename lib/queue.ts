import "server-only";
import { Queue, type DefaultJobOptions } from "bullmq";
import type { RedisOptions } from "ioredis";
import { z } from "zod";
import { env } from "@/lib/env";

// BullMQ stores job data in Redis in plain text: payloads carry ids only, never a
// secret, and are validated with zod both when enqueued and when processed.

export const IMPORT_QUEUE = "ice-imports";
/** Small, fast jobs the worker runs in-process (e.g. re-syncing schedules after a change). */
export const CONTROL_QUEUE = "ice-control";

export const jobSchemas = {
  /** Runs one import run (the run row holds trigger, window and requester). */
  "import-run": z.object({ runId: z.uuid() }).strict(),
  /** Fired by each connector's daily job scheduler. */
  "scheduled-run": z.object({ connectorId: z.uuid() }).strict(),
  /** Connectors changed: make the job schedulers match the database. */
  "sync-schedules": z.object({}).strict(),
} as const;

export type JobName = keyof typeof jobSchemas;
export type JobData<N extends JobName> = z.infer<(typeof jobSchemas)[N]>;

export const IMPORT_ATTEMPTS = 5;

export function defaultJobOptions(): DefaultJobOptions {
  return {
    attempts: IMPORT_ATTEMPTS,
    backoff: { type: "exponential", delay: env().IMPORT_RETRY_DELAY_MS },
    removeOnComplete: { age: 7 * 24 * 3600, count: 1000 },
    removeOnFail: { age: 30 * 24 * 3600, count: 5000 },
  };
}

function redisOptions(url: string): RedisOptions {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0,
    tls: u.protocol === "rediss:" ? {} : undefined,
  };
}

/** Producers (web, CLI) fail fast when Redis is down instead of queueing commands forever. */
export function producerConnection(): RedisOptions {
  return { ...redisOptions(env().REDIS_URL), maxRetriesPerRequest: 1, enableOfflineQueue: false };
}

/** Workers must keep retrying: BullMQ requires maxRetriesPerRequest null for blocking commands. */
export function workerConnection(): RedisOptions {
  return { ...redisOptions(env().REDIS_URL), maxRetriesPerRequest: null };
}

let importQueue: Queue | undefined;
let controlQueue: Queue | undefined;

export function importsQueue(): Queue {
  importQueue ??= new Queue(IMPORT_QUEUE, { connection: producerConnection(), defaultJobOptions: defaultJobOptions() });
  return importQueue;
}

export function controlsQueue(): Queue {
  controlQueue ??= new Queue(CONTROL_QUEUE, {
    connection: producerConnection(),
    defaultJobOptions: { attempts: 3, backoff: { type: "exponential", delay: 1000 }, removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } },
  });
  return controlQueue;
}

export async function closeQueues(): Promise<void> {
  await Promise.all([importQueue?.close(), controlQueue?.close()]);
  importQueue = controlQueue = undefined;
}

export function parseJobData<N extends JobName>(name: N, data: unknown): JobData<N> {
  return jobSchemas[name].parse(data) as JobData<N>;
}

/** Enqueues an import run; the job id makes a repeated request for the same run a no-op while the job exists. */
export async function enqueueRun(runId: string): Promise<void> {
  await importsQueue().add("import-run", parseJobData("import-run", { runId }), { jobId: `run-${runId}` });
}

/** Asks the worker to re-sync job schedulers with the database. */
export async function requestScheduleSync(): Promise<void> {
  await controlsQueue().add("sync-schedules", {});
}
