import type { Queue } from "bullmq";
import type { Db } from "@/lib/db";

// Prometheus text exposition. Run and item totals come from PostgreSQL (the source of
// truth, and the same across worker restarts); job counters are this process's.
export async function renderMetrics(db: Db, queue: Queue, jobs: { completed: number; failed: number }): Promise<string> {
  const [byStatus, totals, deliveries, failures, depth] = await Promise.all([
    db.importRun.groupBy({ by: ["status"], _count: { _all: true } }),
    db.importRun.aggregate({ _sum: { itemsFromSource: true, imported: true, partiallyImported: true, skippedDuplicate: true, failedUserMapping: true, failedTooLarge: true, failedDestination: true, failedOther: true } }),
    db.delivery.groupBy({ by: ["status"], _count: { _all: true } }),
    db.failedItem.groupBy({ by: ["reason"], _count: { _all: true } }),
    queue.getJobCounts("waiting", "active", "delayed", "failed", "prioritized"),
  ]);
  const s = totals._sum;
  const lines = [
    "# HELP ice_runs Import runs by status.",
    "# TYPE ice_runs gauge",
    ...byStatus.map((r) => `ice_runs{status="${r.status}"} ${r._count._all}`),
    "# HELP ice_items_total Items by outcome, over all runs.",
    "# TYPE ice_items_total counter",
    `ice_items_total{outcome="from_source"} ${s.itemsFromSource ?? 0}`,
    `ice_items_total{outcome="imported"} ${s.imported ?? 0}`,
    `ice_items_total{outcome="partially_imported"} ${s.partiallyImported ?? 0}`,
    `ice_items_total{outcome="skipped_duplicate"} ${s.skippedDuplicate ?? 0}`,
    `ice_items_total{outcome="failed_user_mapping"} ${s.failedUserMapping ?? 0}`,
    `ice_items_total{outcome="failed_too_large"} ${s.failedTooLarge ?? 0}`,
    `ice_items_total{outcome="failed_destination"} ${s.failedDestination ?? 0}`,
    `ice_items_total{outcome="failed_other"} ${s.failedOther ?? 0}`,
    "# HELP ice_deliveries Delivery ledger rows by status.",
    "# TYPE ice_deliveries gauge",
    ...deliveries.map((d) => `ice_deliveries{status="${d.status}"} ${d._count._all}`),
    "# HELP ice_failed_items Failed item records by reason.",
    "# TYPE ice_failed_items gauge",
    ...failures.map((f) => `ice_failed_items{reason="${f.reason}"} ${f._count._all}`),
    "# HELP ice_queue_jobs Import queue depth by state.",
    "# TYPE ice_queue_jobs gauge",
    ...Object.entries(depth).map(([state, n]) => `ice_queue_jobs{state="${state}"} ${n}`),
    "# TYPE ice_worker_jobs_completed_total counter",
    `ice_worker_jobs_completed_total ${jobs.completed}`,
    "# TYPE ice_worker_jobs_failed_total counter",
    `ice_worker_jobs_failed_total ${jobs.failed}`,
    "",
  ];
  return lines.join("\n");
}
