import { writeFile, utimes, mkdtemp, rm, mkdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "@/lib/db";
import { startRun } from "@/lib/imports/start-run";
import { closeQueues, enqueueRun } from "@/lib/queue";
import { createKeyring } from "@/lib/secrets/keyring";
import { formatUserMappingCsv, type GeneratedDay } from "@/tests/support/ice-chat-generator";
import { accounted, expectedUnits, flushTestRedis, makeConnector, placeDay, platformKeys, SFTP_PASSWORD, waitForRunEnd } from "@/tests/support/run-fixture";
import { startSftpSimulator, type SftpSimulator } from "@/tests/support/sftp-server";
import { startWorker, waitFor, type WorkerProcess } from "@/tests/support/worker-process";

// Import runs end to end with the real worker process, Redis, PostgreSQL and the SFTP
// simulator; the local archive is the destination (the Graph destination has its own suite).

const db = createDb(process.env.DATABASE_URL!);
const keyring = createKeyring(process.env.APP_ENCRYPTION_KEY!);
const HOUR = 3600_000;
let work: string;
let site: string;
let sim: SftpSimulator;
let worker: WorkerProcess;
let pgpPublicKey: string;

function workerEnv(extra: Record<string, string> = {}) {
  return { DATA_DIR: path.join(work, "data"), SFTP_ALLOWED_PORTS: String(sim.port), WORKER_LOCK_DURATION_MS: "5000", WORKER_HEALTH_PORT: "0", LOG_LEVEL: "info", ...extra };
}

async function runNow(connectorId: string, extra: Parameters<typeof startRun>[1] extends infer O ? Partial<O> : never = {}) {
  const run = await startRun(db, { connectorId, trigger: "MANUAL", ...extra });
  await enqueueRun(run.id);
  return waitForRunEnd(db, run.id);
}

async function freePort(): Promise<number> {
  const { createServer } = await import("node:net");
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  await flushTestRedis();
  work = await mkdtemp(path.join(os.tmpdir(), "worker-runs-"));
  site = path.join(work, "site");
  await mkdir(site, { recursive: true });
  const keys = await platformKeys(db, keyring);
  pgpPublicKey = keys.pgp.publicKey;
  sim = await startSftpSimulator({ root: site, firmCode: "RUN01", password: SFTP_PASSWORD, authorizedPublicKeys: [keys.ssh.publicKey], requireBoth: true });
  worker = startWorker(workerEnv(), path.join(work, "worker.log"));
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await sim?.stop();
  await closeQueues();
  await db.$disconnect();
  await rm(work, { recursive: true, force: true });
});

describe("import runs in the worker", () => {
  let connectorId: string;
  let day: GeneratedDay;

  it("run now: imports every item once into every mailbox, and the counters add up", async () => {
    day = await placeDay(site, "main", pgpPublicKey, new Date(Date.now() - HOUR), { seed: 11, firmCode: "RUN01", conversations: 20, totalMessages: 600, files: 3, container: "gzip" });
    connectorId = await makeConnector(db, keyring, { firmCode: "RUN01", sftpPort: sim.port, hostKeyFingerprint: sim.hostKeyFingerprint, remoteDirectory: "/main" });
    const run = await runNow(connectorId);
    expect(run.error).toBeNull();
    expect(run).toMatchObject({ status: "SUCCEEDED", filesFound: 3, filesProcessed: 3, filesFailed: 0, itemsFromSource: 600, itemsProcessed: 600 });
    expect(run.itemsForImport).toBe(expectedUnits(day));
    expect(run.imported).toBe(run.itemsForImport);
    expect(accounted(run)).toBe(run.itemsForImport);
    expect(run.startedAt).toBeInstanceOf(Date);
    expect(run.finishedAt!.getTime()).toBeGreaterThanOrEqual(run.startedAt!.getTime());
    expect(await db.archivedMessage.count({ where: { connectorId } })).toBe(run.itemsForImport);
    expect(await db.sourceFile.count({ where: { connectorId, status: "PROCESSED" } })).toBe(3);
  }, 120_000);

  it("a second run finds nothing new and says so; a concurrent request is refused", async () => {
    const run = await startRun(db, { connectorId, trigger: "MANUAL" });
    await expect(startRun(db, { connectorId, trigger: "MANUAL" })).rejects.toThrow(/already (queued|running)/);
    await enqueueRun(run.id);
    const done = await waitForRunEnd(db, run.id);
    expect(done.status).toBe("SUCCEEDED");
    expect(done.message).toMatch(/^No items on \d{4}-\d{2}-\d{2}/);
    expect(done.itemsFromSource).toBe(0);
    expect(accounted(done)).toBe(done.itemsForImport);
  }, 60_000);

  it("backfill: a file outside the daily window is imported only when its window is asked for", async () => {
    const old = new Date(Date.now() - 10 * 24 * HOUR);
    const older = await placeDay(site, "main", pgpPublicKey, old, { seed: 12, firmCode: "RUN01", date: "2026-11-12", conversations: 4, totalMessages: 80 });
    const daily = await runNow(connectorId);
    expect(daily.itemsFromSource).toBe(0);
    const backfill = await runNow(connectorId, { trigger: "BACKFILL", windowFrom: new Date(old.getTime() - HOUR), windowTo: new Date(old.getTime() + HOUR) });
    expect(backfill).toMatchObject({ status: "SUCCEEDED", filesFound: 1, itemsFromSource: 80 });
    expect(backfill.imported).toBe(expectedUnits(older));
    expect(accounted(backfill)).toBe(backfill.itemsForImport);
  }, 90_000);

  it("a bad file among good ones is reported and the others are imported", async () => {
    const now = new Date(Date.now() - 60_000);
    const good = await placeDay(site, "main", pgpPublicKey, now, { seed: 13, firmCode: "RUN01", date: "2026-11-23", conversations: 3, totalMessages: 50 });
    const bad = path.join(site, "main", "ICECHAT_RUN01_20261123_999.xml.pgp");
    await writeFile(bad, Buffer.concat([Buffer.from([0x85, 0x01, 0x0c]), Buffer.alloc(300, 7)]));
    await utimes(bad, now, now);
    const run = await runNow(connectorId);
    expect(run).toMatchObject({ status: "PARTIALLY_SUCCEEDED", filesFound: 2, filesProcessed: 1, filesFailed: 1, itemsFromSource: 50 });
    expect(run.imported).toBe(expectedUnits(good));
    expect(accounted(run)).toBe(run.itemsForImport);
    const failed = await db.sourceFile.findFirstOrThrow({ where: { connectorId, path: "/main/ICECHAT_RUN01_20261123_999.xml.pgp" } });
    expect(failed.status).toBe("FAILED");
    expect(failed.error).toMatch(/PGP|OpenPGP|decrypt|packet/i);
  }, 90_000);

  it("the daily limit: over it nothing is imported and the files wait; approved once, all are imported", async () => {
    const limited = await placeDay(site, "limit", pgpPublicKey, new Date(Date.now() - HOUR), { seed: 14, firmCode: "RUN01", conversations: 5, totalMessages: 150, files: 2 });
    const id = await makeConnector(db, keyring, { firmCode: "RUN01", sftpPort: sim.port, hostKeyFingerprint: sim.hostKeyFingerprint, remoteDirectory: "/limit", dailyItemLimit: 100 });
    const over = await runNow(id);
    expect(over.status).toBe("LIMIT_EXCEEDED");
    expect(over.itemsFromSource).toBe(150);
    expect(over.imported).toBe(0);
    expect(over.message).toMatch(/150 items are available, over this connector's daily limit of 100.*approve this run once/);
    expect(await db.archivedMessage.count({ where: { connectorId: id } })).toBe(0);
    expect(await db.sourceFile.count({ where: { connectorId: id, status: "PENDING" } })).toBe(2);
    expect(await db.connectorAlert.count({ where: { connectorId: id, kind: "LIMIT_EXCEEDED", resolvedAt: null } })).toBe(1);

    const approved = await runNow(id, { limitApproved: true });
    expect(approved).toMatchObject({ status: "SUCCEEDED", itemsFromSource: 150 });
    expect(approved.imported).toBe(expectedUnits(limited));
    expect(await db.connectorAlert.count({ where: { connectorId: id, kind: "LIMIT_EXCEEDED", resolvedAt: null } })).toBe(0);
  }, 90_000);

  it("items nobody maps to fail with details, and each unmapped user is listed once", async () => {
    const mappedDay = await placeDay(site, "mapping", pgpPublicKey, new Date(Date.now() - HOUR), { seed: 15, firmCode: "RUN01", conversations: 6, totalMessages: 120, users: 10, participantsPerConversation: [2, 3] });
    const mapped = mappedDay.manifest.users.slice(0, 5);
    const id = await makeConnector(db, keyring, {
      firmCode: "RUN01", sftpPort: sim.port, hostKeyFingerprint: sim.hostKeyFingerprint, remoteDirectory: "/mapping",
      autoMapping: false, mappingCsv: formatUserMappingCsv(mapped),
    });
    const run = await runNow(id);
    expect(accounted(run)).toBe(run.itemsForImport);
    const unmapped = await db.unmappedParticipant.findMany({ where: { runId: run.id } });
    const unmappedIds = new Set(unmapped.map((u) => u.imId.toLowerCase()));
    expect(unmapped.length).toBe(unmappedIds.size);
    for (const u of mappedDay.manifest.users.slice(5)) {
      if ((mappedDay.manifest.itemsPerUser[u.imId] ?? 0) > 0) expect(unmappedIds.has(u.imId.toLowerCase()), u.imId).toBe(true);
    }
    for (const u of mapped) expect(unmappedIds.has(u.imId.toLowerCase())).toBe(false);
    expect(unmapped[0]?.reason).toMatch(/automatic mapping is off|not in the custom mapping/i);
    const failures = await db.failedItem.findMany({ where: { runId: run.id } });
    expect(failures.length).toBe(run.failedUserMapping);
    if (failures.length > 0) {
      expect(run.status).toBe("PARTIALLY_SUCCEEDED");
      expect(failures[0]).toMatchObject({ reason: "USER_MAPPING", mailbox: null });
      expect(failures[0]!.itemId).toBeTruthy();
      expect(failures[0]!.sourceImId).toBeTruthy();
    }
    const mappedMailboxes = new Set(mapped.map((u) => u.email.toLowerCase()));
    const archived = await db.archivedMessage.groupBy({ by: ["mailbox"], where: { connectorId: id } });
    for (const a of archived) expect(mappedMailboxes.has(a.mailbox)).toBe(true);
  }, 90_000);

  it("the daily schedule fires by itself (test schedule: every 2 s)", async () => {
    await worker.stop();
    worker = startWorker(workerEnv({ SCHEDULE_OVERRIDE_EVERY_SECONDS: "2" }), path.join(work, "worker-scheduled.log"));
    const scheduled = await waitFor("a scheduled run to finish", () =>
      db.importRun.findFirst({ where: { connectorId, trigger: "SCHEDULED", status: { in: ["SUCCEEDED", "PARTIALLY_SUCCEEDED"] } } }),
    );
    expect(scheduled.scheduledFor).toBeInstanceOf(Date);
    expect(accounted(scheduled)).toBe(scheduled.itemsForImport);
    // Pausing stops it: no new scheduled run starts once the pause is synced.
    await db.connector.updateMany({ where: { state: "ACTIVE" }, data: { state: "PAUSED" } });
    await worker.stop();
    worker = startWorker(workerEnv({ SCHEDULE_OVERRIDE_EVERY_SECONDS: "2" }), path.join(work, "worker-paused.log"));
    await new Promise((r) => setTimeout(r, 3000));
    const before = await db.importRun.count({ where: { connectorId, trigger: "SCHEDULED" } });
    await new Promise((r) => setTimeout(r, 5000));
    expect(await db.importRun.count({ where: { connectorId, trigger: "SCHEDULED" } })).toBe(before);
    await db.connector.updateMany({ where: { state: "PAUSED" }, data: { state: "ACTIVE" } });
  }, 120_000);

  it("a connection failure is retried with backoff, then fails the run with the reason", async () => {
    await worker.stop();
    const healthPort = await freePort();
    worker = startWorker(workerEnv({ WORKER_HEALTH_PORT: String(healthPort), SFTP_ALLOWED_PORTS: `${sim.port},${healthPort + 1}` }), path.join(work, "worker-retry.log"));
    const id = await makeConnector(db, keyring, { firmCode: "RUN01", sftpPort: healthPort + 1, hostKeyFingerprint: sim.hostKeyFingerprint, remoteDirectory: "/main" });
    const run = await runNow(id);
    expect(run.status).toBe("FAILED");
    expect(run.attempts).toBe(5);
    expect(run.error).toMatch(/refused|connect/i);
    expect(run.error).toMatch(/gave up after 5 attempts/);
    expect(await db.connectorAlert.count({ where: { connectorId: id, kind: "RUN_FAILED", resolvedAt: null } })).toBe(1);
    await db.connector.update({ where: { id }, data: { state: "PAUSED" } });

    // Health and metrics of the same worker.
    const get = (p: string) => fetch(`http://127.0.0.1:${healthPort}${p}`);
    expect((await get("/healthz")).status).toBe(200);
    expect((await get("/readyz")).status).toBe(200);
    const metrics = await (await get("/metrics")).text();
    expect(metrics).toMatch(/^ice_runs\{status="FAILED"\} \d+$/m);
    expect(metrics).toMatch(/^ice_items_total\{outcome="imported"\} [1-9]\d*$/m);
    expect(metrics).toMatch(/^ice_queue_jobs\{state="waiting"\} \d+$/m);
  }, 90_000);

  it("never writes a secret to its logs", async () => {
    await worker.stop();
    const { readdir, readFile } = await import("node:fs/promises");
    const logs = (await readdir(work)).filter((f) => f.endsWith(".log"));
    expect(logs.length).toBeGreaterThanOrEqual(3);
    for (const f of logs) {
      const text = await readFile(path.join(work, f), "utf8");
      expect(text, f).toContain("worker started");
      expect(text, f).not.toContain(SFTP_PASSWORD);
      expect(text, f).not.toMatch(/PRIVATE KEY/);
      expect(text, f).not.toContain(process.env.APP_ENCRYPTION_KEY!);
    }
  });
});
