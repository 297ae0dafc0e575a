// The REST API's connector and run views as the browser sees them (JSON: dates are ISO
// strings). Kept here rather than imported from lib/ so no server module is ever pulled
// into a client bundle; the shapes follow the API contract (docs/api.md).

export type ConnectorStatus = "Active" | "Paused" | "Running" | "Error" | "Limit exceeded";

export type RunStatus = "QUEUED" | "RUNNING" | "SUCCEEDED" | "PARTIALLY_SUCCEEDED" | "FAILED" | "LIMIT_EXCEEDED" | "CANCELLED";

export type RunTrigger = "SCHEDULED" | "MANUAL" | "BACKFILL";

export type AlertKind = "HOST_KEY_MISMATCH" | "MISSED_DAY" | "KEY_EXPIRY" | "RUN_FAILED" | "LIMIT_EXCEEDED" | "MAPPING_FAILURES";

export interface FailedCounters {
  userMapping: number;
  tooLarge: number;
  destination: number;
  other: number;
  total: number;
}

export interface RunView {
  id: string;
  connectorId: string;
  trigger: RunTrigger;
  status: RunStatus;
  queuedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  windowFrom: string | null;
  windowTo: string | null;
  limitApproved: boolean;
  attempts: number;
  currentFile: string | null;
  filesFound: number;
  filesProcessed: number;
  filesFailed: number;
  itemsFromSource: number;
  itemsForImport: number;
  itemsProcessed: number;
  imported: number;
  partiallyImported: number;
  skippedDuplicate: number;
  failed: FailedCounters;
  message: string | null;
  error: string | null;
}

export interface ConnectorAlertView {
  id: string;
  kind: AlertKind;
  message: string;
  createdAt: string;
}

export interface ConnectorView {
  id: string;
  name: string;
  firmCode: string;
  sftpHost: string;
  sftpPort: number;
  keyMode: "platform" | "own";
  hostKeyFingerprint: string | null;
  hostKeyAlgorithm: string | null;
  remoteDirectory: string;
  autoMapping: boolean;
  mappingRows: number;
  dailyItemLimit: number;
  scheduleTime: string;
  lookbackHours: number;
  destination: "graph" | "local_archive";
  state: "active" | "paused";
  status: ConnectorStatus;
  hasPassword: boolean;
  hasPgpPrivateKey: boolean;
  hasSshPrivateKey: boolean;
  createdAt: string;
  updatedAt: string;
  lastRun: RunView | null;
  activeRun: RunView | null;
  nextRunAt: string | null;
  alerts: ConnectorAlertView[];
}

export type FailureReason = "USER_MAPPING" | "ITEM_TOO_LARGE" | "DESTINATION_ERROR" | "SOURCE_ERROR";

export interface RunDetailView extends RunView {
  failedItems: {
    itemId: string;
    conversationId: string | null;
    sourceImId: string | null;
    mailbox: string | null;
    reason: FailureReason;
    detail: string;
    createdAt: string;
  }[];
  failedItemsTotal: number;
  unmappedParticipants: { imId: string; email: string | null; reason: string }[];
  partialItems: { itemKey: string; mailbox: string; note: string }[];
  files: { path: string; size: number; mtime: string; status: "PENDING" | "PROCESSED" | "FAILED"; itemCount: number | null; error: string | null }[];
}

export interface DailyImports {
  date: string;
  imported: number;
}

/** A run is active while queued or running: the UI polls fast then. */
export function isActiveRun(run: Pick<RunView, "status"> | null | undefined): boolean {
  return run?.status === "QUEUED" || run?.status === "RUNNING";
}
