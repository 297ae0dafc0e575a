// Graph / Exchange Online limits as documented (throttling-limits, outlook-large-attachments,
// json-batching). Tests shrink them (budget, window) to exercise the paths quickly.

import type { EmulatorLimits } from "./types";

const MB = 1024 * 1024;

export const DEFAULT_LIMITS: EmulatorLimits = {
  maxConcurrentPerMailbox: 4,
  requestBudgetPerWindow: 10_000,
  budgetWindowMs: 10 * 60 * 1000,
  concurrencyRetryAfterSeconds: 1,
  maxRequestBodyBytes: 4 * MB,
  maxInlineAttachmentBytes: 3 * MB,
  minUploadSessionBytes: 3 * MB,
  maxUploadSessionBytes: 150 * MB,
  maxUploadChunkBytes: 4 * MB,
  maxMessageBytes: 150 * MB,
  maxBatchRequests: 20,
  serviceTimeMs: 15,
  tokenLifetimeSeconds: 3599,
  uploadSessionLifetimeMs: 15 * 60 * 1000,
  defaultPageSize: 10,
  maxPageSize: 1000,
};

export const WELL_KNOWN_FOLDERS: { wellKnownName: string; displayName: string }[] = [
  { wellKnownName: "inbox", displayName: "Inbox" },
  { wellKnownName: "drafts", displayName: "Drafts" },
  { wellKnownName: "sentitems", displayName: "Sent Items" },
  { wellKnownName: "deleteditems", displayName: "Deleted Items" },
  { wellKnownName: "junkemail", displayName: "Junk Email" },
  { wellKnownName: "archive", displayName: "Archive" },
  { wellKnownName: "outbox", displayName: "Outbox" },
];
