import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "@/lib/db";
import { startRun } from "@/lib/imports/start-run";
import { closeQueues, enqueueRun } from "@/lib/queue";
import { createKeyring } from "@/lib/secrets/keyring";
import { startGraphCrashFixture, type GraphCrashFixture } from "@/tests/support/graph-crash-fixture";
import { accounted, expectedUnits, flushTestRedis, waitForRunEnd } from "@/tests/support/run-fixture";
import { waitFor, type WorkerProcess } from "@/tests/support/worker-process";

// Exactly once across crashes: a 20,000-item run into Microsoft 365 (the Graph emulator,
// limits on, some injected faults) is killed with SIGKILL at several points and restarted.
// At the end every mailbox holds each of its items exactly once.

const ITEMS = 20_000;
const db = createDb(process.env.DATABASE_URL!);
const keyring = createKeyring(process.env.APP_ENCRYPTION_KEY!);
let fixture: GraphCrashFixture;
let worker: WorkerProcess;

beforeAll(async () => {
  await flushTestRedis();
  fixture = await startGraphCrashFixture(db, keyring, {
    name: "worker-crash",
    firmCode: "CRASH01",
    day: { seed: 99, conversations: 200, totalMessages: ITEMS, files: 4, container: "gzip", users: 24, participantsPerConversation: [2, 4] },
    limits: { serviceTimeMs: 1 },
    faults: { seed: 7, throttleRate: 0.01, serviceUnavailableRate: 0.01, gatewayTimeoutRate: 0.01, lostCreateRate: 0.005 },
  });
}, 180_000);

afterAll(async () => {
  await fixture?.stop();
  await closeQueues();
  await db.$disconnect();
});

describe("a run killed with SIGKILL at several points", () => {
  it("resumes and ends with every item in every mailbox exactly once", async () => {
    const connectorId = await fixture.makeConnector();
    const units = expectedUnits(fixture.day);
    const run = await startRun(db, { connectorId, trigger: "MANUAL" });
    await enqueueRun(run.id);
    // Kill while delivering, at growing fractions of the work.
    for (const fraction of [0.1, 0.35, 0.6, 0.85]) {
      worker = fixture.launchWorker();
      await waitFor(`${Math.round(fraction * 100)}% of the messages stored`, async () => fixture.storedTotal() >= fraction * units, 240_000, 100);
      await worker.kill();
    }
    worker = fixture.launchWorker();
    const final = await waitForRunEnd(db, run.id, 300_000);

    expect(final.error).toBeNull();
    expect(final.status).toBe("SUCCEEDED");
    expect(final.attempts).toBeGreaterThanOrEqual(5);
    expect(final.itemsFromSource).toBe(ITEMS);
    expect(final.itemsForImport).toBe(units);
    expect(accounted(final)).toBe(units);
    expect(final.imported + final.skippedDuplicate).toBe(units);
    // Items delivered before a crash are reported as duplicates on resume, never imported again.
    expect(final.skippedDuplicate).toBeGreaterThan(0);

    const itemKeyProperty = (m: { extendedProperties: { id: string; value: string }[] }) =>
      m.extendedProperties.find((p) => /Name IceChatItemKey$/.test(p.id))?.value;
    let stored = 0;
    for (const user of fixture.day.manifest.users) {
      const messages = fixture.emulator.messagesOf(user.email.toLowerCase(), "ICE Chat");
      const keys = messages.map(itemKeyProperty);
      expect(keys.every(Boolean), user.email).toBe(true);
      expect(new Set(keys).size, `${user.email}: duplicates`).toBe(keys.length);
      expect(keys.length, `${user.email}: lost`).toBe(fixture.day.manifest.itemsPerUser[user.imId] ?? 0);
      expect(messages.every((m) => !m.isDraft)).toBe(true);
      stored += keys.length;
    }
    expect(stored).toBe(units);
    const peaks = Object.values(fixture.emulator.stats().maxConcurrencyPerMailbox);
    expect(peaks.length).toBeGreaterThan(0);
    expect(Math.max(...peaks)).toBeLessThanOrEqual(4);
  }, 900_000);
});
