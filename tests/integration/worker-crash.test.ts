import { cp, mkdir, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "@/lib/db";
import { startRun } from "@/lib/imports/start-run";
import { closeQueues, enqueueRun } from "@/lib/queue";
import { createKeyring } from "@/lib/secrets/keyring";
import { startGraphEmulator, type GraphEmulator } from "@/tests/support/graph-emulator";
import type { GeneratedDay } from "@/tests/support/ice-chat-generator";
import { accounted, expectedUnits, flushTestRedis, makeConnector, placeDay, platformKeys, SFTP_PASSWORD, waitForRunEnd } from "@/tests/support/run-fixture";
import { startSftpSimulator, type SftpSimulator } from "@/tests/support/sftp-server";
import { graphEmulatorEnv, startWorker, waitFor, type WorkerProcess } from "@/tests/support/worker-process";

// Exactly once across crashes: a 20,000-item run into Microsoft 365 (the Graph emulator,
// limits on, some injected faults) is killed with SIGKILL at several points and restarted.
// At the end every mailbox holds each of its items exactly once.

const ITEMS = 20_000;
const db = createDb(process.env.DATABASE_URL!);
const keyring = createKeyring(process.env.APP_ENCRYPTION_KEY!);
let work: string;
let sim: SftpSimulator;
let emu: GraphEmulator;
let day: GeneratedDay;
let worker: WorkerProcess | undefined;
let workers = 0;

function launch(): WorkerProcess {
  workers++;
  return startWorker(
    {
      DATA_DIR: path.join(work, "data"),
      SFTP_ALLOWED_PORTS: String(sim.port),
      WORKER_LOCK_DURATION_MS: "5000",
      WORKER_HEALTH_PORT: "0",
      LOG_LEVEL: "info",
      ...graphEmulatorEnv(emu),
    },
    path.join(work, `worker-${workers}.log`),
  );
}

function storedTotal(): number {
  return emu.mailboxes().reduce((n, m) => n + m.folders.reduce((k, f) => k + f.messages.length, 0), 0);
}

beforeAll(async () => {
  await flushTestRedis();
  work = await mkdtemp(path.join(os.tmpdir(), "worker-crash-"));
  const site = path.join(work, "site");
  await mkdir(site);
  const keys = await platformKeys(db, keyring);
  day = await placeDay(site, "day", keys.pgp.publicKey, new Date(Date.now() - 3600_000), {
    seed: 99, firmCode: "CRASH01", conversations: 200, totalMessages: ITEMS, files: 4, container: "gzip", users: 24, participantsPerConversation: [2, 4],
  });
  emu = await startGraphEmulator({
    users: day.manifest.users.map((u) => ({ userPrincipalName: u.email.toLowerCase() })),
    limits: { serviceTimeMs: 1 },
    faults: { seed: 7, throttleRate: 0.01, serviceUnavailableRate: 0.01, gatewayTimeoutRate: 0.01, lostCreateRate: 0.005 },
  });
  sim = await startSftpSimulator({ root: site, firmCode: "CRASH01", password: SFTP_PASSWORD, authorizedPublicKeys: [keys.ssh.publicKey] });
}, 180_000);

afterAll(async () => {
  await worker?.stop();
  await sim?.stop();
  await emu?.stop();
  await closeQueues();
  await db.$disconnect();
  // Keep the worker logs for a failed run's post-mortem.
  await cp(work, path.join(os.tmpdir(), "ice-test-logs", "worker-crash"), { recursive: true, filter: (f) => !f.includes(`${path.sep}site`) && !f.includes(`${path.sep}data`) }).catch(() => {});
  await rm(work, { recursive: true, force: true });
});

describe("a run killed with SIGKILL at several points", () => {
  it("resumes and ends with every item in every mailbox exactly once", async () => {
    const connectorId = await makeConnector(db, keyring, {
      firmCode: "CRASH01", sftpPort: sim.port, hostKeyFingerprint: sim.hostKeyFingerprint, remoteDirectory: "/day", destination: "graph",
    });
    const units = expectedUnits(day);
    const run = await startRun(db, { connectorId, trigger: "MANUAL" });
    await enqueueRun(run.id);
    // Kill while delivering, at growing fractions of the work.
    for (const fraction of [0.1, 0.35, 0.6, 0.85]) {
      worker = launch();
      await waitFor(`${Math.round(fraction * 100)}% of the messages stored`, async () => storedTotal() >= fraction * units, 240_000, 100);
      await worker.kill();
    }
    worker = launch();
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
    for (const user of day.manifest.users) {
      const messages = emu.messagesOf(user.email.toLowerCase(), "ICE Chat");
      const keys = messages.map(itemKeyProperty);
      expect(keys.every(Boolean), user.email).toBe(true);
      expect(new Set(keys).size, `${user.email}: duplicates`).toBe(keys.length);
      expect(keys.length, `${user.email}: lost`).toBe(day.manifest.itemsPerUser[user.imId] ?? 0);
      expect(messages.every((m) => !m.isDraft)).toBe(true);
      stored += keys.length;
    }
    expect(stored).toBe(units);
    const peaks = Object.values(emu.stats().maxConcurrencyPerMailbox);
    expect(peaks.length).toBeGreaterThan(0);
    expect(Math.max(...peaks)).toBeLessThanOrEqual(4);
  }, 900_000);
});
