import type { DailyImports } from "@/lib/connectors/api-schemas";
import type { Db } from "@/lib/db";
import { AppError } from "@/lib/errors";

const DAY_MS = 24 * 3600 * 1000;

/** Imported (+ partially imported) items per UTC day of run finish, oldest first, every day present. */
export async function dailyImports(db: Db, connectorId: string, days: number, now = new Date()): Promise<DailyImports> {
  const connector = await db.connector.findUnique({ where: { id: connectorId }, select: { state: true } });
  if (!connector || connector.state === "DELETED") throw new AppError("not_found", "Connector not found.");
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const first = today - (days - 1) * DAY_MS;
  const runs = await db.importRun.findMany({
    where: { connectorId, finishedAt: { gte: new Date(first) } },
    select: { finishedAt: true, imported: true, partiallyImported: true },
  });
  return { days: bucketByDay(runs, first, days) };
}

export function bucketByDay(runs: { finishedAt: Date | null; imported: number; partiallyImported: number }[], firstDayMs: number, days: number): DailyImports["days"] {
  const totals = new Array<number>(days).fill(0);
  for (const run of runs) {
    if (!run.finishedAt) continue;
    const index = Math.floor((run.finishedAt.getTime() - firstDayMs) / DAY_MS);
    if (index >= 0 && index < days) totals[index] = (totals[index] ?? 0) + run.imported + run.partiallyImported;
  }
  return totals.map((imported, i) => ({ date: new Date(firstDayMs + i * DAY_MS).toISOString().slice(0, 10), imported }));
}
