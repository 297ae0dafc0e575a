import type { DeliveryCounts } from "@/lib/delivery/deliver-items";

// The admin log's counters. Units: each message found in the source is an item; an item
// fans out to one unit per mailbox (an item with no mailbox, or one the parser could not
// read, is a single unit). For every run:
//   imported + partiallyImported + skippedDuplicate + failed* = itemsForImport
export interface RunCounters {
  itemsFromSource: number;
  itemsForImport: number;
  itemsProcessed: number;
  imported: number;
  partiallyImported: number;
  skippedDuplicate: number;
  failedUserMapping: number;
  failedTooLarge: number;
  failedDestination: number;
  failedOther: number;
}

export const COUNTER_KEYS: readonly (keyof RunCounters)[] = [
  "itemsFromSource", "itemsForImport", "itemsProcessed", "imported", "partiallyImported", "skippedDuplicate",
  "failedUserMapping", "failedTooLarge", "failedDestination", "failedOther",
];

export function zeroCounters(): RunCounters {
  return Object.fromEntries(COUNTER_KEYS.map((k) => [k, 0])) as unknown as RunCounters;
}

export function sumCounters(...all: Partial<RunCounters>[]): RunCounters {
  const out = zeroCounters();
  for (const c of all) for (const k of COUNTER_KEYS) out[k] += Number(c[k] ?? 0);
  return out;
}

export function accountedUnits(c: RunCounters): number {
  return c.imported + c.partiallyImported + c.skippedDuplicate + c.failedUserMapping + c.failedTooLarge + c.failedDestination + c.failedOther;
}

export function failedUnits(c: RunCounters): number {
  return c.failedUserMapping + c.failedTooLarge + c.failedDestination + c.failedOther;
}

/** Adds one delivered batch's outcomes to a file's counters (a delivery unit is an item for import). */
export function addDeliveryCounts(into: RunCounters, counts: DeliveryCounts): void {
  into.itemsForImport += counts.units;
  into.imported += counts.imported;
  into.partiallyImported += counts.partiallyImported;
  into.skippedDuplicate += counts.skippedDuplicate;
  into.failedUserMapping += counts.failedUserMapping;
  into.failedTooLarge += counts.failedTooLarge;
  into.failedDestination += counts.failedDestination;
}

/**
 * The run's totals with a file's counters added. The file's messages are already in the
 * totals' itemsFromSource (the count pass counted them before importing), so that one
 * counter is not added twice.
 */
export function withFileCounters(totals: RunCounters, file: RunCounters): RunCounters {
  return sumCounters(totals, file, { itemsFromSource: -file.itemsFromSource });
}
