// The Microsoft 365 destination: imports prepared items into each mailbox's ICE Chat folder
// through Microsoft Graph. One instance per run; it caches mailbox lookups and folder ids,
// and all deliver() calls share its per-mailbox limits and its $batch packing, so calling
// deliver() for many mailboxes at once fills batches with up to 20 requests from several
// mailboxes while no mailbox ever has more than 4 requests in flight.
// The import method decides the prepared format: "json" (default) stores Graph JSON bodies
// on v1.0; the beta "importMime" stores MIME bytes (format "mime", as the local archive).

import type { DeliveryOutcome, DeliveryTask, Destination, MailboxCheck } from "@/lib/delivery/destination";
import { AppError } from "@/lib/errors";
import { createBatchScheduler, type SchedulerStats } from "@/lib/graph/batch-scheduler";
import { createGraphClient, type GraphClientSeam } from "@/lib/graph/create-graph-client";
import { deliverTask } from "@/lib/graph/deliver-task";
import { DEFAULT_GRAPH_IMPORT_METHOD, GRAPH_IMPORT_METHODS, resolveGraphLimits, type GraphDestinationConfig, type GraphImportMethod, type GraphLimits } from "@/lib/graph/graph-config";
import { createSdkTransport, type GraphTransport } from "@/lib/graph/graph-transport";
import { createMailboxLimiter } from "@/lib/graph/mailbox-limiter";
import { resolveMailbox, type MailboxResolution } from "@/lib/graph/resolve-mailbox";
import type { GraphContext } from "@/lib/graph/send-with-retry";

export interface GraphDestinationSeam extends GraphClientSeam {
  /** Replaces the SDK transport entirely (unit tests of the scheduling logic). */
  transport?: GraphTransport;
  /** Jitter source (tests: deterministic). */
  random?: () => number;
}

export interface GraphDestination extends Destination {
  /** "graph" for the JSON method, "mime" for importMime: the run prepares items in it. */
  readonly format: "graph" | "mime";
  readonly importMethod: GraphImportMethod;
  readonly limits: GraphLimits;
  /** Batches and requests sent so far (benchmarks, tests). */
  stats(): SchedulerStats;
}

export function createGraphDestination(config: GraphDestinationConfig, seam: GraphDestinationSeam = {}): GraphDestination {
  const limits = resolveGraphLimits(config.limits);
  const importMethod = config.importMethod ?? DEFAULT_GRAPH_IMPORT_METHOD;
  if (!GRAPH_IMPORT_METHODS.includes(importMethod)) throw new AppError("config_invalid", `Unknown Microsoft 365 import method "${String(importMethod)}" (expected ${GRAPH_IMPORT_METHODS.join(" or ")}).`);
  const transport = seam.transport ?? createSdkTransport(createGraphClient(config, seam).client);
  const limiter = createMailboxLimiter({ maxConcurrent: limits.maxConcurrentPerMailbox, budget: limits.requestBudget, windowMs: limits.budgetWindowMs });
  const scheduler = createBatchScheduler(transport, limiter, {
    maxBatchRequests: limits.maxBatchRequests,
    maxBatchBytes: limits.maxBatchBytes,
    maxBatchedBodyBytes: limits.maxBatchedBodyBytes,
    maxRequestsInFlight: limits.maxBatchesInFlight,
    requestTimeoutMs: limits.requestTimeoutMs,
  });
  const ctx: GraphContext = { importMethod, scheduler, limiter, limits, random: seam.random ?? Math.random };
  const resolutions = new Map<string, Promise<MailboxResolution>>();
  let closed = false;

  const resolve = (mailbox: string): Promise<MailboxResolution> => {
    if (closed) return Promise.reject(new AppError("internal", "The Microsoft 365 destination is closed."));
    const address = mailbox.trim().toLowerCase();
    if (!/^[^\s@]+@[^\s@]+$/.test(address)) return Promise.resolve({ ok: false, reason: `"${mailbox}" is not an e-mail address.` });
    let pending = resolutions.get(address);
    if (!pending) {
      pending = resolveMailbox(ctx, address);
      resolutions.set(address, pending);
      // A failure of the destination itself (sign-in, outage) is not remembered as the mailbox's answer.
      const mine = pending;
      mine.catch(() => {
        if (resolutions.get(address) === mine) resolutions.delete(address);
      });
    }
    return pending;
  };

  return {
    format: importMethod === "importMime" ? "mime" : "graph",
    importMethod,
    limits,
    stats: () => scheduler.stats(),

    async checkMailbox(mailbox: string): Promise<MailboxCheck> {
      const resolution = await resolve(mailbox);
      return resolution.ok ? { ok: true } : { ok: false, reason: resolution.reason };
    },

    async deliver(mailbox: string, tasks: DeliveryTask[]): Promise<Map<string, DeliveryOutcome>> {
      const resolution = await resolve(mailbox);
      if (!resolution.ok) throw new AppError("destination_failed", `Cannot import into ${mailbox}: ${resolution.reason}`);
      const target = resolution.target;
      // One outcome per item key: a task listed twice is delivered once.
      const unique = [...new Map(tasks.map((task) => [task.item.itemKey, task])).values()];
      const outcomes = new Map<string, DeliveryOutcome>();
      let fatal: unknown;
      let next = 0;
      const worker = async (): Promise<void> => {
        while (fatal === undefined && next < unique.length) {
          const task = unique[next] as DeliveryTask;
          next += 1;
          try {
            outcomes.set(task.item.itemKey, await deliverTask(ctx, target, task));
          } catch (error) {
            fatal ??= error;
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(limits.tasksInFlightPerDelivery, unique.length) }, worker));
      if (fatal !== undefined) throw fatal instanceof AppError ? fatal : new AppError("destination_failed", `Delivery to ${mailbox} failed: ${fatal instanceof Error ? fatal.message : String(fatal)}`);
      return outcomes;
    },

    async close(): Promise<void> {
      closed = true;
      limiter.close();
    },
  };
}
