// Message attachments: small files by POST (under 3 MB), large ones by upload session
// (3 MB .. 150 MB), whose PUTs go to a pre-authenticated URL that must NOT carry a bearer token.

import { randomBytes } from "node:crypto";
import type { EmulatorState } from "./emulator-state";
import { assertMessageSize, messageSize, readFileAttachment, serializeAttachment } from "./attachment-input";
import { GraphHttpError, badRequest } from "./graph-error";
import { newAttachmentId, newGuid } from "./ids";
import { findMessage } from "./messages";
import { readJsonObject, unknownProperty } from "./request-body";
import type { GraphCall, GraphResult, Mailbox, StoredFolder, UploadSession } from "./types";

export function addAttachment(state: EmulatorState, mailbox: Mailbox, messageId: string, folder: StoredFolder | undefined, call: GraphCall): GraphResult {
  const message = findMessage(mailbox, messageId, folder);
  const attachment = readFileAttachment(readJsonObject(call), state.limits);
  assertMessageSize(messageSize(message) + attachment.size, state.limits);
  message.attachments.push(attachment);
  return {
    status: 201,
    json: { "@odata.context": `${state.baseUrl}/${call.version}/$metadata#users('${mailbox.userId}')/messages('${message.id}')/attachments/$entity`, ...serializeAttachment(attachment, true) },
  };
}

export function listAttachments(state: EmulatorState, mailbox: Mailbox, messageId: string, folder: StoredFolder | undefined, call: GraphCall): GraphResult {
  const message = findMessage(mailbox, messageId, folder);
  return {
    status: 200,
    json: { "@odata.context": `${state.baseUrl}/${call.version}/$metadata#users('${mailbox.userId}')/messages('${message.id}')/attachments`, value: message.attachments.map((a) => serializeAttachment(a, true)) },
  };
}

export function createUploadSession(state: EmulatorState, mailbox: Mailbox, messageId: string, folder: StoredFolder | undefined, call: GraphCall): GraphResult {
  const message = findMessage(mailbox, messageId, folder);
  const input = readJsonObject(call);
  for (const key of Object.keys(input)) if (key !== "AttachmentItem") throw badRequest("BadRequest", `The parameter '${key}' in the request payload is not a valid parameter for the operation 'createUploadSession'.`);
  const item = input.AttachmentItem;
  if (typeof item !== "object" || item === null || Array.isArray(item)) throw badRequest("BadRequest", "The parameter 'AttachmentItem' is required.");
  const record = item as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!["attachmentType", "name", "size", "contentType", "isInline", "contentId", "@odata.type"].includes(key)) throw unknownProperty(key, "Microsoft.OutlookServices.AttachmentItem");
  }
  if (typeof record.attachmentType !== "string" || record.attachmentType.toLowerCase() !== "file") {
    throw badRequest("ErrorInvalidRequest", "AttachmentItem.attachmentType must be 'file'.");
  }
  if (typeof record.name !== "string" || record.name.length === 0) throw badRequest("ErrorInvalidRequest", "AttachmentItem.name is required.");
  if (typeof record.size !== "number" || !Number.isInteger(record.size) || record.size < 0) throw badRequest("ErrorInvalidRequest", "AttachmentItem.size must be a non-negative integer.");
  if (record.size < state.limits.minUploadSessionBytes) {
    throw badRequest("ErrorAttachmentSizeShouldNotBeLessThanMinimumSize", "Attachment size must be greater than the minimum size.");
  }
  if (record.size > state.limits.maxUploadSessionBytes) {
    throw new GraphHttpError(413, "ErrorAttachmentSizeShouldNotBeMoreThanMaximumSize", "Attachment size must be less than the maximum size.");
  }
  assertMessageSize(messageSize(message) + record.size, state.limits);
  const session: UploadSession = {
    id: `AAMkAD${randomBytes(32).toString("base64url")}=`,
    userId: mailbox.userId,
    messageId: message.id,
    name: record.name,
    contentType: typeof record.contentType === "string" ? record.contentType : "application/octet-stream",
    size: record.size,
    isInline: record.isInline === true,
    contentId: typeof record.contentId === "string" ? record.contentId : null,
    received: [],
    nextOffset: 0,
    expiresAt: Date.now() + state.limits.uploadSessionLifetimeMs,
    token: randomBytes(32).toString("base64url"),
  };
  state.uploadSessions.set(session.id, session);
  const uploadUrl = `${state.uploadBaseUrl}/api/v2.0/Users('${mailbox.userId}@${state.app.tenantId}')/Messages('${encodeURIComponent(message.id)}')/AttachmentSessions('${encodeURIComponent(session.id)}')?authtoken=${session.token}`;
  return {
    status: 201,
    json: {
      "@odata.context": `${state.baseUrl}/${call.version}/$metadata#microsoft.graph.uploadSession`,
      uploadUrl,
      expirationDateTime: new Date(session.expiresAt).toISOString(),
      nextExpectedRanges: ["0-"],
    },
  };
}

const UPLOAD_PATH = /^\/api\/v2\.0\/Users\('([^']+)'\)\/Messages\('([^']+)'\)\/AttachmentSessions\('([^']+)'\)$/;

/** Which mailbox an upload PUT targets (for throttling), or undefined when the URL is not an upload URL. */
export function uploadSessionFor(state: EmulatorState, pathname: string): UploadSession | undefined {
  const match = UPLOAD_PATH.exec(pathname);
  if (!match?.[3]) return undefined;
  return state.uploadSessions.get(decodeURIComponent(match[3]));
}

function outlookError(status: number, code: string, message: string): GraphResult {
  return { status, json: { error: { code, message } }, headers: { "request-id": newGuid() } };
}

/** PUT <uploadUrl>: one in-order byte range of at most 4 MB; the last one attaches the file (201 + Location). */
export function uploadChunk(state: EmulatorState, pathname: string, query: URLSearchParams, headers: Record<string, string>, body: Buffer): GraphResult {
  if (headers.authorization) {
    // The URL is pre-authenticated for outlook.office.com; a Graph token there has the wrong audience.
    return outlookError(401, "InvalidAudience", "The audience claim value is invalid 'aud'.");
  }
  const session = uploadSessionFor(state, pathname);
  if (!session || query.get("authtoken") !== session.token) return outlookError(401, "InvalidAuthenticationToken", "The upload URL token is invalid.");
  if (session.expiresAt <= Date.now()) {
    state.uploadSessions.delete(session.id);
    return outlookError(404, "ErrorItemNotFound", "The upload session has expired.");
  }
  const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(headers["content-range"] ?? "");
  if (!range) return outlookError(400, "ErrorInvalidContentRange", "The Content-Range header is missing or malformed; expected 'bytes {start}-{end}/{total}'.");
  const start = Number(range[1]);
  const end = Number(range[2]);
  const total = Number(range[3]);
  if (total !== session.size) return outlookError(400, "ErrorInvalidContentRange", `The total size ${total} does not match the upload session size ${session.size}.`);
  if (start !== session.nextOffset) return outlookError(416, "ErrorInvalidContentRange", `Bytes must be uploaded in order; the next expected byte is ${session.nextOffset}.`);
  if (end < start || end >= total) return outlookError(400, "ErrorInvalidContentRange", "The Content-Range end is out of range.");
  const length = end - start + 1;
  if (length > state.limits.maxUploadChunkBytes) return outlookError(413, "RequestEntityTooLarge", `Each upload range may carry at most ${state.limits.maxUploadChunkBytes} bytes.`);
  const declared = headers["content-length"];
  if (declared === undefined || Number(declared) !== length || body.length !== length) {
    return outlookError(400, "ErrorInvalidContentRange", `Content-Length (${declared ?? "missing"}) and the body (${body.length} bytes) must match the Content-Range (${length} bytes).`);
  }
  session.received.push(body);
  session.nextOffset = end + 1;
  session.expiresAt = Math.max(session.expiresAt, Date.now());
  if (session.nextOffset < session.size) {
    return { status: 200, json: { "@odata.context": `${state.uploadBaseUrl}/api/v2.0/$metadata#Users/Messages/AttachmentSessions/$entity`, expirationDateTime: new Date(session.expiresAt).toISOString(), nextExpectedRanges: [String(session.nextOffset)] } };
  }
  state.uploadSessions.delete(session.id);
  const mailbox = state.mailboxes.get(session.userId);
  const message = mailbox?.messages.get(session.messageId);
  if (!mailbox || !message) return outlookError(404, "ErrorItemNotFound", "The message of this upload session no longer exists.");
  const content = Buffer.concat(session.received);
  try {
    assertMessageSize(messageSize(message) + content.length, state.limits);
  } catch (error) {
    if (error instanceof GraphHttpError) return error.toResult();
    throw error;
  }
  const attachmentId = newAttachmentId();
  message.attachments.push({
    id: attachmentId, name: session.name, contentType: session.contentType, size: content.length, isInline: session.isInline,
    contentId: session.contentId, lastModifiedDateTime: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"), content,
  });
  return {
    status: 201,
    headers: { location: `${state.uploadBaseUrl}/api/v2.0/Users('${session.userId}')/Messages('${encodeURIComponent(message.id)}')/Attachments('${encodeURIComponent(attachmentId)}')` },
  };
}
