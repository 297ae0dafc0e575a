import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import type { Logger } from "pino";
import type { PrivateKey } from "openpgp";
import type { Db } from "@/lib/db";
import { readConnectorSecrets } from "@/lib/connectors/connector-secrets";
import { raiseAlert, resolveAlerts } from "@/lib/connectors/raise-alert";
import { deliverItems } from "@/lib/delivery/deliver-items";
import type { Destination } from "@/lib/delivery/destination";
import { AppError, isAppError } from "@/lib/errors";
import { Prisma, type Connector, type ImportRun } from "@/lib/generated/prisma/client";
import { openSourceFile, type OpenedSourceFile } from "@/lib/imports/open-source-file";
import { createItemPreparer, type PreparedItem } from "@/lib/imports/prepare-item";
import { accountedUnits, addDeliveryCounts, failedUnits, sumCounters, withFileCounters, zeroCounters, type RunCounters } from "@/lib/imports/run-counters";
import { selectSourceFiles } from "@/lib/imports/select-source-files";
import { describePgpKey, readPgpPrivateKey } from "@/lib/keys/generate-pgp-key";
import { platformPgpDecryptionKeys, platformSshPrivateKey } from "@/lib/keys/platform-keys";
import { connectSftp, isSftpError, type RemoteEntry, type SftpSession, type SftpTimeouts } from "@/lib/sftp";
import type { Keyring } from "@/lib/secrets/keyring";

// One import run, start to finish: connect, choose files, download, count (the daily
// limit), then decrypt + parse + map + convert + deliver, file by file. Safe to run again
// for the same run id after a crash: finished files are skipped, their counters kept, and
// the delivery ledger turns items delivered before the crash into skipped duplicates.

export interface RunImportDeps {
  db: Db;
  keyring: Keyring;
  log: Logger;
  dataDir: string;
  sftp: { allowPrivateNetworks: boolean; allowedPorts: number[]; timeouts?: Partial<SftpTimeouts> };
  createDestination: (connector: Connector) => Destination | Promise<Destination>;
  now?: () => Date;
  /** Items delivered per batch (the ledger claims them together). */
  batchSize?: number;
  /** Batches delivered at the same time. */
  batchesInFlight?: number;
  /** Warn when a PGP key expires within this many days. */
  keyExpiryWarningDays?: number;
}

/** A failure worth retrying later (network, destination outage); anything else fails the run now. */
export class RetryableRunError extends Error {
  override name = "RetryableRunError";
}

const PROGRESS_EVERY_MS = 1000;

export async function runImport(deps: RunImportDeps, runId: string): Promise<ImportRun> {
  const { db, log: baseLog } = deps;
  const now = deps.now ?? (() => new Date());
  const run = await db.importRun.findUniqueOrThrow({ where: { id: runId }, include: { connector: true } });
  const log = baseLog.child({ runId, connectorId: run.connectorId });
  if (!["QUEUED", "RUNNING"].includes(run.status)) {
    log.info({ status: run.status }, "run already finished; nothing to do");
    return run;
  }
  const connector = run.connector;
  if (connector.state === "DELETED") return finish(db, run.id, "CANCELLED", { message: "The connector was deleted." });

  // Ledger rows are stamped by the database clock; take this attempt's start from it too.
  const attemptStartedAt = (await db.$queryRaw<{ now: Date }[]>`SELECT now() AS now`)[0]!.now;
  await db.importRun.update({
    where: { id: run.id },
    data: { status: "RUNNING", startedAt: run.startedAt ?? now(), heartbeatAt: now(), attempts: { increment: 1 }, error: null },
  });
  const workDir = path.join(deps.dataDir, "runs", run.id);
  await mkdir(workDir, { recursive: true });
  let session: SftpSession | undefined;
  // Files counted and not yet imported, unwrapped (see the daily limit below).
  const sources = new Map<string, OpenedSourceFile>();
  try {
    const { keys, sftpAuth } = await loadKeys(deps, connector, log);
    session = await connect(deps, connector, sftpAuth);
    const window = runWindow(run, connector, now());
    const listing = await session.listDirectory(connector.remoteDirectory);
    const known = await db.sourceFile.findMany({ where: { connectorId: connector.id }, select: { path: true, size: true, mtime: true, status: true } });
    const files = selectSourceFiles(listing, known, window);
    await registerFiles(db, connector.id, run.id, files);
    await db.importRun.update({ where: { id: run.id }, data: { filesFound: files.length } });
    if (files.length === 0) {
      await session.close();
      session = undefined;
      return finish(db, run.id, "SUCCEEDED", { message: `No items on ${window.to.toISOString().slice(0, 10)}: no new files in ${connector.remoteDirectory}.` }, connector.id);
    }

    // Files this run already finished before an interruption keep their results.
    const done = await db.sourceFile.findMany({ where: { connectorId: connector.id, lastRunId: run.id, status: { in: ["PROCESSED", "FAILED"] } } });
    const doneIds = new Set(done.map((f) => f.id));
    await db.failedItem.deleteMany({ where: { runId: run.id, OR: [{ sourceFileId: null }, { sourceFileId: { notIn: [...doneIds] } }] } });
    const todo = await db.sourceFile.findMany({
      where: { connectorId: connector.id, lastRunId: run.id, status: "PENDING" },
      orderBy: { mtime: "asc" },
    });

    // Download everything first: the connection is then released before the long part.
    const local = new Map<string, string>();
    for (const file of todo) {
      await db.importRun.update({ where: { id: run.id }, data: { currentFile: file.path, heartbeatAt: now() } });
      const d = await session.downloadFile(file.path, workDir, { localName: file.id });
      local.set(file.id, d.path);
    }
    await session.close();
    session = undefined;

    // The daily limit: count what the source holds before importing any of it. Each
    // file stays unwrapped (its plaintext in workDir) until it is imported, so it is
    // decrypted once per run, not once for counting and again for importing.
    const base = sumCounters(...done.map((f) => (f.result ?? {}) as Partial<RunCounters>));
    let itemsFromSource = base.itemsFromSource;
    const readable: typeof todo = [];
    let filesFailed = done.filter((f) => f.status === "FAILED").length;
    for (const file of todo) {
      const source = openSourceFile({ path: local.get(file.id)!, name: file.path, workDir, decryptionKeys: keys });
      try {
        itemsFromSource += await countRecords(source);
        readable.push(file);
        sources.set(file.id, source);
      } catch (err) {
        await source.dispose();
        if (!isAppError(err)) throw err;
        filesFailed++;
        await failFile(db, file.id, err.message);
        log.warn({ file: file.path, reason: err.message }, "source file rejected");
      }
    }
    await db.importRun.update({ where: { id: run.id }, data: { itemsFromSource, filesFailed } });
    if (itemsFromSource > connector.dailyItemLimit && !run.limitApproved) {
      // Files stay pending for the next attempt.
      await db.sourceFile.updateMany({ where: { id: { in: readable.map((f) => f.id) } }, data: { status: "PENDING" } });
      const message =
        `Limit exceeded: ${itemsFromSource.toLocaleString("en-US")} items are available, over this connector's daily limit of ` +
        `${connector.dailyItemLimit.toLocaleString("en-US")}. Nothing was imported. Raise the limit, or approve this run once, and run again.`;
      await raiseAlert(db, connector.id, "LIMIT_EXCEEDED", message);
      return finish(db, run.id, "LIMIT_EXCEEDED", { message, ...base, itemsFromSource });
    }

    // Import, file by file.
    const destination = await deps.createDestination(connector);
    const mappingRows = await db.userMapping.findMany({ where: { connectorId: connector.id }, select: { imId: true, mailbox: true, line: true } });
    const prepare = createItemPreparer({ format: destination.format, firmCode: connector.firmCode, mappingRows, autoMapping: connector.autoMapping });
    let totals = { ...base, itemsFromSource };
    let filesProcessed = done.filter((f) => f.status === "PROCESSED").length;
    try {
      for (const file of readable) {
        const fileCounters = zeroCounters();
        let lastProgress = 0;
        const flush = async (force = false) => {
          if (!force && Date.now() - lastProgress < PROGRESS_EVERY_MS) return;
          lastProgress = Date.now();
          await db.importRun.update({
            where: { id: run.id },
            data: { ...withFileCounters(totals, fileCounters), currentFile: file.path, heartbeatAt: now() },
          });
        };
        const source = sources.get(file.id)!;
        let batch: PreparedItem[] = [];
        // Several batches in flight: one slow mailbox (throttled, retrying) must not hold
        // up every other delivery; the ledger makes concurrent batches safe.
        const inFlight = new Set<Promise<void>>();
        const deliverBatch = async (items: PreparedItem[]) => {
          const { counts, failures } = await deliverItems({ db, destination, connectorId: connector.id, runId: run.id, items, attemptStartedAt });
          addDeliveryCounts(fileCounters, counts);
          if (failures.length > 0) {
            await db.failedItem.createMany({ data: failures.map((f) => ({ ...f, runId: run.id, connectorId: connector.id, sourceFileId: file.id })) });
          }
          const unmapped = items.flatMap((i) => i.unmapped);
          if (unmapped.length > 0) {
            await db.unmappedParticipant.createMany({
              data: unmapped.map((u) => ({ runId: run.id, imId: u.imId, email: u.email ?? null, reason: u.reason })),
              skipDuplicates: true,
            });
          }
          await flush();
        };
        const submit = async () => {
          if (batch.length === 0) return;
          const task = deliverBatch(batch);
          batch = [];
          inFlight.add(task);
          void task.then(
            () => inFlight.delete(task),
            () => inFlight.delete(task),
          );
          if (inFlight.size >= (deps.batchesInFlight ?? 4)) await Promise.race(inFlight);
        };
        const drain = async () => {
          // allSettled first so no batch is left running when one fails, then surface the failure.
          const results = await Promise.allSettled([...inFlight]);
          const rejected = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
          if (rejected) throw rejected.reason;
        };
        try {
          for await (const { record } of source.records()) {
            fileCounters.itemsFromSource++;
            fileCounters.itemsProcessed++;
            if (record.kind === "error") {
              fileCounters.itemsForImport++;
              fileCounters.failedOther++;
              await db.failedItem.create({
                data: {
                  runId: run.id, connectorId: connector.id, sourceFileId: file.id, reason: "SOURCE_ERROR",
                  itemId: record.error.messageId ?? `line ${record.error.line}`, conversationId: record.error.conversationId ?? null,
                  detail: record.error.reason,
                },
              });
              continue;
            }
            batch.push(await prepare(record.item));
            if (batch.length >= (deps.batchSize ?? 200)) await submit();
          }
          await submit();
          await drain();
        } catch (err) {
          await Promise.allSettled([...inFlight]);
          if (!isAppError(err) || err.code === "destination_failed") throw err;
          // A file that turns out damaged halfway: what was delivered stays delivered
          // (and will be a duplicate if the file is fixed and re-sent); the rest is reported.
          filesFailed++;
          await failFile(db, file.id, err.message, fileCounters);
          totals = withFileCounters(totals, fileCounters);
          await db.importRun.update({ where: { id: run.id }, data: { ...totals, filesFailed } });
          continue;
        } finally {
          sources.delete(file.id);
          await source.dispose();
        }
        filesProcessed++;
        totals = withFileCounters(totals, fileCounters);
        await db.$transaction([
          db.sourceFile.update({
            where: { id: file.id },
            data: { status: "PROCESSED", itemCount: fileCounters.itemsFromSource, processedAt: now(), error: null, result: fileCounters as unknown as Prisma.InputJsonValue },
          }),
          db.importRun.update({ where: { id: run.id }, data: { ...totals, filesProcessed, heartbeatAt: now() } }),
        ]);
        await rm(local.get(file.id)!, { force: true });
      }
    } finally {
      await destination.close();
    }

    const mappingFailures = totals.failedUserMapping;
    if (mappingFailures > 0) {
      await raiseAlert(db, connector.id, "MAPPING_FAILURES", `${mappingFailures} item(s) could not be imported because a participant has no mailbox. See the run's unmapped users.`);
    } else {
      await resolveAlerts(db, connector.id, ["MAPPING_FAILURES"]);
    }
    await resolveAlerts(db, connector.id, ["RUN_FAILED", "LIMIT_EXCEEDED", "HOST_KEY_MISMATCH", "MISSED_DAY"]);
    if (accountedUnits(totals) !== totals.itemsForImport) {
      log.error({ totals }, "run counters do not add up");
    }
    const status = filesFailed > 0 || failedUnits(totals) > 0 ? "PARTIALLY_SUCCEEDED" : "SUCCEEDED";
    const message =
      totals.itemsFromSource === 0
        ? `No items on ${window.to.toISOString().slice(0, 10)}.`
        : `${totals.imported + totals.partiallyImported} imported, ${totals.skippedDuplicate} skipped as duplicates, ${failedUnits(totals)} failed.`;
    return finish(db, run.id, status, { message, filesFailed, filesProcessed, ...totals }, connector.id);
  } catch (err) {
    if (isSftpError(err) && err.kind === "host_key_mismatch") {
      await raiseAlert(db, connector.id, "HOST_KEY_MISMATCH", `${err.message} The connector will not connect until an admin validates the connection again and pins the new key.`);
      return fail(db, run.id, connector.id, err.message);
    }
    if (isSftpError(err) && ["auth_failed", "invalid_credentials", "host_key_not_pinned", "target_refused", "not_found", "permission_denied"].includes(err.kind)) {
      return fail(db, run.id, connector.id, err.message);
    }
    if (isSftpError(err) || (isAppError(err) && (err.code === "connection_failed" || err.code === "destination_failed"))) {
      throw new RetryableRunError(err.message);
    }
    if (isAppError(err)) return fail(db, run.id, connector.id, err.message);
    throw err;
  } finally {
    await session?.close().catch(() => {});
    await Promise.allSettled([...sources.values()].map((source) => source.dispose()));
    await rm(workDir, { recursive: true, force: true });
  }
}

function runWindow(run: ImportRun, connector: Connector, now: Date): { from: Date; to: Date } {
  if (run.windowFrom && run.windowTo) return { from: run.windowFrom, to: run.windowTo };
  return { from: new Date(now.getTime() - connector.lookbackHours * 3600_000), to: now };
}

async function registerFiles(db: Db, connectorId: string, runId: string, files: RemoteEntry[]): Promise<void> {
  for (const f of files) {
    const key = { connectorId, path: f.path, size: BigInt(f.size), mtime: f.mtime };
    const existing = await db.sourceFile.findUnique({ where: { connectorId_path_size_mtime: key }, select: { lastRunId: true } });
    if (!existing) {
      await db.sourceFile.create({ data: { ...key, lastRunId: runId } });
    } else if (existing.lastRunId !== runId) {
      // Left unfinished (or failed) by an earlier run: this run takes it over from scratch.
      await db.sourceFile.update({
        where: { connectorId_path_size_mtime: key },
        data: { lastRunId: runId, status: "PENDING", error: null, result: Prisma.DbNull },
      });
    }
    // Same run (resumed after a crash): keep what it already finished.
  }
}

async function failFile(db: Db, id: string, reason: string, counters?: RunCounters): Promise<void> {
  await db.sourceFile.update({
    where: { id },
    data: { status: "FAILED", error: reason, ...(counters ? { result: counters as unknown as Prisma.InputJsonValue } : {}) },
  });
}

async function countRecords(source: OpenedSourceFile): Promise<number> {
  let n = 0;
  for await (const _ of source.records()) n++;
  return n;
}

async function loadKeys(deps: RunImportDeps, connector: Connector, log: Logger) {
  const secrets = await readConnectorSecrets(deps.db, deps.keyring, connector.id);
  let keys: PrivateKey[];
  let sshKey: string | undefined;
  let sshPassphrase: string | undefined;
  if (connector.keyMode === "PLATFORM") {
    keys = await platformPgpDecryptionKeys(deps.db, deps.keyring);
    if (keys.length === 0) throw new AppError("validation_failed", "No platform PGP key exists: download it in the connector wizard and give it to ICE.");
    sshKey = await platformSshPrivateKey(deps.db, deps.keyring).catch(() => undefined);
  } else {
    if (!secrets.pgpPrivateKey) throw new AppError("validation_failed", "This connector has no PGP private key.");
    keys = [await readPgpPrivateKey(secrets.pgpPrivateKey, secrets.pgpPassphrase)];
    sshKey = secrets.sshPrivateKey;
    sshPassphrase = secrets.sshPassphrase;
  }
  const warnDays = deps.keyExpiryWarningDays ?? 30;
  for (const key of keys) {
    const { expiresAt, fingerprint } = await describePgpKey(key);
    if (expiresAt && expiresAt.getTime() - Date.now() < warnDays * 86_400_000) {
      const message = `PGP key ${fingerprint} expires on ${expiresAt.toISOString().slice(0, 10)}: give ICE a new public key before then.`;
      log.warn({ fingerprint, expiresAt }, "PGP key nears expiry");
      await raiseAlert(deps.db, connector.id, "KEY_EXPIRY", message);
    }
  }
  return { keys, sftpAuth: { password: secrets.password, privateKey: sshKey, passphrase: sshPassphrase } };
}

function connect(deps: RunImportDeps, connector: Connector, auth: { password?: string; privateKey?: string; passphrase?: string }) {
  return connectSftp({
    host: connector.sftpHost,
    port: connector.sftpPort,
    username: connector.firmCode,
    ...auth,
    // Strict: the worker never pins a key by itself (only Validate connection does, with an admin).
    pinnedFingerprint: connector.hostKeyFingerprint ?? "",
    allowPrivateNetworks: deps.sftp.allowPrivateNetworks,
    allowedPorts: deps.sftp.allowedPorts,
    timeouts: deps.sftp.timeouts,
  });
}

type Final = Partial<RunCounters> & { message?: string; filesFailed?: number; filesProcessed?: number };

async function finish(db: Db, runId: string, status: ImportRun["status"], data: Final, connectorId?: string): Promise<ImportRun> {
  const run = await db.importRun.update({
    where: { id: runId },
    data: { ...data, status, finishedAt: new Date(), activeRunKey: null, currentFile: null },
  });
  if (connectorId && (status === "SUCCEEDED" || status === "PARTIALLY_SUCCEEDED")) await resolveAlerts(db, connectorId, ["RUN_FAILED"]);
  return run;
}

/** Marks the run failed with an admin-readable reason and raises the connector's alert. */
export async function fail(db: Db, runId: string, connectorId: string, reason: string): Promise<ImportRun> {
  await raiseAlert(db, connectorId, "RUN_FAILED", `The last run failed: ${reason}`);
  return db.importRun.update({
    where: { id: runId },
    data: { status: "FAILED", error: reason, message: `Failed: ${reason}`, finishedAt: new Date(), activeRunKey: null, currentFile: null },
  });
}
