// Test wiring: the real destination (real @azure/identity + Graph SDK) against the strict
// Graph emulator, and small prepared items built the way the import run builds them.

import type { DeliveryOutcome, DeliveryTask } from "@/lib/delivery/destination";
import { buildGraphMessage } from "@/lib/email/build-graph-message";
import { sampleChatItem } from "@/lib/email/__fixtures__/sample-chat-item";
import { createGraphDestination, type GraphDestination, type GraphDestinationSeam, type GraphImportMethod, type GraphLimits } from "@/lib/graph";
import { itemKeyOf, type ChatAttachment, type ChatItem } from "@/lib/ice-chat";
import { createItemPreparer, type PreparedItem } from "@/lib/imports/prepare-item";
import { afterAll, beforeAll, beforeEach } from "vitest";
import {
  DEFAULT_LIMITS,
  emulatorCredentialOptions,
  emulatorMiddlewareChain,
  startGraphEmulator,
  type EmulatorUserConfig,
  type GraphEmulator,
  type InspectedMessage,
} from "@/tests/support/graph-emulator";

export const FIRM = "ACME01";

/**
 * The test file's emulator: started once (handed to `onStarted`), stopped at the end, and
 * before each test reset to `users`, with no faults and Graph's default limits (plus an
 * optional service time per request).
 */
export function registerGraphEmulator(users: EmulatorUserConfig[], onStarted: (emulator: GraphEmulator) => void, options: { serviceTimeMs?: number } = {}): void {
  let emulator: GraphEmulator | undefined;
  beforeAll(async () => {
    emulator = await startGraphEmulator({ users });
    onStarted(emulator);
  });
  afterAll(async () => {
    await emulator?.stop();
  });
  beforeEach(() => {
    emulator!.setLimits({ ...DEFAULT_LIMITS, ...(options.serviceTimeMs === undefined ? {} : { serviceTimeMs: options.serviceTimeMs }) });
    emulator!.setFaults({});
    emulator!.reset(users);
  });
}

export function emulatorDestination(emulator: GraphEmulator, limits: Partial<GraphLimits> = {}, secret = emulator.clientSecret, importMethod?: GraphImportMethod): GraphDestination {
  return createGraphDestination(
    { tenantId: emulator.tenantId, clientId: emulator.clientId, clientSecret: secret, authorityHost: emulator.authorityHost, graphBaseUrl: emulator.baseUrl, limits, ...(importMethod ? { importMethod } : {}) },
    emulatorSeam(emulator),
  );
}

/** The real SDK wiring to the emulator (tests may wrap its transport). */
export function emulatorSeam(emulator: GraphEmulator): GraphDestinationSeam {
  return {
    credentialOptions: emulatorCredentialOptions(emulator),
    // The SDK's RetryHandler stays out: the destination retries on its own terms.
    middleware: (authProvider) => emulatorMiddlewareChain(authProvider, emulator.caPem, { retry: false }),
    random: () => 0.5,
  };
}

/** The destination with the beta importMime method (format "mime"). */
export function emulatorMimeDestination(emulator: GraphEmulator, limits: Partial<GraphLimits> = {}): GraphDestination {
  return emulatorDestination(emulator, limits, emulator.clientSecret, "importMime");
}

/** Fast retries for tests; Graph's own Retry-After headers are still honoured. */
export const QUICK_RETRIES: Partial<GraphLimits> = { backoffBaseMs: 20, backoffMaxMs: 200, requestTimeoutMs: 15_000, maxAttempts: 12 };

export function chatItem(index: number, overrides: Partial<ChatItem> = {}): ChatItem {
  return sampleChatItem({
    conversationId: "c-bench",
    messageId: `m-${String(index).padStart(6, "0")}`,
    timestamp: new Date(Date.UTC(2026, 10, 22, 9, 0, 0) + index * 1000 + 250),
    content: `message ${index}`,
    attachments: [],
    ...overrides,
  });
}

export function prepareItem(item: ChatItem): PreparedItem {
  const built = buildGraphMessage(item, { firmCode: FIRM });
  return {
    itemKey: itemKeyOf(item),
    destinationKey: built.itemKey,
    internetMessageId: built.message.internetMessageId,
    itemId: item.messageId,
    conversationId: item.conversationId,
    senderImId: item.sender.imId,
    timestamp: item.timestamp.toISOString(),
    mailboxes: [],
    unmapped: [],
    body: JSON.stringify(built.message),
    deferredAttachments: [...built.largeAttachments, ...built.overflowAttachments].map((a) => ({ name: a.name, contentType: a.contentType, size: a.size, data: new Uint8Array(a.data) })),
  };
}

const prepareMime = createItemPreparer({ format: "mime", firmCode: FIRM, autoMapping: true });

/** The item as the run prepares it for a format-"mime" destination (the importMime method): RFC 5322 bytes. */
export async function prepareMimeItem(item: ChatItem): Promise<PreparedItem> {
  const prepared = await prepareMime(item);
  if (!(prepared.body instanceof Uint8Array) || prepared.body.byteLength === 0) throw new Error(`no MIME was prepared for ${prepared.itemKey} (no mailbox?)`);
  return prepared;
}

export async function mimeTasksFor(count: number, options: { offset?: number; mayExist?: boolean } = {}): Promise<DeliveryTask[]> {
  return Promise.all(Array.from({ length: count }, async (_, i) => ({ item: await prepareMimeItem(chatItem((options.offset ?? 0) + i)), mayExist: options.mayExist ?? false })));
}

/** How many stored copies each Internet Message-ID has in the mailbox's ICE Chat folder (importMime sets no item-key property). */
export function copiesByMessageId(emulator: GraphEmulator, user: string): Map<string, number> {
  return copiesBy(emulator, user, (message) => message.internetMessageId);
}

export function tasksFor(count: number, options: { offset?: number; mayExist?: boolean } = {}): DeliveryTask[] {
  return Array.from({ length: count }, (_, i) => ({ item: prepareItem(chatItem((options.offset ?? 0) + i)), mayExist: options.mayExist ?? false }));
}

export function attachment(fileName: string, size: number): ChatAttachment {
  const data = Buffer.alloc(size);
  for (let i = 0; i < size; i += 1) data[i] = (i * 31 + fileName.length) & 0xff;
  return { fileName, contentType: "application/octet-stream", data };
}

export function itemKeyOfMessage(message: InspectedMessage): string | undefined {
  return message.extendedProperties.find((p) => p.id.toLowerCase().endsWith("name icechatitemkey"))?.value;
}

/** How many stored copies each item key has in the mailbox's ICE Chat folder. */
export function copiesByItemKey(emulator: GraphEmulator, user: string): Map<string, number> {
  return copiesBy(emulator, user, (message) => itemKeyOfMessage(message) ?? "(none)");
}

function copiesBy(emulator: GraphEmulator, user: string, keyOf: (message: InspectedMessage) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const message of emulator.messagesOf(user, "ICE Chat")) {
    const key = keyOf(message);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

export function statusCounts(outcomes: Map<string, DeliveryOutcome>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const outcome of outcomes.values()) counts[outcome.status] = (counts[outcome.status] ?? 0) + 1;
  return counts;
}
