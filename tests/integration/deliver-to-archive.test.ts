import { createReadStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createArchiveDestination } from "@/lib/archive/archive-destination";
import { createDb } from "@/lib/db";
import { deliverItems, type DeliveryCounts } from "@/lib/delivery/deliver-items";
import { parseIceChatExport } from "@/lib/ice-chat";
import { createItemPreparer, type PreparedItem } from "@/lib/imports/prepare-item";
import { generateDay, type GeneratedDay } from "@/tests/support/ice-chat-generator";

// The delivery engine and its ledger against the local archive: every unit ends
// imported, skipped or failed; re-runs and crashes never store a message twice.

const db = createDb(process.env.DATABASE_URL!);
const FIRM = "ARCH01";
let work: string;
let day: GeneratedDay;
let items: PreparedItem[];
let connectorId: string;

async function newRun(): Promise<string> {
  return (await db.importRun.create({ data: { connectorId, trigger: "MANUAL" } })).id;
}

function invariant(c: DeliveryCounts): void {
  expect(c.imported + c.partiallyImported + c.skippedDuplicate + c.failedUserMapping + c.failedTooLarge + c.failedDestination).toBe(c.units);
}

async function archivedCount(): Promise<number> {
  return db.archivedMessage.count({ where: { connectorId } });
}

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), "deliver-archive-"));
  day = await generateDay({ outputDir: work, seed: 5, firmCode: FIRM, conversations: 12, totalMessages: 300, attachmentRate: 0.1 });
  const prepare = createItemPreparer({ format: "mime", firmCode: FIRM, autoMapping: true });
  items = [];
  for (const file of day.files) {
    for await (const r of parseIceChatExport(createReadStream(file.path))) if (r.kind === "item") items.push(await prepare(r.item));
  }
  connectorId = (
    await db.connector.create({
      data: { name: `Archive ${Date.now()}`, nameKey: `archive-${Date.now()}`, firmCode: FIRM, sftpHost: "h", keyMode: "PLATFORM", scheduleTime: "02:00" },
    })
  ).id;
}, 60_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
  await db.$disconnect();
});

describe("deliver to the local archive", () => {
  it("imports every (item, mailbox) once and counts each unit once", async () => {
    const destination = createArchiveDestination({ db, connectorId });
    const { counts, failures } = await deliverItems({ db, destination, connectorId, runId: await newRun(), items });
    const units = items.reduce((n, i) => n + i.mailboxes.length, 0);
    expect(failures).toEqual([]);
    expect(counts).toMatchObject({ units, imported: units, skippedDuplicate: 0 });
    invariant(counts);
    expect(await archivedCount()).toBe(units);
    // Each user's mailbox holds exactly the items they sent or received.
    for (const user of day.manifest.users) {
      const n = await db.archivedMessage.count({ where: { connectorId, mailbox: user.email.toLowerCase() } });
      expect(n, user.imId).toBe(day.manifest.itemsPerUser[user.imId] ?? 0);
    }
    const stored = await db.archivedMessage.findFirstOrThrow({ where: { connectorId } });
    expect(Buffer.from(stored.raw).toString("latin1")).toMatch(/^Message-ID:\s+<[0-9a-f]{64}@/im);
  });

  it("skips everything as duplicates on a re-run", async () => {
    const destination = createArchiveDestination({ db, connectorId });
    const before = await archivedCount();
    const { counts } = await deliverItems({ db, destination, connectorId, runId: await newRun(), items });
    expect(counts.skippedDuplicate).toBe(counts.units);
    invariant(counts);
    expect(await archivedCount()).toBe(before);
  });

  it("after a crash between storing and settling, finds the stored copies instead of adding more", async () => {
    // A crash after the archive stored the messages but before the ledger was settled
    // leaves PENDING claims behind.
    await db.delivery.updateMany({ where: { connectorId }, data: { status: "PENDING", destinationMessageId: null } });
    const before = await archivedCount();
    const { counts } = await deliverItems({ db, destination: createArchiveDestination({ db, connectorId }), connectorId, runId: await newRun(), items });
    expect(counts.skippedDuplicate).toBe(counts.units);
    expect(await archivedCount()).toBe(before);
    expect(await db.delivery.count({ where: { connectorId, status: "PENDING" } })).toBe(0);
  });

  it("after a crash before storing, stores the messages exactly once", async () => {
    const mailbox = items[0]!.mailboxes[0]!;
    await db.archivedMessage.deleteMany({ where: { connectorId, mailbox } });
    await db.delivery.updateMany({ where: { connectorId, mailbox }, data: { status: "PENDING" } });
    const missing = await db.delivery.count({ where: { connectorId, mailbox } });
    const { counts } = await deliverItems({ db, destination: createArchiveDestination({ db, connectorId }), connectorId, runId: await newRun(), items });
    expect(counts.imported).toBe(missing);
    expect(counts.skippedDuplicate).toBe(counts.units - missing);
    invariant(counts);
    expect(await db.archivedMessage.count({ where: { connectorId, mailbox } })).toBe(missing);
  });

  it("fails items with a reason an admin can read: no mailbox, invalid mailbox, too large", async () => {
    const base = items[0]!;
    const odd: PreparedItem[] = [
      { ...base, itemKey: "x/no-mailbox", itemId: "no-mailbox", mailboxes: [], unmapped: [{ imId: "ghost@ice", reason: "not in the mapping file" }] },
      { ...base, itemKey: "x/bad-mailbox", itemId: "bad-mailbox", destinationKey: "bad", mailboxes: ["not an address"] },
      { ...base, itemKey: "x/too-large", itemId: "too-large", destinationKey: "big", mailboxes: ["big@archive.example"], body: new Uint8Array(2048) },
    ];
    const destination = createArchiveDestination({ db, connectorId, maxMessageBytes: 1024 });
    const { counts, failures } = await deliverItems({ db, destination, connectorId, runId: await newRun(), items: odd });
    expect(counts).toMatchObject({ units: 3, failedUserMapping: 2, failedTooLarge: 1 });
    invariant(counts);
    expect(failures.map((f) => [f.itemId, f.reason])).toEqual([
      ["no-mailbox", "USER_MAPPING"],
      ["bad-mailbox", "USER_MAPPING"],
      ["too-large", "ITEM_TOO_LARGE"],
    ]);
    expect(failures[0]!.detail).toContain("ghost@ice: not in the mapping file");
    // A failed delivery gives its claim back so a later run retries it.
    expect(await db.delivery.count({ where: { connectorId, itemKey: "x/too-large" } })).toBe(0);
  });
});
