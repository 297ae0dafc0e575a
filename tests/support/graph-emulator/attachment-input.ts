// fileAttachment bodies (POST .../attachments and inline "attachments" on create).

import { badRequest, GraphHttpError } from "./graph-error";
import { newAttachmentId } from "./ids";
import { unknownProperty } from "./request-body";
import type { EmulatorLimits, StoredAttachment, StoredMessage } from "./types";

const FILE_ATTACHMENT_KEYS = new Set(["@odata.type", "name", "contentType", "contentBytes", "isInline", "contentId", "contentLocation", "size", "lastModifiedDateTime", "id"]);

function isBase64(text: string): boolean {
  return text.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(text);
}

export function readFileAttachment(raw: unknown, limits: EmulatorLimits): StoredAttachment {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw badRequest("RequestBodyRead", "An attachment must be a JSON object.");
  const record = raw as Record<string, unknown>;
  const type = record["@odata.type"];
  if (typeof type !== "string") throw badRequest("ErrorInvalidRequest", "The '@odata.type' of the attachment is required (e.g. '#microsoft.graph.fileAttachment').");
  if (type.replace(/^#/, "").toLowerCase() !== "microsoft.graph.fileattachment") {
    throw badRequest("ErrorInvalidRequest", `Attachment type '${type}' is not supported by the emulator (only #microsoft.graph.fileAttachment).`);
  }
  for (const key of Object.keys(record)) if (!FILE_ATTACHMENT_KEYS.has(key)) throw unknownProperty(key, "Microsoft.OutlookServices.FileAttachment");
  if (typeof record.name !== "string" || record.name.length === 0) throw badRequest("ErrorInvalidRequest", "The attachment name is required.");
  if (typeof record.contentBytes !== "string" || !isBase64(record.contentBytes)) {
    throw badRequest("ErrorInvalidRequest", "The attachment contentBytes must be a base64 string.");
  }
  if (record.contentType !== undefined && record.contentType !== null && typeof record.contentType !== "string") throw badRequest("RequestBodyRead", "contentType must be a string.");
  if (record.isInline !== undefined && typeof record.isInline !== "boolean") throw badRequest("RequestBodyRead", "isInline must be a boolean.");
  if (record.contentId !== undefined && record.contentId !== null && typeof record.contentId !== "string") throw badRequest("RequestBodyRead", "contentId must be a string.");
  const content = Buffer.from(record.contentBytes, "base64");
  if (content.length > limits.maxInlineAttachmentBytes) {
    throw new GraphHttpError(413, "RequestEntityTooLarge", `The attachment is ${content.length} bytes; attachments over ${limits.maxInlineAttachmentBytes} bytes must be added with an upload session (createUploadSession).`);
  }
  return {
    id: newAttachmentId(),
    name: record.name,
    contentType: typeof record.contentType === "string" ? record.contentType : "application/octet-stream",
    size: content.length,
    isInline: record.isInline === true,
    contentId: typeof record.contentId === "string" ? record.contentId : null,
    lastModifiedDateTime: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
    content,
  };
}

export function messageSize(message: Pick<StoredMessage, "body" | "attachments" | "mime">): number {
  const body = Buffer.byteLength(message.body.content, "utf8");
  // Attachments that came inside the MIME are already part of its length.
  return (message.mime?.length ?? body) + message.attachments.reduce((sum, a) => sum + (a.inMime ? 0 : a.size), 0);
}

export function assertMessageSize(size: number, limits: EmulatorLimits): void {
  if (size > limits.maxMessageBytes) {
    throw new GraphHttpError(413, "ErrorMessageSizeExceeded", `The message exceeds the maximum supported size of ${limits.maxMessageBytes} bytes.`);
  }
}

export function serializeAttachment(a: StoredAttachment, withContent: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {
    "@odata.type": "#microsoft.graph.fileAttachment", id: a.id, lastModifiedDateTime: a.lastModifiedDateTime, name: a.name,
    contentType: a.contentType, size: a.size, isInline: a.isInline, contentId: a.contentId, contentLocation: null,
  };
  if (withContent) out.contentBytes = a.content.toString("base64");
  return out;
}
