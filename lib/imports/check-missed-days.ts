import type { Db } from "@/lib/db";
import { raiseAlert } from "@/lib/connectors/raise-alert";

// The calendar check behind the scheduler: if a connector has had no successful run for
// longer than a day plus a grace period, something is wrong (worker down, scheduler lost,
// SFTP failing). ICE deletes files from its site after a few weeks, so say so early.

export async function checkMissedDays(db: Db, now = new Date(), graceHours = 2): Promise<string[]> {
  const limit = new Date(now.getTime() - (24 + graceHours) * 3600_000);
  const connectors = await db.connector.findMany({ where: { state: "ACTIVE", createdAt: { lt: limit } }, select: { id: true, name: true } });
  const alerted: string[] = [];
  for (const c of connectors) {
    const last = await db.importRun.findFirst({
      where: { connectorId: c.id, status: { in: ["SUCCEEDED", "PARTIALLY_SUCCEEDED"] } },
      orderBy: { finishedAt: "desc" },
      select: { finishedAt: true },
    });
    if (last?.finishedAt && last.finishedAt >= limit) continue;
    const since = last?.finishedAt ? `since ${last.finishedAt.toISOString()}` : "yet";
    await raiseAlert(
      db,
      c.id,
      "MISSED_DAY",
      `No successful import ${since}. ICE removes files from its SFTP site after a few weeks: check the run history and the worker now.`,
    );
    alerted.push(c.id);
  }
  return alerted;
}
