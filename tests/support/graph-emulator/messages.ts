// Message create / get / list / update / delete with Exchange's draft semantics:
//  - created without PidTagMessageFlags (Integer 0x0E07): a draft (isDraft true, isRead true);
//  - created with 0x0E07 whose MSGFLAG_UNSENT (0x8) bit is clear: not a draft, isRead = flags & 0x1;
//  - the flags are fixed at creation: a later PATCH of 0x0E07 is accepted and ignored;
//  - PidTagClientSubmitTime (0x0039) sets sentDateTime, PidTagMessageDeliveryTime (0x0E06) receivedDateTime;
//  - MIME creates (POST .../messages, text/plain) are always drafts;
//  - beta importMime creates a non-draft, read message dated by the MIME Date header.

import { randomBytes } from "node:crypto";
import type { EmulatorState } from "./emulator-state";
import { assertMessageSize, messageSize, readFileAttachment } from "./attachment-input";
import { MSGFLAG_READ, MSGFLAG_UNSENT, PID_TAG_CLIENT_SUBMIT_TIME, PID_TAG_MESSAGE_DELIVERY_TIME, PID_TAG_MESSAGE_FLAGS } from "./extended-properties";
import { GraphHttpError, badRequest } from "./graph-error";
import { newChangeKey, newMessageId } from "./ids";
import { DRAFT_ONLY, readMessageInput, type MessageInput } from "./message-input";
import { readMimeBody, type MimeFields } from "./message-mime";
import { messagePredicate, validateMessageOptions, viewMessage } from "./message-view";
import { nextLink, readQueryOptions } from "./query-options";
import { contentTypeOf, readJsonObject } from "./request-body";
import type { GraphCall, GraphResult, Mailbox, StoredFolder, StoredMessage } from "./types";

const MESSAGE_ID = /^AAMkAD[A-Za-z0-9_-]+=*$/;

function nowIso(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function findMessage(mailbox: Mailbox, messageId: string, folder?: StoredFolder): StoredMessage {
  const message = mailbox.messages.get(messageId);
  if (!message || (folder && message.folderId !== folder.id)) {
    if (!MESSAGE_ID.test(messageId)) throw badRequest("ErrorInvalidIdMalformed", "Id is malformed.");
    throw new GraphHttpError(404, "ErrorItemNotFound", "The specified object was not found in the store.");
  }
  return message;
}

function entityContext(state: EmulatorState, call: GraphCall, mailbox: Mailbox): string {
  return `${state.baseUrl}/${call.version}/$metadata#users('${mailbox.userId}')/messages/$entity`;
}

function applySpecialProperties(message: StoredMessage, input: MessageInput, creating: boolean): void {
  for (const { parsed, stored } of input.extended) {
    if (parsed.tag === PID_TAG_MESSAGE_FLAGS) {
      if (parsed.type !== "Integer") throw badRequest("ErrorInvalidExtendedProperty", "PidTagMessageFlags (0x0E07) is an Integer property.");
      if (!creating) continue; // Exchange: the flags can only be set when the item is created.
      const flags = Number(stored.value);
      message.messageFlags = flags;
      message.isDraft = (flags & MSGFLAG_UNSENT) !== 0;
      message.isRead = (flags & MSGFLAG_READ) !== 0;
      continue;
    }
    if (parsed.tag === PID_TAG_CLIENT_SUBMIT_TIME || parsed.tag === PID_TAG_MESSAGE_DELIVERY_TIME) {
      if (parsed.type !== "SystemTime") throw badRequest("ErrorInvalidExtendedProperty", `Property tag ${parsed.canonical} must be of type SystemTime.`);
      if (parsed.tag === PID_TAG_CLIENT_SUBMIT_TIME) message.sentDateTime = stored.value;
      else message.receivedDateTime = stored.value;
      continue;
    }
    const existing = message.extendedProperties.findIndex((p) => p.key === stored.key);
    if (existing >= 0) message.extendedProperties[existing] = stored;
    else message.extendedProperties.push(stored);
  }
}

function applyPlainFields(message: StoredMessage, input: MessageInput): void {
  if (input.subject !== undefined) message.subject = input.subject;
  if (input.body !== undefined) message.body = input.body;
  if (input.from !== undefined) message.from = input.from;
  if (input.sender !== undefined) message.sender = input.sender;
  if (input.toRecipients) message.toRecipients = input.toRecipients;
  if (input.ccRecipients) message.ccRecipients = input.ccRecipients;
  if (input.bccRecipients) message.bccRecipients = input.bccRecipients;
  if (input.replyTo) message.replyTo = input.replyTo;
  if (input.categories) message.categories = input.categories;
  if (input.importance) message.importance = input.importance;
  if (input.internetMessageHeaders) message.internetMessageHeaders = input.internetMessageHeaders;
  if (input.internetMessageId) message.internetMessageId = input.internetMessageId;
}

function blankMessage(folder: StoredFolder): StoredMessage {
  const now = nowIso();
  return {
    id: newMessageId(), folderId: folder.id, createdDateTime: now, lastModifiedDateTime: now, changeKey: newChangeKey(),
    isDraft: true, isRead: true, messageFlags: null, sentDateTime: now, receivedDateTime: now,
    internetMessageId: `<${randomBytes(12).toString("hex").toUpperCase()}@EMULATOR.prod.outlook.com>`,
    subject: "", body: { contentType: "text", content: "" }, from: null, sender: null, toRecipients: [], ccRecipients: [],
    bccRecipients: [], replyTo: [], categories: [], importance: "normal", internetMessageHeaders: [],
    conversationId: `AAQkAD${randomBytes(24).toString("base64url")}=`, extendedProperties: [], attachments: [], mime: null,
  };
}

function applyMime(message: StoredMessage, mime: MimeFields): void {
  message.mime = mime.mime;
  message.subject = mime.subject;
  message.body = mime.body;
  message.from = mime.from;
  message.sender = mime.from;
  message.toRecipients = mime.toRecipients;
  message.ccRecipients = mime.ccRecipients;
  message.bccRecipients = mime.bccRecipients;
  message.internetMessageHeaders = mime.internetMessageHeaders;
  message.attachments = mime.attachments;
  if (mime.internetMessageId) message.internetMessageId = mime.internetMessageId;
  if (mime.sentDateTime) message.sentDateTime = mime.sentDateTime;
}

function created(state: EmulatorState, call: GraphCall, mailbox: Mailbox, message: StoredMessage): GraphResult {
  assertMessageSize(messageSize(message), state.limits);
  mailbox.messages.set(message.id, message);
  return { status: 201, json: { "@odata.context": entityContext(state, call, mailbox), ...viewMessage(message, { select: null, expandExtended: null, expandAttachments: false }) }, messageCreated: true };
}

export async function createMessage(state: EmulatorState, mailbox: Mailbox, folder: StoredFolder, call: GraphCall): Promise<GraphResult> {
  const message = blankMessage(folder);
  if (contentTypeOf(call) === "text/plain") {
    applyMime(message, await readMimeBody(call.body));
  } else {
    const input = readMessageInput(readJsonObject(call));
    applyPlainFields(message, input);
    applySpecialProperties(message, input, true);
    if (input.isRead !== undefined) message.isRead = input.isRead;
    message.attachments = input.attachments.map((a) => readFileAttachment(a, state.limits));
  }
  return created(state, call, mailbox, message);
}

/**
 * POST /beta/users/{id}/mailFolders/{id}/importMime (beta only; the router refuses v1.0):
 * the body is the whole message, base64-encoded, with Content-Type text/plain and no JSON
 * envelope. The item is created final: not a draft, read, never sent, dated by the MIME's
 * Date header (sent and received alike), keeping every header and attachment.
 */
export async function importMimeMessage(state: EmulatorState, mailbox: Mailbox, folder: StoredFolder, call: GraphCall): Promise<GraphResult> {
  if (contentTypeOf(call) !== "text/plain") {
    throw badRequest("BadRequest", `importMime takes the base64-encoded MIME message with Content-Type text/plain, not '${call.headers["content-type"] ?? ""}'.`);
  }
  const mime = await readMimeBody(call.body);
  const message = blankMessage(folder);
  applyMime(message, mime);
  message.isDraft = false;
  message.isRead = true;
  message.messageFlags = MSGFLAG_READ;
  message.receivedDateTime = message.sentDateTime;
  return created(state, call, mailbox, message);
}

export function getMessage(state: EmulatorState, mailbox: Mailbox, messageId: string, folder: StoredFolder | undefined, call: GraphCall): GraphResult {
  const options = readQueryOptions(call.query);
  validateMessageOptions(options);
  const message = findMessage(mailbox, messageId, folder);
  return { status: 200, json: { "@odata.context": entityContext(state, call, mailbox), ...viewMessage(message, options) } };
}

export function listMessages(state: EmulatorState, mailbox: Mailbox, folder: StoredFolder | undefined, call: GraphCall): GraphResult {
  const options = readQueryOptions(call.query);
  validateMessageOptions(options);
  const predicate = options.filter ? messagePredicate(options.filter) : () => true;
  let all = [...mailbox.messages.values()].filter((m) => (!folder || m.folderId === folder.id) && predicate(m));
  const order = options.orderBy ?? { property: "receivedDateTime", descending: true };
  const key = order.property.toLowerCase();
  const sortable: Record<string, (m: StoredMessage) => string> = {
    receiveddatetime: (m) => m.receivedDateTime ?? "", sentdatetime: (m) => m.sentDateTime ?? "", createddatetime: (m) => m.createdDateTime,
    lastmodifieddatetime: (m) => m.lastModifiedDateTime, subject: (m) => m.subject.toLowerCase(),
  };
  const getter = sortable[key];
  if (!getter) throw badRequest("BadRequest", `The $orderby property '${order.property}' is not supported by the emulator.`);
  all = all.sort((a, b) => (getter(a) < getter(b) ? -1 : getter(a) > getter(b) ? 1 : 0) * (order.descending ? -1 : 1));
  const top = Math.min(options.top ?? state.limits.defaultPageSize, state.limits.maxPageSize);
  const page = all.slice(options.skip, options.skip + top);
  const body: Record<string, unknown> = { "@odata.context": `${state.baseUrl}/${call.version}/$metadata#users('${mailbox.userId}')/messages` };
  if (options.count) body["@odata.count"] = all.length;
  body.value = page.map((m) => viewMessage(m, options));
  if (options.skip + top < all.length) body["@odata.nextLink"] = nextLink(state.baseUrl, call.version, call.rawPath, call.query, options.skip + top);
  return { status: 200, json: body };
}

export function updateMessage(state: EmulatorState, mailbox: Mailbox, messageId: string, folder: StoredFolder | undefined, call: GraphCall): GraphResult {
  const message = findMessage(mailbox, messageId, folder);
  const input = readMessageInput(readJsonObject(call));
  if (!message.isDraft) {
    for (const key of input.present) {
      if (DRAFT_ONLY.has(key)) {
        throw badRequest("ErrorInvalidPropertyUpdateSentMessage", `Update operation failed: property '${key}' can only be updated on draft messages.`);
      }
    }
  }
  if (input.attachments.length > 0) throw badRequest("ErrorInvalidRequest", "Add attachments with POST .../attachments, not PATCH.");
  applyPlainFields(message, input);
  applySpecialProperties(message, input, false);
  if (input.isRead !== undefined) message.isRead = input.isRead;
  message.lastModifiedDateTime = nowIso();
  message.changeKey = newChangeKey();
  return { status: 200, json: { "@odata.context": entityContext(state, call, mailbox), ...viewMessage(message, { select: null, expandExtended: null, expandAttachments: false }) } };
}

export function deleteMessage(mailbox: Mailbox, messageId: string, folder: StoredFolder | undefined): GraphResult {
  const message = findMessage(mailbox, messageId, folder);
  mailbox.messages.delete(message.id);
  return { status: 204 };
}
