// What the Microsoft 365 destination needs to know: the app registration (tenant, client
// id, secret or certificate), which cloud to talk to, and the limits we hold ourselves to.
// Defaults stay below Graph's documented Outlook limits (4 concurrent requests and 10,000
// requests per 10 minutes per app and mailbox) so we wait instead of getting throttled.

const MB = 1024 * 1024;

export const PUBLIC_GRAPH_BASE_URL = "https://graph.microsoft.com";

/**
 * How an item becomes a message. "json": `POST .../messages` on Graph v1.0 with the JSON
 * message (the default). "importMime": the BETA `POST .../mailFolders/{id}/importMime` with
 * the item's RFC 5322 bytes, base64-encoded; it keeps every MIME header, needs the
 * application permission Mail-Advanced.ReadWrite.All, and has no upload session, so an item
 * whose base64 MIME is over Graph's 4 MB request limit cannot be imported this way.
 */
export const GRAPH_IMPORT_METHODS = ["json", "importMime"] as const;
export type GraphImportMethod = (typeof GRAPH_IMPORT_METHODS)[number];
export const DEFAULT_GRAPH_IMPORT_METHOD: GraphImportMethod = "json";
export const PUBLIC_AUTHORITY_HOST = "https://login.microsoftonline.com";

export interface GraphCertificate {
  /** PEM text holding the private key and the certificate. */
  pem: string;
  /** Send the x5c chain (subject name + issuer authentication). */
  sendCertificateChain?: boolean;
}

export interface GraphLimits {
  /** Requests in flight per mailbox, each inner request of a $batch counted (Graph: 4). */
  maxConcurrentPerMailbox: number;
  /** Requests per mailbox per sliding window (Graph: 10,000 per 10 minutes). */
  requestBudget: number;
  budgetWindowMs: number;
  /** Inner requests per $batch (Graph: 20). */
  maxBatchRequests: number;
  /** A $batch body stays under Graph's 4 MB request limit. */
  maxBatchBytes: number;
  /** Create bodies above this go as their own request, not inside a $batch. */
  maxBatchedBodyBytes: number;
  /** $batch requests (and direct requests) in flight at once for the whole destination. */
  maxBatchesInFlight: number;
  /** Items of one deliver() call worked on at once (their requests still share the mailbox's slots). */
  tasksInFlightPerDelivery: number;
  requestTimeoutMs: number;
  uploadTimeoutMs: number;
  /** Attempts per request for transient answers (429/503/504, 5xx, network) before giving up. */
  maxAttempts: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** Longest Retry-After we honour as given; longer ones are cut to this. */
  maxRetryAfterMs: number;
  /** Exchange's message size limit (tenant setting, 150 MB at most): larger attachments are skipped. */
  maxMessageBytes: number;
  /** Attachments at or above this go through an upload session (Graph: 3 MB). */
  inlineAttachmentLimitBytes: number;
  /** Upload session PUT size: a multiple of 320 KiB, at most 4 MB. */
  uploadChunkBytes: number;
  /** Graph's request body limit (4 MB). An importMime body (base64 MIME) above it is refused before sending. */
  maxRequestBodyBytes: number;
}

export const DEFAULT_GRAPH_LIMITS: GraphLimits = {
  maxConcurrentPerMailbox: 4,
  requestBudget: 9_000,
  budgetWindowMs: 10 * 60 * 1000,
  maxBatchRequests: 20,
  maxBatchBytes: 3 * MB,
  maxBatchedBodyBytes: 1 * MB,
  maxBatchesInFlight: 64,
  tasksInFlightPerDelivery: 32,
  requestTimeoutMs: 60_000,
  uploadTimeoutMs: 300_000,
  maxAttempts: 10,
  backoffBaseMs: 1_000,
  backoffMaxMs: 60_000,
  maxRetryAfterMs: 10 * 60 * 1000,
  maxMessageBytes: 150 * MB,
  inlineAttachmentLimitBytes: 3 * MB,
  uploadChunkBytes: 12 * 320 * 1024,
  maxRequestBodyBytes: 4 * MB,
};

export interface GraphDestinationConfig {
  tenantId: string;
  clientId: string;
  /** One of clientSecret or certificate. */
  clientSecret?: string;
  certificate?: GraphCertificate;
  /** Entra ID authority, e.g. https://login.microsoftonline.us for GCC High. Default: public cloud. */
  authorityHost?: string;
  /** Graph host, e.g. https://graph.microsoft.us. Default https://graph.microsoft.com. A trailing /v1.0 is ignored. */
  graphBaseUrl?: string;
  /** Token scope. Default: `<graph origin>/.default` for Microsoft's national clouds, else the public Graph scope. */
  scope?: string;
  /** Default "json" (Graph v1.0). "importMime" uses a beta endpoint: see GRAPH_IMPORT_METHODS. */
  importMethod?: GraphImportMethod;
  limits?: Partial<GraphLimits>;
}

export function resolveGraphLimits(overrides: Partial<GraphLimits> | undefined): GraphLimits {
  const limits = { ...DEFAULT_GRAPH_LIMITS, ...overrides };
  // A chunk must stay a multiple of 320 KiB (Graph's advice) and under the 4 MB PUT limit.
  const unit = 320 * 1024;
  limits.uploadChunkBytes = Math.max(unit, Math.min(12 * unit, Math.floor(limits.uploadChunkBytes / unit) * unit));
  limits.maxBatchRequests = Math.max(1, Math.min(20, Math.floor(limits.maxBatchRequests)));
  limits.maxConcurrentPerMailbox = Math.max(1, Math.floor(limits.maxConcurrentPerMailbox));
  limits.requestBudget = Math.max(1, Math.floor(limits.requestBudget));
  limits.maxAttempts = Math.max(1, Math.floor(limits.maxAttempts));
  return limits;
}
