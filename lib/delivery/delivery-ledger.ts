import type { Db } from "@/lib/db";

// The delivery ledger: one row per (connector, item, mailbox), unique. A row is claimed
// (PENDING) before the destination is asked to store the item and settled (IMPORTED or
// PARTIAL) with the outcome, so neither a re-run nor a crash between the two can import
// an item twice: a PENDING row found later means "may already be there, look first".

export interface LedgerKey {
  itemKey: string;
  mailbox: string;
}

export interface ClaimResult {
  /** Claimed now: never attempted before. */
  fresh: LedgerKey[];
  /**
   * Claimed moments ago by this same attempt of this run (the feed repeated an item, and
   * another batch is delivering it right now): a duplicate, not something to deliver twice.
   */
  inFlight: LedgerKey[];
  /** An earlier attempt started but did not settle: the item may be at the destination. */
  unsettled: LedgerKey[];
  /** Already imported (fully or partially) by an earlier run or attempt. */
  settled: LedgerKey[];
}

const keyOf = (k: LedgerKey) => `${k.mailbox}\n${k.itemKey}`;

export async function claimDeliveries(
  db: Db,
  connectorId: string,
  runId: string,
  keys: LedgerKey[],
  attemptStartedAt?: Date,
): Promise<ClaimResult> {
  if (keys.length === 0) return { fresh: [], inFlight: [], unsettled: [], settled: [] };
  const inserted = await db.$queryRaw<LedgerKey[]>`
    INSERT INTO "Delivery" ("id", "connectorId", "itemKey", "mailbox", "status", "runId", "createdAt")
    SELECT gen_random_uuid(), ${connectorId}::uuid, k, m, 'PENDING'::"DeliveryStatus", ${runId}::uuid, now()
      FROM unnest(${keys.map((k) => k.itemKey)}::text[], ${keys.map((k) => k.mailbox)}::text[]) AS t(k, m)
    ON CONFLICT ("connectorId", "itemKey", "mailbox") DO NOTHING
    RETURNING "itemKey", "mailbox"`;
  const freshKeys = new Set(inserted.map(keyOf));
  const others = keys.filter((k) => !freshKeys.has(keyOf(k)));
  const result: ClaimResult = { fresh: keys.filter((k) => freshKeys.has(keyOf(k))), inFlight: [], unsettled: [], settled: [] };
  if (others.length === 0) return result;
  const existing = await db.$queryRaw<(LedgerKey & { status: string; runId: string; createdAt: Date })[]>`
    SELECT d."itemKey", d."mailbox", d."status"::text AS status, d."runId"::text AS "runId", d."createdAt"
      FROM "Delivery" d
      JOIN unnest(${others.map((k) => k.itemKey)}::text[], ${others.map((k) => k.mailbox)}::text[]) AS t(k, m)
        ON d."itemKey" = t.k AND d."mailbox" = t.m
     WHERE d."connectorId" = ${connectorId}::uuid`;
  for (const row of existing) {
    const key = { itemKey: row.itemKey, mailbox: row.mailbox };
    if (row.status !== "PENDING") result.settled.push(key);
    else if (attemptStartedAt && row.runId === runId && row.createdAt >= attemptStartedAt) result.inFlight.push(key);
    else result.unsettled.push(key);
  }
  return result;
}

export interface Settlement extends LedgerKey {
  status: "IMPORTED" | "PARTIAL";
  destinationMessageId: string;
  note?: string;
}

export async function settleDeliveries(db: Db, connectorId: string, runId: string, settled: Settlement[]): Promise<void> {
  if (settled.length === 0) return;
  await db.$executeRaw`
    UPDATE "Delivery" d
       SET "status" = t.s::"DeliveryStatus", "destinationMessageId" = t.dm, "note" = t.n, "deliveredAt" = now(), "runId" = ${runId}::uuid
      FROM unnest(${settled.map((s) => s.itemKey)}::text[], ${settled.map((s) => s.mailbox)}::text[],
                  ${settled.map((s) => s.status)}::text[], ${settled.map((s) => s.destinationMessageId)}::text[],
                  ${settled.map((s) => s.note ?? null)}::text[]) AS t(k, m, s, dm, n)
     WHERE d."connectorId" = ${connectorId}::uuid AND d."itemKey" = t.k AND d."mailbox" = t.m`;
}

/** A failed attempt gives its claim back, so a later run tries the item again. */
export async function releaseDeliveries(db: Db, connectorId: string, keys: LedgerKey[]): Promise<void> {
  if (keys.length === 0) return;
  await db.$executeRaw`
    DELETE FROM "Delivery" d
     USING unnest(${keys.map((k) => k.itemKey)}::text[], ${keys.map((k) => k.mailbox)}::text[]) AS t(k, m)
     WHERE d."connectorId" = ${connectorId}::uuid AND d."itemKey" = t.k AND d."mailbox" = t.m AND d."status" = 'PENDING'`;
}
