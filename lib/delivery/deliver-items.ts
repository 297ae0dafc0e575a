import type { Db } from "@/lib/db";
import { claimDeliveries, releaseDeliveries, settleDeliveries, type LedgerKey, type Settlement } from "@/lib/delivery/delivery-ledger";
import type { DeliveryOutcome, DeliveryTask, Destination } from "@/lib/delivery/destination";
import type { FailureReason } from "@/lib/generated/prisma/enums";
import type { PreparedItem } from "@/lib/imports/prepare-item";

// Delivers prepared items to their mailboxes through a destination, with the ledger in
// front: every (item, mailbox) pair ends imported, partially imported, skipped as a
// duplicate, or failed with a reason. Units: an item with no mailbox at all is one unit
// (failed: user mapping); otherwise each (item, mailbox) pair is one unit, so
// imported + partial + skipped + failed = units, always.

export interface DeliveryCounts {
  units: number;
  imported: number;
  partiallyImported: number;
  skippedDuplicate: number;
  failedUserMapping: number;
  failedTooLarge: number;
  failedDestination: number;
}

export interface FailedDelivery {
  itemId: string;
  conversationId: string;
  sourceImId: string;
  mailbox: string | null;
  reason: FailureReason;
  detail: string;
}

export function emptyCounts(): DeliveryCounts {
  return { units: 0, imported: 0, partiallyImported: 0, skippedDuplicate: 0, failedUserMapping: 0, failedTooLarge: 0, failedDestination: 0 };
}

export interface DeliverItemsOptions {
  db: Db;
  destination: Destination;
  connectorId: string;
  runId: string;
  items: PreparedItem[];
  /** Mailboxes delivered to at the same time. */
  mailboxConcurrency?: number;
  /** When this attempt of the run started: claims made since then by the run are in flight, not leftovers. */
  attemptStartedAt?: Date;
}

async function mapLimit<T>(values: T[], limit: number, fn: (v: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, values.length) }, async () => {
    while (next < values.length) await fn(values[next++]!);
  });
  await Promise.all(lanes);
}

export async function deliverItems(options: DeliverItemsOptions): Promise<{ counts: DeliveryCounts; failures: FailedDelivery[] }> {
  const { db, destination, connectorId, runId } = options;
  const counts = emptyCounts();
  const failures: FailedDelivery[] = [];
  const fail = (item: PreparedItem, mailbox: string | null, reason: FailureReason, detail: string) => {
    if (reason === "USER_MAPPING") counts.failedUserMapping++;
    else if (reason === "ITEM_TOO_LARGE") counts.failedTooLarge++;
    else counts.failedDestination++;
    failures.push({ itemId: item.itemId, conversationId: item.conversationId, sourceImId: item.senderImId, mailbox, reason, detail });
  };

  // 1. Fan-out, and mailboxes the destination cannot import into.
  const mailboxChecks = new Map<string, Awaited<ReturnType<Destination["checkMailbox"]>>>();
  const distinct = [...new Set(options.items.flatMap((i) => i.mailboxes))];
  await mapLimit(distinct, 8, async (m) => void mailboxChecks.set(m, await destination.checkMailbox(m)));
  const byKey = new Map<string, PreparedItem>();
  const wanted: LedgerKey[] = [];
  for (const item of options.items) {
    byKey.set(item.itemKey, item);
    if (item.mailboxes.length === 0) {
      counts.units++;
      const who = item.unmapped.map((u) => `${u.imId}: ${u.reason}`).join("; ");
      fail(item, null, "USER_MAPPING", `No participant maps to a mailbox (${who || "no participants"}).`);
      continue;
    }
    for (const mailbox of item.mailboxes) {
      counts.units++;
      const check = mailboxChecks.get(mailbox)!;
      if (!check.ok) fail(item, mailbox, "USER_MAPPING", check.reason);
      else wanted.push({ itemKey: item.itemKey, mailbox });
    }
  }

  // 2. Claim in the ledger; what is already settled is a duplicate.
  const claim = await claimDeliveries(db, connectorId, runId, wanted, options.attemptStartedAt);
  counts.skippedDuplicate += claim.settled.length + claim.inFlight.length;
  const tasksByMailbox = new Map<string, DeliveryTask[]>();
  const addTask = (k: LedgerKey, mayExist: boolean) => {
    const list = tasksByMailbox.get(k.mailbox) ?? [];
    list.push({ item: byKey.get(k.itemKey)!, mayExist });
    tasksByMailbox.set(k.mailbox, list);
  };
  claim.fresh.forEach((k) => addTask(k, false));
  claim.unsettled.forEach((k) => addTask(k, true));

  // 3. Deliver per mailbox; 4. settle or release each claim with its outcome.
  await mapLimit([...tasksByMailbox], options.mailboxConcurrency ?? 8, async ([mailbox, tasks]) => {
    const outcomes = await destination.deliver(mailbox, tasks);
    const settled: Settlement[] = [];
    const released: LedgerKey[] = [];
    for (const { item } of tasks) {
      const outcome: DeliveryOutcome = outcomes.get(item.itemKey) ?? {
        status: "failed",
        reason: "DESTINATION_ERROR",
        detail: "The destination reported no outcome for this item.",
      };
      const key = { itemKey: item.itemKey, mailbox };
      switch (outcome.status) {
        case "imported":
          counts.imported++;
          settled.push({ ...key, status: "IMPORTED", destinationMessageId: outcome.destinationMessageId });
          break;
        case "partial":
          counts.partiallyImported++;
          // What is missing (e.g. the attachment's name) stays on the ledger row for the run log.
          settled.push({ ...key, status: "PARTIAL", destinationMessageId: outcome.destinationMessageId, note: outcome.note });
          break;
        case "already_present":
          counts.skippedDuplicate++;
          settled.push({ ...key, status: "IMPORTED", destinationMessageId: outcome.destinationMessageId });
          break;
        case "failed":
          fail(item, mailbox, outcome.reason, outcome.detail);
          released.push(key);
          break;
      }
    }
    await settleDeliveries(db, connectorId, runId, settled);
    await releaseDeliveries(db, connectorId, released);
  });
  return { counts, failures };
}
