import { simpleParser, type AddressObject, type HeaderValue } from "mailparser";
import { z } from "zod";
import type { Db } from "@/lib/db";
import { AppError } from "@/lib/errors";

// One archived message, read back from its stored RFC 5322 bytes for a reviewer. The bytes
// came from a chat feed we do not trust: everything here prepares them for display or
// download without ever letting them run (see sandboxedHtmlDocumentOf and
// downloadContentTypeOf).

export interface ArchivedAttachmentInfo {
  /** Position among the parsed attachments; the download route takes it. */
  index: number;
  fileName: string;
  contentType: string;
  size: number;
}

export interface ParsedArchivedMessage {
  subject: string;
  from: string;
  to: string[];
  cc: string[];
  date: Date | null;
  messageId: string | null;
  /** X-ICE-* headers in message order, documented spelling for known ones. */
  iceHeaders: { name: string; value: string }[];
  text: string | null;
  html: string | null;
  attachments: ArchivedAttachmentInfo[];
  /** Set when the bytes could not be parsed; `text` then holds them as UTF-8 so nothing is hidden. */
  parseError: string | null;
}

export interface ArchivedMessageView extends ParsedArchivedMessage {
  id: string;
  connectorId: string;
  mailbox: string;
  folder: string;
  roomName: string | null;
  conversationId: string | null;
  sentAt: Date;
  size: number;
  internetMessageId: string;
  /** The HTML body wrapped for `<iframe sandbox="" srcdoc>`, or null when there is none. */
  htmlDocument: string | null;
}

export interface ArchivedFile {
  fileName: string;
  contentType: string;
  content: Buffer;
}

/**
 * The policy inside the HTML body's frame: no script, no remote fetch of any kind, only
 * inline styles and data: images. The frame is also sandboxed without allow-scripts or
 * allow-same-origin; the two are independent locks.
 */
export const ARCHIVE_HTML_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'";

// Types a browser will not render as active content when the response is also
// Content-Disposition: attachment with nosniff. Anything else (HTML, SVG, XML, scripts,
// unknown) goes out as application/octet-stream.
const SAFE_DOWNLOAD_TYPES = new Set([
  "text/plain",
  "text/csv",
  "image/png",
  "image/jpeg",
  "image/gif",
  "image/webp",
  "application/pdf",
  "application/zip",
]);

const PARSE_OPTIONS = { skipTextToHtml: true, skipTextLinks: true } as const;

// Header names are case-insensitive and writers differ in casing (MailComposer writes
// "X-Ice-Conversationid"); reviewers know them by their documented spelling.
const ICE_HEADER_NAMES = ["X-ICE-ConversationID", "X-ICE-RoomID", "X-ICE-MessageID", "X-ICE-Timestamp", "X-ICE-Sender-ImId", "X-ICE-Recipient-ImIds"];
const ICE_HEADER_BY_LOWER = new Map(ICE_HEADER_NAMES.map((name) => [name.toLowerCase(), name]));
const idSchema = z.uuid();

function addressTexts(value: AddressObject | AddressObject[] | undefined): string[] {
  if (!value) return [];
  const objects = Array.isArray(value) ? value : [value];
  return objects.flatMap((o) => o.value.map((a) => (a.name && a.address ? `${a.name} <${a.address}>` : a.address || a.name))).filter((s) => s !== "");
}

function headerValueText(value: HeaderValue | undefined): string {
  if (value === undefined) return "";
  if (typeof value === "string") return value;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => (typeof v === "string" ? v : JSON.stringify(v))).join(", ");
  if (typeof value === "object" && "text" in value && typeof value.text === "string") return value.text;
  return JSON.stringify(value);
}

function parsedAttachmentName(fileName: string | undefined, index: number): string {
  const name = fileName?.trim();
  return name ? name : `attachment-${index + 1}`;
}

/** Parses stored bytes for display. Never throws for malformed input: it reports `parseError` instead. */
export async function parseArchivedMessage(raw: Buffer): Promise<ParsedArchivedMessage> {
  try {
    const parsed = await simpleParser(raw, PARSE_OPTIONS);
    const iceHeaders = parsed.headerLines
      .filter((h) => h.key.startsWith("x-ice-"))
      .map((h) => {
        const colon = h.line.indexOf(":");
        const name = ICE_HEADER_BY_LOWER.get(h.key) ?? (colon > 0 ? h.line.slice(0, colon).trim() : h.key);
        return { name, value: headerValueText(parsed.headers.get(h.key)) };
      });
    return {
      subject: parsed.subject ?? "",
      from: addressTexts(parsed.from).join(", "),
      to: addressTexts(parsed.to),
      cc: addressTexts(parsed.cc),
      date: parsed.date ?? null,
      messageId: parsed.messageId ?? null,
      iceHeaders,
      text: parsed.text ?? null,
      html: typeof parsed.html === "string" && parsed.html !== "" ? parsed.html : null,
      attachments: parsed.attachments.map((a, index) => ({
        index,
        fileName: parsedAttachmentName(a.filename, index),
        contentType: a.contentType,
        size: a.size,
      })),
      parseError: null,
    };
  } catch (err) {
    return {
      subject: "",
      from: "",
      to: [],
      cc: [],
      date: null,
      messageId: null,
      iceHeaders: [],
      text: raw.toString("utf8"),
      html: null,
      attachments: [],
      parseError: err instanceof Error ? err.message : "The message could not be parsed.",
    };
  }
}

/**
 * The HTML body as a complete document for an `<iframe sandbox="" srcdoc>`. The policy
 * meta comes first, so the parser puts it in <head> before anything the body brings (a
 * body's own <head> is then ignored, and a second CSP can only narrow ours).
 */
export function sandboxedHtmlDocumentOf(html: string): string {
  // Defence in depth: the sandbox already stops automatic refresh, and CSP cannot stop a
  // navigation of the frame itself.
  const body = html.replace(/<meta\b[^>]*http-equiv\s*=\s*["']?\s*refresh[^>]*>/gi, "");
  return (
    "<!DOCTYPE html>" +
    `<meta http-equiv="Content-Security-Policy" content="${ARCHIVE_HTML_CSP}">` +
    '<meta http-equiv="x-dns-prefetch-control" content="off">' +
    '<meta name="referrer" content="no-referrer">' +
    body
  );
}

/** The Content-Type to send for a downloaded attachment: its own only when it is on the safe list, without parameters. */
export function downloadContentTypeOf(contentType: string | undefined): string {
  const bare = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  return SAFE_DOWNLOAD_TYPES.has(bare) ? bare : "application/octet-stream";
}

/** `attachment; filename="ascii"; filename*=UTF-8''...`: no quote, CR/LF or path can break out of the header. */
export function attachmentContentDispositionOf(fileName: string, fallback = "download"): string {
  const cleaned = fileName
    .replace(/[\u0000-\u001f\u007f-\u009f/\\]/g, "_")
    .trim()
    .slice(0, 200);
  const ascii = cleaned.replace(/[^A-Za-z0-9._ -]/g, "_").replace(/^[.\s]+/, "") || fallback;
  const utf8 = encodeURIComponent(cleaned || fallback).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${utf8}`;
}

/** "2026-01-05-trade-idea-for-eur.eml": a lower-case slug of the UTC date and subject. */
export function emlFileNameOf(subject: string, sentAt: Date): string {
  const slug = subject
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/, "");
  const day = Number.isNaN(sentAt.getTime()) ? "undated" : sentAt.toISOString().slice(0, 10);
  return `${day}-${slug || "message"}.eml`;
}

const NOT_FOUND = "No archived message with that id.";

async function findRow(db: Db, id: string) {
  if (!idSchema.safeParse(id).success) throw new AppError("not_found", NOT_FOUND);
  const row = await db.archivedMessage.findUnique({ where: { id } });
  if (!row) throw new AppError("not_found", NOT_FOUND);
  return row;
}

/** The message for the reviewer's view. Throws AppError("not_found") for an unknown or malformed id. */
export async function getArchivedMessage(db: Db, options: { id: string }): Promise<ArchivedMessageView> {
  const row = await findRow(db, options.id);
  const parsed = await parseArchivedMessage(Buffer.from(row.raw));
  return {
    ...parsed,
    id: row.id,
    connectorId: row.connectorId,
    mailbox: row.mailbox,
    folder: row.folder,
    roomName: row.roomName,
    conversationId: row.conversationId,
    sentAt: row.sentAt,
    size: row.size,
    internetMessageId: row.internetMessageId,
    htmlDocument: parsed.html === null ? null : sandboxedHtmlDocumentOf(parsed.html),
  };
}

/** The stored bytes exactly as archived, as message/rfc822. */
export async function getArchivedMessageEml(db: Db, options: { id: string }): Promise<ArchivedFile & { mailbox: string; internetMessageId: string }> {
  const row = await findRow(db, options.id);
  return {
    fileName: emlFileNameOf(row.subject, row.sentAt),
    contentType: "message/rfc822",
    content: Buffer.from(row.raw),
    mailbox: row.mailbox,
    internetMessageId: row.internetMessageId,
  };
}

/** One attachment by its index among the parsed attachments, with a download-safe content type. */
export async function getArchivedAttachment(
  db: Db,
  options: { id: string; index: number },
): Promise<ArchivedFile & { mailbox: string; originalContentType: string }> {
  const row = await findRow(db, options.id);
  let attachments;
  try {
    attachments = (await simpleParser(Buffer.from(row.raw), PARSE_OPTIONS)).attachments;
  } catch {
    throw new AppError("not_found", "The message could not be parsed, so it has no attachments to download.");
  }
  const attachment = Number.isSafeInteger(options.index) && options.index >= 0 ? attachments[options.index] : undefined;
  if (!attachment) throw new AppError("not_found", "The message has no attachment with that number.");
  return {
    fileName: parsedAttachmentName(attachment.filename, options.index),
    contentType: downloadContentTypeOf(attachment.contentType),
    originalContentType: attachment.contentType,
    content: attachment.content,
    mailbox: row.mailbox,
  };
}
