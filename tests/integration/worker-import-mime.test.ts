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

// The beta importMime import method through the whole product: a real worker prepares
// MIME (the destination's format) and imports it into the Graph emulator's beta
// endpoint with faults injected; it is killed once mid-run and restarted, and every
// mailbox still ends with each item exactly once, as a non-draft, found by Message-ID.

const ITEMS = 1_500;
const FIRM = "MIME01";
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
      GRAPH_IMPORT_METHOD: "importMime",
    },
    path.join(work, `worker-${workers}.log`),
  );
}

function storedTotal(): number {
  return emu.mailboxes().reduce((n, m) => n + m.folders.reduce((k, f) => k + f.messages.length, 0), 0);
}

beforeAll(async () => {
  await flushTestRedis();
  work = await mkdtemp(path.join(os.tmpdir(), "worker-import-mime-"));
  const site = path.join(work, "site");
  await mkdir(site);
  const keys = await platformKeys(db, keyring);
  day = await placeDay(site, "day", keys.pgp.publicKey, new Date(Date.now() - 3600_000), {
    seed: 31, firmCode: FIRM, conversations: 30, totalMessages: ITEMS, files: 2, container: "xml", users: 10, participantsPerConversation: [2, 3],
  });
  emu = await startGraphEmulator({
    users: day.manifest.users.map((u) => ({ userPrincipalName: u.email.toLowerCase() })),
    limits: { serviceTimeMs: 2 },
    faults: { seed: 11, throttleRate: 0.02, serviceUnavailableRate: 0.01, gatewayTimeoutRate: 0.01, lostCreateRate: 0.01 },
  });
  sim = await startSftpSimulator({ root: site, firmCode: FIRM, password: SFTP_PASSWORD, authorizedPublicKeys: [keys.ssh.publicKey] });
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await sim?.stop();
  await emu?.stop();
  await closeQueues();
  await db.$disconnect();
  await cp(work, path.join(os.tmpdir(), "ice-test-logs", "worker-import-mime"), { recursive: true, filter: (f) => !f.includes(`${path.sep}site`) && !f.includes(`${path.sep}data`) }).catch(() => {});
  await rm(work, { recursive: true, force: true });
});

describe("a run with the beta importMime method", () => {
  it("imports every item once as a non-draft MIME message, across a SIGKILL and faults", async () => {
    const connectorId = await makeConnector(db, keyring, {
      firmCode: FIRM, sftpPort: sim.port, hostKeyFingerprint: sim.hostKeyFingerprint, remoteDirectory: "/day", destination: "graph",
    });
    const units = expectedUnits(day);
    const run = await startRun(db, { connectorId, trigger: "MANUAL" });
    await enqueueRun(run.id);
    worker = launch();
    await waitFor("40% of the messages stored", async () => storedTotal() >= 0.4 * units, 120_000, 50);
    await worker.kill();
    worker = launch();
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
    for (const user of day.manifest.users) {
      const messages = emu.messagesOf(user.email.toLowerCase(), "ICE Chat");
      const ids = messages.map((m) => m.internetMessageId);
      expect(new Set(ids).size, `${user.email}: duplicates`).toBe(ids.length);
      expect(ids.length, `${user.email}: lost`).toBe(day.manifest.itemsPerUser[user.imId] ?? 0);
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
    const distinct = new Set(day.manifest.users.flatMap((u) => emu.messagesOf(u.email.toLowerCase(), "ICE Chat").map((m) => m.internetMessageId)));
    expect(distinct.size).toBe(ITEMS);
    const peaks = Object.values(emu.stats().maxConcurrencyPerMailbox);
    expect(Math.max(...peaks)).toBeLessThanOrEqual(4);
  }, 420_000);
});
