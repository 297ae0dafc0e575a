// All mutable emulator state in one object: the directory, the mailboxes, issued tokens,
// upload sessions, limits, faults and statistics. Handlers receive it explicitly.

import { DEFAULT_LIMITS, WELL_KNOWN_FOLDERS } from "./defaults";
import { newFolderId, newGuid } from "./ids";
import type { EmulatorFaults, EmulatorLimits, EmulatorStats, EmulatorUserConfig, Mailbox, StoredUser, UploadSession } from "./types";

export interface EmulatorApp {
  tenantId: string;
  clientId: string;
  clientSecret: string;
}

export interface EmulatorState {
  app: EmulatorApp;
  baseUrl: string;
  /** Base of pre-authenticated upload URLs (a different host name, like outlook.office.com). */
  uploadBaseUrl: string;
  users: StoredUser[];
  mailboxes: Map<string, Mailbox>;
  uploadSessions: Map<string, UploadSession>;
  limits: EmulatorLimits;
  faults: EmulatorFaults;
  stats: EmulatorStats;
  /** Per-mailbox requests in flight right now. */
  inFlight: Map<string, number>;
  /** Per-mailbox admission timestamps inside the budget window. */
  budgetLog: Map<string, number[]>;
  /** Message creates seen since the last fault reset (for lostCreateOrdinals). */
  messageCreates: number;
  /** Secret used to sign access tokens. */
  signingKey: Buffer;
}

export function emptyStats(): EmulatorStats {
  return {
    requests: 0,
    requestsPerMailbox: {},
    maxConcurrencyPerMailbox: {},
    throttled429: 0,
    throttled429PerMailbox: {},
    faultsInjected: { throttle: 0, serviceUnavailable: 0, gatewayTimeout: 0, lostResponses: 0 },
    tokensIssued: 0,
    tokenFailures: 0,
    batches: 0,
  };
}

export function toStoredUser(config: EmulatorUserConfig): StoredUser {
  const mail = config.mail ?? config.userPrincipalName;
  return {
    id: (config.id ?? newGuid()).toLowerCase(),
    userPrincipalName: config.userPrincipalName,
    displayName: config.displayName ?? config.userPrincipalName.split("@")[0] ?? config.userPrincipalName,
    mail,
    // Setting mail adds it to proxyAddresses as the primary SMTP address (Graph user resource).
    proxyAddresses: [...(config.proxyAddresses ?? [`SMTP:${mail}`])],
    mailboxEnabled: config.mailboxEnabled ?? true,
  };
}

export function createMailbox(userId: string): Mailbox {
  const rootFolderId = newFolderId();
  const mailbox: Mailbox = { userId, rootFolderId, folders: new Map(), messages: new Map() };
  mailbox.folders.set(rootFolderId, { id: rootFolderId, displayName: "Top of Information Store", parentFolderId: newFolderId(), wellKnownName: "msgfolderroot", isHidden: false });
  for (const folder of WELL_KNOWN_FOLDERS) {
    const id = newFolderId();
    mailbox.folders.set(id, { id, displayName: folder.displayName, parentFolderId: rootFolderId, wellKnownName: folder.wellKnownName, isHidden: false });
  }
  return mailbox;
}

export function setUsers(state: EmulatorState, users: EmulatorUserConfig[]): void {
  state.users = users.map(toStoredUser);
  const keep = new Set(state.users.filter((u) => u.mailboxEnabled).map((u) => u.id));
  for (const id of [...state.mailboxes.keys()]) if (!keep.has(id)) state.mailboxes.delete(id);
  for (const user of state.users) {
    if (user.mailboxEnabled && !state.mailboxes.has(user.id)) state.mailboxes.set(user.id, createMailbox(user.id));
  }
}

export function createEmulatorState(options: { app: EmulatorApp; users: EmulatorUserConfig[]; limits?: Partial<EmulatorLimits>; faults?: EmulatorFaults; signingKey: Buffer }): EmulatorState {
  const state: EmulatorState = {
    app: options.app,
    baseUrl: "",
    uploadBaseUrl: "",
    users: [],
    mailboxes: new Map(),
    uploadSessions: new Map(),
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    faults: { ...options.faults },
    stats: emptyStats(),
    inFlight: new Map(),
    budgetLog: new Map(),
    messageCreates: 0,
    signingKey: options.signingKey,
  };
  setUsers(state, options.users);
  return state;
}

/** Graph addresses a user by object id or userPrincipalName, both case-insensitively; never by mail or alias. */
export function findUser(state: EmulatorState, idOrUpn: string): StoredUser | undefined {
  const needle = idOrUpn.toLowerCase();
  return state.users.find((u) => u.id === needle || u.userPrincipalName.toLowerCase() === needle);
}
