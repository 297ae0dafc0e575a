// Read-only views of the emulator's store for assertions, and the runtime controls
// (reset, users, limits, faults). Shared by the in-process API and /_emulator/* routes.

import { createHash } from "node:crypto";
import { createMailbox, emptyStats, setUsers, type EmulatorState } from "./emulator-state";
import { createFaultInjector } from "./faults";
import type { EmulatorRuntime } from "./graph-router";
import { currentMessageFlags } from "./message-view";
import type { EmulatorFaults, EmulatorLimits, EmulatorStats, EmulatorUserConfig, Recipient, StoredMessage } from "./types";

export interface InspectedAttachment {
  id: string;
  name: string;
  contentType: string;
  size: number;
  isInline: boolean;
  sha256: string;
}

export interface InspectedMessage {
  id: string;
  folderId: string;
  isDraft: boolean;
  isRead: boolean;
  /** PidTagMessageFlags as Exchange would report it now. */
  messageFlags: number;
  createdDateTime: string;
  sentDateTime: string | null;
  receivedDateTime: string | null;
  internetMessageId: string;
  subject: string;
  body: { contentType: string; content: string };
  from: Recipient | null;
  toRecipients: Recipient[];
  ccRecipients: Recipient[];
  bccRecipients: Recipient[];
  categories: string[];
  internetMessageHeaders: { name: string; value: string }[];
  extendedProperties: { id: string; value: string }[];
  attachments: InspectedAttachment[];
  createdFromMime: boolean;
  mimeBytes: number;
}

export interface InspectedFolder {
  id: string;
  displayName: string;
  wellKnownName: string | null;
  parentFolderId: string;
  messages: InspectedMessage[];
}

export interface InspectedMailbox {
  userId: string;
  userPrincipalName: string;
  folders: InspectedFolder[];
}

export function inspectMessage(m: StoredMessage): InspectedMessage {
  return {
    id: m.id, folderId: m.folderId, isDraft: m.isDraft, isRead: m.isRead, messageFlags: currentMessageFlags(m), createdDateTime: m.createdDateTime,
    sentDateTime: m.sentDateTime, receivedDateTime: m.receivedDateTime, internetMessageId: m.internetMessageId, subject: m.subject,
    body: { ...m.body }, from: m.from, toRecipients: m.toRecipients, ccRecipients: m.ccRecipients, bccRecipients: m.bccRecipients,
    categories: [...m.categories], internetMessageHeaders: [...m.internetMessageHeaders],
    extendedProperties: m.extendedProperties.map((p) => ({ id: p.id, value: p.value })),
    attachments: m.attachments.map((a) => ({ id: a.id, name: a.name, contentType: a.contentType, size: a.size, isInline: a.isInline, sha256: createHash("sha256").update(a.content).digest("hex") })),
    createdFromMime: m.mime !== null, mimeBytes: m.mime?.length ?? 0,
  };
}

export function inspectMailboxes(state: EmulatorState): InspectedMailbox[] {
  return state.users.flatMap((user) => {
    const mailbox = state.mailboxes.get(user.id);
    if (!mailbox) return [];
    const folders = [...mailbox.folders.values()].map((f) => ({
      id: f.id, displayName: f.displayName, wellKnownName: f.wellKnownName, parentFolderId: f.parentFolderId,
      messages: [...mailbox.messages.values()].filter((m) => m.folderId === f.id).map(inspectMessage),
    }));
    return [{ userId: user.id, userPrincipalName: user.userPrincipalName, folders }];
  });
}

export function snapshotStats(state: EmulatorState): EmulatorStats {
  return JSON.parse(JSON.stringify(state.stats)) as EmulatorStats;
}

/** Empties every mailbox, statistics, sessions and counters; keeps users, limits and faults unless given. */
export function resetEmulator(runtime: EmulatorRuntime, users?: EmulatorUserConfig[]): void {
  const { state } = runtime;
  if (users) setUsers(state, users);
  for (const user of state.users) if (user.mailboxEnabled) state.mailboxes.set(user.id, createMailbox(user.id));
  state.uploadSessions.clear();
  state.inFlight.clear();
  state.budgetLog.clear();
  state.stats = emptyStats();
  state.messageCreates = 0;
  runtime.injector = createFaultInjector(state.faults);
}

export function configureLimits(state: EmulatorState, limits: Partial<EmulatorLimits>): void {
  for (const [key, value] of Object.entries(limits)) {
    if (!(key in state.limits)) throw new Error(`Unknown limit '${key}'.`);
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) throw new Error(`Limit '${key}' must be a non-negative number.`);
  }
  state.limits = { ...state.limits, ...limits };
  state.budgetLog.clear();
}

/** Replaces the fault configuration and restarts the PRNG and the create counter. */
export function configureFaults(runtime: EmulatorRuntime, faults: EmulatorFaults): void {
  runtime.state.faults = { ...faults };
  runtime.state.messageCreates = 0;
  runtime.injector = createFaultInjector(faults);
}
