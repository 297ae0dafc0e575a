// Base64 MIME request bodies (Content-Type text/plain), read with mailparser:
//  - POST .../messages: Exchange always makes such an item a draft;
//  - POST /beta/.../mailFolders/{id}/importMime: a non-draft, as if delivered.
// Headers we understand fill the Graph properties; every header line is kept as
// internetMessageHeaders, and the MIME attachments become the item's attachments.

import { simpleParser, type AddressObject, type HeaderLines } from "mailparser";
import { badRequest } from "./graph-error";
import { newAttachmentId } from "./ids";
import type { Recipient, StoredAttachment } from "./types";

export interface MimeFields {
  mime: Buffer;
  subject: string;
  body: { contentType: "text" | "html"; content: string };
  from: Recipient | null;
  toRecipients: Recipient[];
  ccRecipients: Recipient[];
  bccRecipients: Recipient[];
  internetMessageId: string | null;
  /** The Date header (UTC, seconds), or null when absent. */
  sentDateTime: string | null;
  internetMessageHeaders: { name: string; value: string }[];
  attachments: StoredAttachment[];
}

function recipients(value: AddressObject | AddressObject[] | undefined): Recipient[] {
  const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return list.flatMap((a) => a.value).map((a) => ({ emailAddress: { address: a.address ?? "", name: a.name || a.address || "" } }));
}

/** "Name: value" header lines, unfolded (RFC 5322 §2.2.3), in message order. */
function headersOf(lines: HeaderLines): { name: string; value: string }[] {
  return lines.flatMap(({ line }) => {
    const colon = line.indexOf(":");
    if (colon <= 0) return [];
    return [{ name: line.slice(0, colon).trim(), value: line.slice(colon + 1).replace(/\r?\n[ \t]+/g, " ").trim() }];
  });
}

/** Decodes and parses a base64 MIME body; 400s as Exchange gives them for bad input. */
export async function readMimeBody(body: Buffer): Promise<MimeFields> {
  const text = body.toString("ascii").replace(/\s+/g, "");
  if (text.length === 0 || text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) {
    throw badRequest("ErrorMimeContentInvalidBase64String", "Invalid base64 string for MIME content.");
  }
  const mime = Buffer.from(text, "base64");
  const headerEnd = mime.indexOf("\r\n\r\n") >= 0 ? mime.indexOf("\r\n\r\n") : mime.indexOf("\n\n");
  if (headerEnd <= 0 || !/^[!-9;-~]+:/m.test(mime.subarray(0, headerEnd).toString("latin1"))) {
    throw badRequest("ErrorMimeContentConversionFailed", "The MIME content could not be converted: no header section found.");
  }
  const parsed = await simpleParser(mime, { skipTextToHtml: true });
  const html = typeof parsed.html === "string" ? parsed.html : null;
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
  return {
    mime,
    subject: parsed.subject ?? "",
    body: html !== null ? { contentType: "html", content: html } : { contentType: "text", content: parsed.text ?? "" },
    from: recipients(parsed.from)[0] ?? null,
    toRecipients: recipients(parsed.to),
    ccRecipients: recipients(parsed.cc),
    bccRecipients: recipients(parsed.bcc),
    internetMessageId: parsed.messageId ?? null,
    sentDateTime: parsed.date && !Number.isNaN(parsed.date.getTime()) ? parsed.date.toISOString().replace(/\.\d{3}Z$/, "Z") : null,
    internetMessageHeaders: headersOf(parsed.headerLines),
    attachments: parsed.attachments.map((a, index) => ({
      id: newAttachmentId(),
      name: a.filename ?? `attachment-${index + 1}`,
      contentType: a.contentType,
      size: a.content.length,
      isInline: a.contentDisposition === "inline" || a.related === true,
      contentId: a.contentId ? a.contentId.replace(/^<|>$/g, "") : null,
      lastModifiedDateTime: now,
      content: a.content,
      inMime: true,
    })),
  };
}
