// Names and types for attachments, from untrusted feed values. The bytes are kept as they
// are (compliance); only the labels are made safe for MIME headers and Graph.
import type { ChatAttachment } from "@/lib/ice-chat/types";
import { toHeaderText } from "@/lib/email/header-text";

export const FALLBACK_CONTENT_TYPE = "application/octet-stream";

// type/subtype made of RFC 6838 restricted-name characters, nothing else (no parameters).
const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;

/**
 * A media type safe to put in Content-Type. multipart/* and message/* are downgraded:
 * bytes under those labels would be parsed by mail clients as MIME structure.
 */
export function safeContentTypeOf(contentType: string | undefined): string {
  const value = (contentType ?? "").trim().toLowerCase();
  if (!MEDIA_TYPE.test(value)) return FALLBACK_CONTENT_TYPE;
  if (value.startsWith("multipart/") || value.startsWith("message/")) return FALLBACK_CONTENT_TYPE;
  return value;
}

/** A file name without control characters or path separators; `attachment-N` when nothing is left. */
export function safeFileNameOf(attachment: Pick<ChatAttachment, "fileName">, index: number): string {
  const name = toHeaderText(attachment.fileName ?? "", 200).replace(/[/\\]+/g, "_");
  return name === "" || name === "." || name === ".." ? `attachment-${index + 1}` : name;
}
