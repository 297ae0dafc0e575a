import { z } from "zod";
import type { Db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";

// Search in one mailbox folder of the local archive, newest first, one page at a time.
// Keyset pagination on (sentAt, id): pages stay stable while new mail arrives and deep
// pages cost the same as the first (OFFSET would re-read every skipped row).
// Raw SQL because a case-insensitive match against any element of the toAddresses array
// is not expressible with Prisma's array filters; every value is a bound parameter.

export const ARCHIVE_DEFAULT_FOLDER = "ICE Chat";
export const ARCHIVE_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 200;
// Free-text inputs longer than this are not a search anyone types; refuse them rather than
// send a megabyte pattern to ILIKE.
const MAX_TERM_LENGTH = 500;

export interface SearchArchivedMessagesOptions {
  mailbox: string;
  /** Defaults to "ICE Chat". */
  folder?: string;
  /** Only messages delivered by this connector. */
  connectorId?: string;
  /** A full address: matches From or any To address, case-insensitively (exact address, not a substring). */
  participant?: string;
  /** Substring of the room name, case-insensitive. */
  room?: string;
  /** Substring of the plain-text body or the subject, case-insensitive. */
  text?: string;
  /** sentAt >= sentFrom (UTC). */
  sentFrom?: Date;
  /** sentAt < sentBefore (UTC). Exclusive, so "to 2026-01-05" is sentBefore 2026-01-06T00:00Z. */
  sentBefore?: Date;
  /** A cursor from a previous page's `older` or `newer`. */
  cursor?: string;
  pageSize?: number;
}

/** Index columns only: the raw bytes are never read by a search. */
export interface ArchivedMessageSummary {
  id: string;
  connectorId: string;
  mailbox: string;
  folder: string;
  subject: string;
  fromAddress: string;
  toAddresses: string[];
  roomName: string | null;
  conversationId: string | null;
  sentAt: Date;
  size: number;
}

export interface ArchivedMessagePage {
  /** Newest first. */
  messages: ArchivedMessageSummary[];
  /** Cursor for the next (older) page, or null when this page reaches the oldest match. */
  older: string | null;
  /** Cursor for the previous (newer) page, or null on the first page. */
  newer: string | null;
}

interface Cursor {
  direction: "older" | "newer";
  sentAt: Date;
  id: string;
}

const cursorSchema = z.object({ d: z.enum(["o", "n"]), t: z.iso.datetime(), i: z.uuid() });

export function encodeArchiveCursor(cursor: Cursor): string {
  const json = JSON.stringify({ d: cursor.direction === "older" ? "o" : "n", t: cursor.sentAt.toISOString(), i: cursor.id });
  return Buffer.from(json, "utf8").toString("base64url");
}

export function decodeArchiveCursor(token: string): Cursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    parsed = null;
  }
  const result = cursorSchema.safeParse(parsed);
  if (!result.success) throw new AppError("validation_failed", "The page link is invalid; start the search again.");
  return { direction: result.data.d === "o" ? "older" : "newer", sentAt: new Date(result.data.t), id: result.data.i };
}

/** Escapes LIKE wildcards so user input is matched literally (PostgreSQL's default escape is a backslash). */
export function escapeLikePattern(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function term(value: string | undefined, label: string): string | undefined {
  const trimmed = value?.trim();
  if (!trimmed) return undefined;
  if (trimmed.length > MAX_TERM_LENGTH) throw new AppError("validation_failed", `${label} is too long (at most ${MAX_TERM_LENGTH} characters).`);
  return trimmed;
}

function validDate(value: Date | undefined, label: string): Date | undefined {
  if (value === undefined) return undefined;
  if (Number.isNaN(value.getTime())) throw new AppError("validation_failed", `${label} is not a valid date.`);
  return value;
}

const DAY_MS = 24 * 60 * 60 * 1000;

function utcDayStart(value: string, label: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const date = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  if (!date || date.toISOString().slice(0, 10) !== value) throw new AppError("validation_failed", `${label} must be a date as YYYY-MM-DD.`);
  return date;
}

/**
 * A search form's day range ("YYYY-MM-DD", UTC, both days included) as sentFrom/sentBefore.
 * Empty strings mean no bound; anything else malformed is a validation error.
 */
export function utcDayRangeOf(from: string | undefined, to: string | undefined): { sentFrom?: Date; sentBefore?: Date } {
  const range: { sentFrom?: Date; sentBefore?: Date } = {};
  if (from?.trim()) range.sentFrom = utcDayStart(from.trim(), "From date");
  if (to?.trim()) range.sentBefore = new Date(utcDayStart(to.trim(), "To date").getTime() + DAY_MS);
  return range;
}

interface Row {
  id: string;
  connectorId: string;
  mailbox: string;
  folder: string;
  subject: string;
  fromAddress: string;
  toAddresses: string[] | null;
  roomName: string | null;
  conversationId: string | null;
  sentAt: Date;
  size: number;
}

export async function searchArchivedMessages(db: Db, options: SearchArchivedMessagesOptions): Promise<ArchivedMessagePage> {
  const pageSize = Math.min(Math.max(Math.trunc(options.pageSize ?? ARCHIVE_PAGE_SIZE), 1), MAX_PAGE_SIZE);
  const participant = term(options.participant, "Participant");
  const room = term(options.room, "Room");
  const text = term(options.text, "Text");
  const sentFrom = validDate(options.sentFrom, "From date");
  const sentBefore = validDate(options.sentBefore, "To date");
  const cursor = options.cursor ? decodeArchiveCursor(options.cursor) : undefined;
  if (options.connectorId !== undefined && !z.uuid().safeParse(options.connectorId).success) {
    throw new AppError("validation_failed", "Connector id is not valid.");
  }

  const conditions: Prisma.Sql[] = [
    Prisma.sql`"mailbox" = ${options.mailbox}`,
    Prisma.sql`"folder" = ${options.folder ?? ARCHIVE_DEFAULT_FOLDER}`,
  ];
  if (options.connectorId) conditions.push(Prisma.sql`"connectorId" = ${options.connectorId}::uuid`);
  if (participant) {
    conditions.push(
      Prisma.sql`(lower("fromAddress") = lower(${participant}) OR EXISTS (SELECT 1 FROM unnest("toAddresses") AS a(address) WHERE lower(a.address) = lower(${participant})))`,
    );
  }
  if (room) conditions.push(Prisma.sql`"roomName" ILIKE ${`%${escapeLikePattern(room)}%`}`);
  if (text) {
    const pattern = `%${escapeLikePattern(text)}%`;
    conditions.push(Prisma.sql`("bodyText" ILIKE ${pattern} OR "subject" ILIKE ${pattern})`);
  }
  if (sentFrom) conditions.push(Prisma.sql`"sentAt" >= ${sentFrom}`);
  if (sentBefore) conditions.push(Prisma.sql`"sentAt" < ${sentBefore}`);
  // Row comparison keeps the keyset exact when several messages share a timestamp.
  if (cursor?.direction === "older") conditions.push(Prisma.sql`("sentAt", "id") < (${cursor.sentAt}, ${cursor.id}::uuid)`);
  if (cursor?.direction === "newer") conditions.push(Prisma.sql`("sentAt", "id") > (${cursor.sentAt}, ${cursor.id}::uuid)`);

  // Going to newer messages reads upwards from the cursor, then flips back to newest first.
  const order = cursor?.direction === "newer" ? Prisma.sql`ORDER BY "sentAt" ASC, "id" ASC` : Prisma.sql`ORDER BY "sentAt" DESC, "id" DESC`;
  const rows = await db.$queryRaw<Row[]>`
    SELECT "id", "connectorId", "mailbox", "folder", "subject", "fromAddress", "toAddresses", "roomName",
           "conversationId", "sentAt", "size"
    FROM "ArchivedMessage"
    WHERE ${Prisma.join(conditions, " AND ")}
    ${order}
    LIMIT ${pageSize + 1}`;

  const hasMore = rows.length > pageSize;
  const page = rows.slice(0, pageSize);
  if (cursor?.direction === "newer") page.reverse();
  const messages = page.map((r) => ({ ...r, toAddresses: r.toAddresses ?? [] }));

  const first = messages[0];
  const last = messages[messages.length - 1];
  // Older exists when we read down and found more, or when we came up from an older page.
  const olderExists = cursor?.direction === "newer" ? true : hasMore;
  const newerExists = cursor === undefined ? false : cursor.direction === "older" ? true : hasMore;
  return {
    messages,
    older: olderExists && last ? encodeArchiveCursor({ direction: "older", sentAt: last.sentAt, id: last.id }) : null,
    newer: newerExists && first ? encodeArchiveCursor({ direction: "newer", sentAt: first.sentAt, id: first.id }) : null,
  };
}
