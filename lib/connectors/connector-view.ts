import type { ConnectorStatus, ConnectorView, RunView } from "@/lib/connectors/api-schemas";
import type { Connector, ConnectorAlert, ImportRun } from "@/lib/generated/prisma/client";

// Turns database rows into the API's views. Secret columns are reduced to has* flags
// here and nowhere else, so no response can carry ciphertext or plaintext.

export const ACTIVE_RUN_STATUSES = ["QUEUED", "RUNNING"] as const;

export function toRunView(run: ImportRun): RunView {
  const failed = {
    userMapping: run.failedUserMapping,
    tooLarge: run.failedTooLarge,
    destination: run.failedDestination,
    other: run.failedOther,
    total: run.failedUserMapping + run.failedTooLarge + run.failedDestination + run.failedOther,
  };
  return {
    id: run.id,
    connectorId: run.connectorId,
    trigger: run.trigger,
    status: run.status,
    queuedAt: run.queuedAt.toISOString(),
    startedAt: run.startedAt?.toISOString() ?? null,
    finishedAt: run.finishedAt?.toISOString() ?? null,
    windowFrom: run.windowFrom?.toISOString() ?? null,
    windowTo: run.windowTo?.toISOString() ?? null,
    limitApproved: run.limitApproved,
    attempts: run.attempts,
    currentFile: run.currentFile,
    filesFound: run.filesFound,
    filesProcessed: run.filesProcessed,
    filesFailed: run.filesFailed,
    itemsFromSource: run.itemsFromSource,
    itemsForImport: run.itemsForImport,
    itemsProcessed: run.itemsProcessed,
    imported: run.imported,
    partiallyImported: run.partiallyImported,
    skippedDuplicate: run.skippedDuplicate,
    failed,
    message: run.message,
    error: run.error,
  };
}

export interface ConnectorViewInput {
  connector: Connector;
  mappingRows: number;
  /** The newest run that is no longer queued or running. */
  lastRun: ImportRun | null;
  activeRun: ImportRun | null;
  openAlerts: ConnectorAlert[];
  now?: Date;
}

const ERROR_ALERTS = new Set(["HOST_KEY_MISMATCH", "RUN_FAILED"]);

/** Running beats Paused: a connector paused mid-run is still importing until that run ends. */
export function deriveConnectorStatus(input: Pick<ConnectorViewInput, "connector" | "lastRun" | "activeRun" | "openAlerts">): ConnectorStatus {
  if (input.activeRun) return "Running";
  if (input.connector.state === "PAUSED") return "Paused";
  if (input.lastRun?.status === "FAILED" || input.openAlerts.some((a) => ERROR_ALERTS.has(a.kind))) return "Error";
  if (input.lastRun?.status === "LIMIT_EXCEEDED") return "Limit exceeded";
  return "Active";
}

/** The next daily start at "HH:MM" UTC strictly after `now`. */
export function nextRunAt(scheduleTime: string, now: Date): Date | null {
  const match = /^(\d{2}):(\d{2})$/.exec(scheduleTime);
  if (!match) return null;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (hours > 23 || minutes > 59) return null;
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), hours, minutes);
  return new Date(today > now.getTime() ? today : today + 24 * 3600 * 1000);
}

export function toConnectorView(input: ConnectorViewInput): ConnectorView {
  const c = input.connector;
  const paused = c.state === "PAUSED";
  return {
    id: c.id,
    name: c.name,
    firmCode: c.firmCode,
    sftpHost: c.sftpHost,
    sftpPort: c.sftpPort,
    keyMode: c.keyMode === "OWN" ? "own" : "platform",
    hostKeyFingerprint: c.hostKeyFingerprint,
    hostKeyAlgorithm: c.hostKeyAlgorithm,
    remoteDirectory: c.remoteDirectory,
    autoMapping: c.autoMapping,
    mappingRows: input.mappingRows,
    dailyItemLimit: c.dailyItemLimit,
    scheduleTime: c.scheduleTime,
    lookbackHours: c.lookbackHours,
    destination: c.destination === "GRAPH" ? "graph" : "local_archive",
    state: paused ? "paused" : "active",
    status: deriveConnectorStatus(input),
    hasPassword: c.passwordEnc !== null,
    hasPgpPrivateKey: c.pgpPrivateKeyEnc !== null,
    hasSshPrivateKey: c.sshPrivateKeyEnc !== null,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
    lastRun: input.lastRun ? toRunView(input.lastRun) : null,
    activeRun: input.activeRun ? toRunView(input.activeRun) : null,
    nextRunAt: paused ? null : (nextRunAt(c.scheduleTime, input.now ?? new Date())?.toISOString() ?? null),
    alerts: input.openAlerts.map((a) => ({ id: a.id, kind: a.kind, message: a.message, createdAt: a.createdAt.toISOString() })),
  };
}
