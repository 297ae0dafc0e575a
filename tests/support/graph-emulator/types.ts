// Shared shapes of the Graph emulator: configuration, stored state, and the internal
// request/response pair every handler speaks (so $batch can run inner requests
// through exactly the same pipeline as top-level ones).

export interface EmulatorUserConfig {
  /** Directory object id (GUID). Generated when omitted. */
  id?: string;
  userPrincipalName: string;
  displayName?: string;
  /** Primary SMTP address. Defaults to the UPN. */
  mail?: string;
  /**
   * Exchange addresses, e.g. ["SMTP:primary@contoso.com", "smtp:alias@contoso.com"] (upper-case
   * prefix = primary). Defaults to ["SMTP:" + mail]. Only $filter finds a user by them;
   * /users/{key} never does.
   */
  proxyAddresses?: string[];
  /** false = an account without an Exchange Online mailbox (mail endpoints answer 404). */
  mailboxEnabled?: boolean;
}

export interface EmulatorLimits {
  /** Outlook: at most 4 requests in flight per app + mailbox. 0 disables. */
  maxConcurrentPerMailbox: number;
  /** Outlook: 10,000 requests per 10 minutes per app + mailbox. 0 disables. */
  requestBudgetPerWindow: number;
  budgetWindowMs: number;
  /** Retry-After seconds sent with a concurrency 429. */
  concurrencyRetryAfterSeconds: number;
  /** Graph rejects request bodies above 4 MB (413). */
  maxRequestBodyBytes: number;
  /** fileAttachment POST: contentBytes above 3 MB must use an upload session. */
  maxInlineAttachmentBytes: number;
  /** createUploadSession: 3 MB .. 150 MB per attachment. */
  minUploadSessionBytes: number;
  maxUploadSessionBytes: number;
  /** Each PUT to an upload URL carries at most 4 MB. */
  maxUploadChunkBytes: number;
  /** Exchange message size limit (body + attachments). Exchange Online default 35 MB, max 150 MB. */
  maxMessageBytes: number;
  /** JSON batching: at most 20 requests. */
  maxBatchRequests: number;
  /** Service time each mailbox request holds its concurrency slot (ms); makes overlap observable. */
  serviceTimeMs: number;
  /** Access token lifetime (seconds). */
  tokenLifetimeSeconds: number;
  /** Upload session lifetime (ms). */
  uploadSessionLifetimeMs: number;
  /** Page size when a collection request has no $top. Graph default for messages is 10. */
  defaultPageSize: number;
  /** Largest $top Outlook honours; larger values are clamped (Graph caps at 1000). */
  maxPageSize: number;
}

export interface EmulatorFaults {
  /** Seed of the PRNG that decides random faults, so a failing run can be replayed. */
  seed?: number | string;
  /** Fraction (0..1) of mailbox requests answered 429 ApplicationThrottled before running. */
  throttleRate?: number;
  /** Fraction (0..1) answered 503 ServiceUnavailable before running. */
  serviceUnavailableRate?: number;
  /** Fraction (0..1) answered 504 GatewayTimeout before running. */
  gatewayTimeoutRate?: number;
  /** Extra delay added to every Graph request (ms). */
  delayMs?: number;
  /** Fraction (0..1) of message creates that are STORED but whose response is lost. */
  lostCreateRate?: number;
  /** 1-based ordinals of message creates (counted since the last fault reset) whose response is lost. */
  lostCreateOrdinals?: number[];
  /** How a lost response looks to the client: a reset connection or a 504. Default "drop". */
  lostResponseMode?: "drop" | "504";
}

export interface EmulatorStats {
  requests: number;
  requestsPerMailbox: Record<string, number>;
  maxConcurrencyPerMailbox: Record<string, number>;
  throttled429: number;
  throttled429PerMailbox: Record<string, number>;
  faultsInjected: { throttle: number; serviceUnavailable: number; gatewayTimeout: number; lostResponses: number };
  tokensIssued: number;
  tokenFailures: number;
  batches: number;
}

export interface StoredUser {
  id: string;
  userPrincipalName: string;
  displayName: string;
  mail: string;
  proxyAddresses: string[];
  mailboxEnabled: boolean;
}

export interface StoredExtendedProperty {
  /** The id as Exchange returns it (canonical form). */
  id: string;
  /** Key used for matching: case-folded except the Name part, which Exchange matches case-sensitively. */
  key: string;
  value: string;
}

export interface StoredAttachment {
  id: string;
  name: string;
  contentType: string;
  size: number;
  isInline: boolean;
  contentId: string | null;
  lastModifiedDateTime: string;
  content: Buffer;
  /** Part of the item's MIME (created from MIME): already counted in its size. */
  inMime?: boolean;
}

export interface Recipient {
  emailAddress: { address?: string; name?: string };
}

export interface StoredMessage {
  id: string;
  folderId: string;
  createdDateTime: string;
  lastModifiedDateTime: string;
  changeKey: string;
  isDraft: boolean;
  isRead: boolean;
  /** PidTagMessageFlags as given at creation (null when absent: the item is a draft). */
  messageFlags: number | null;
  sentDateTime: string | null;
  receivedDateTime: string | null;
  internetMessageId: string;
  subject: string;
  body: { contentType: "text" | "html"; content: string };
  from: Recipient | null;
  sender: Recipient | null;
  toRecipients: Recipient[];
  ccRecipients: Recipient[];
  bccRecipients: Recipient[];
  replyTo: Recipient[];
  categories: string[];
  importance: "low" | "normal" | "high";
  internetMessageHeaders: { name: string; value: string }[];
  conversationId: string;
  extendedProperties: StoredExtendedProperty[];
  attachments: StoredAttachment[];
  /** Raw MIME when the item was created from MIME. */
  mime: Buffer | null;
}

export interface StoredFolder {
  id: string;
  displayName: string;
  parentFolderId: string;
  wellKnownName: string | null;
  isHidden: boolean;
}

export interface Mailbox {
  userId: string;
  rootFolderId: string;
  folders: Map<string, StoredFolder>;
  messages: Map<string, StoredMessage>;
}

export interface UploadSession {
  id: string;
  userId: string;
  messageId: string;
  name: string;
  contentType: string;
  size: number;
  isInline: boolean;
  contentId: string | null;
  received: Buffer[];
  nextOffset: number;
  expiresAt: number;
  token: string;
}

/** One request as the Graph pipeline sees it, whether it came over HTTP or from a $batch. */
export interface GraphCall {
  method: string;
  /** Path below the version segment, e.g. "/users/x/mailFolders" (still percent-encoded). */
  rawPath: string;
  query: URLSearchParams;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  body: Buffer;
  version: "v1.0" | "beta";
}

export interface GraphResult {
  status: number;
  headers?: Record<string, string>;
  /** JSON body (serialised by the transport). */
  json?: unknown;
  /** Abort the connection instead of answering (a "lost response" fault). */
  drop?: boolean;
  /** Set by the message-create handler so the fault layer can lose this response. */
  messageCreated?: boolean;
}
