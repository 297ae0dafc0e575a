import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "@/lib/db";
import { startRun } from "@/lib/imports/start-run";
import { closeQueues, enqueueRun } from "@/lib/queue";
import { createKeyring } from "@/lib/secrets/keyring";
import { startGraphCrashFixture, type GraphCrashFixture } from "@/tests/support/graph-crash-fixture";
import { accounted, expectedUnits, flushTestRedis, waitForRunEnd } from "@/tests/support/run-fixture";
import { waitFor, type WorkerProcess } from "@/tests/support/worker-process";

// The beta importMime import method through the whole product: a real worker prepares
// MIME (the destination's format) and imports it into the Graph emulator's beta
// endpoint with faults injected; it is killed once mid-run and restarted, and every
// mailbox still ends with each item exactly once, as a non-draft, found by Message-ID.

const ITEMS = 1_500;
const FIRM = "MIME01";
const db = createDb(process.env.DATABASE_URL!);
const keyring = createKeyring(process.env.APP_ENCRYPTION_KEY!);
let fixture: GraphCrashFixture;
let worker: WorkerProcess;

beforeAll(async () => {
  await flushTestRedis();
  fixture = await startGraphCrashFixture(db, keyring, {
    name: "worker-import-mime",
    firmCode: FIRM,
    day: { seed: 31, conversations: 30, totalMessages: ITEMS, files: 2, container: "xml", users: 10, participantsPerConversation: [2, 3] },
    limits: { serviceTimeMs: 2 },
    faults: { seed: 11, throttleRate: 0.02, serviceUnavailableRate: 0.01, gatewayTimeoutRate: 0.01, lostCreateRate: 0.01 },
    workerEnv: { GRAPH_IMPORT_METHOD: "importMime" },
  });
}, 120_000);

afterAll(async () => {
  await fixture?.stop();
  await closeQueues();
  await db.$disconnect();
});

describe("a run with the beta importMime method", () => {
  it("imports every item once as a non-draft MIME message, across a SIGKILL and faults", async () => {
    const connectorId = await fixture.makeConnector();
    const units = expectedUnits(fixture.day);
    const run = await startRun(db, { connectorId, trigger: "MANUAL" });
    await enqueueRun(run.id);
    worker = fixture.launchWorker();
    await waitFor("40% of the messages stored", async () => fixture.storedTotal() >= 0.4 * units, 120_000, 50);
    await worker.kill();
    worker = fixture.launchWorker();
    const final = await waitForRunEnd(db, run.id, 240_000);

    expect(final.error).toBeNull();
    expect(final.status).toBe("SUCCEEDED");
    expect(final.itemsFromSource).toBe(ITEMS);
    expect(accounted(final)).toBe(units);
    expect(final.imported + final.skippedDuplicate).toBe(units);
    // The killed attempt's deliveries come back as duplicates, never as second copies.
    expect(final.attempts).toBeGreaterThanOrEqual(2);
    expect(final.skippedDuplicate).toBeGreaterThan(0);

    let stored = 0;
    for (const user of fixture.day.manifest.users) {
      const messages = fixture.emulator.messagesOf(user.email.toLowerCase(), "ICE Chat");
      const ids = messages.map((m) => m.internetMessageId);
      expect(new Set(ids).size, `${user.email}: duplicates`).toBe(ids.length);
      expect(ids.length, `${user.email}: lost`).toBe(fixture.day.manifest.itemsPerUser[user.imId] ?? 0);
      for (const m of messages) {
        expect(m.isDraft).toBe(false);
        expect(m.internetMessageId).toMatch(new RegExp(`^<[0-9a-f]{64}@ice-chat\\.${FIRM.toLowerCase()}\\.invalid>$`));
        // importMime keeps the MIME headers the JSON method cannot carry.
        expect(m.internetMessageHeaders.some((h) => /^X-ICE-/i.test(h.name))).toBe(true);
        expect(m.sentDateTime).not.toBeNull();
      }
      stored += ids.length;
    }
    expect(stored).toBe(units);
    // One Message-ID per chat item, shared by its copies in every participant's mailbox.
    const distinct = new Set(fixture.day.manifest.users.flatMap((u) => fixture.emulator.messagesOf(u.email.toLowerCase(), "ICE Chat").map((m) => m.internetMessageId)));
    expect(distinct.size).toBe(ITEMS);
    const peaks = Object.values(fixture.emulator.stats().maxConcurrencyPerMailbox);
    expect(Math.max(...peaks)).toBeLessThanOrEqual(4);
  }, 420_000);
});
