import type { Queue } from "bullmq";
import type { Db } from "@/lib/db";

// Each active connector has one BullMQ job scheduler with a stable id. Schedulers are
// upserted from one place only (the worker's reconciler): concurrent upsertJobScheduler
// calls have had race bugs, so the web app changes the database and the worker makes
// Redis match it.

export const schedulerIdOf = (connectorId: string) => `connector:${connectorId}`;

export interface ScheduleOptions {
  /** Testing and demos only: fire every N seconds instead of daily at the connector's time. */
  everySeconds?: number;
}

export function cronOf(scheduleTime: string): string {
  const [h, m] = scheduleTime.split(":").map(Number);
  return `${m} ${h} * * *`;
}

export async function syncSchedules(db: Db, queue: Queue, options: ScheduleOptions = {}): Promise<{ upserted: number; removed: number }> {
  const connectors = await db.connector.findMany({ where: { state: "ACTIVE" }, select: { id: true, scheduleTime: true } });
  const wanted = new Map(connectors.map((c) => [schedulerIdOf(c.id), c]));
  let upserted = 0;
  let removed = 0;
  for (const [id, c] of wanted) {
    await queue.upsertJobScheduler(
      id,
      options.everySeconds ? { every: options.everySeconds * 1000 } : { pattern: cronOf(c.scheduleTime), tz: "UTC" },
      { name: "scheduled-run", data: { connectorId: c.id } },
    );
    upserted++;
  }
  for (const s of await queue.getJobSchedulers(0, -1)) {
    const id = s.key;
    if (id.startsWith("connector:") && !wanted.has(id)) {
      await queue.removeJobScheduler(id);
      removed++;
    }
  }
  return { upserted, removed };
}

/**
 * The slot a scheduled job covers, from its id (`repeat:<scheduler>:<millis>`): the UTC day
 * for daily schedules, the exact fire time for test schedules. A re-delivered job maps to
 * the same slot, so it resumes that slot's run instead of starting a second one.
 */
export function scheduledSlotOf(jobId: string | undefined, fallback: number, options: ScheduleOptions = {}): Date {
  const millis = Number(/:(\d+)$/.exec(jobId ?? "")?.[1] ?? fallback);
  if (options.everySeconds) return new Date(millis);
  const d = new Date(millis);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
}
