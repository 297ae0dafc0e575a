// Subject and bodies of a converted chat message, shared by the MIME builder and the
// Graph builder so both destinations show the same thing. Everything from the feed is
// untrusted: the HTML is built from constant markup plus escaped text only (no script,
// no links, no remote content), and it is plain string building because it runs once per
// item at tens of thousands of items per second.
import type { ChatItem, ChatUser } from "@/lib/ice-chat/types";
import { describeUser, displayNameOf, enrichUser } from "@/lib/email/chat-user-names";
import { toHeaderText } from "@/lib/email/header-text";

export const SUBJECT_PREFIX = "ICE Chat: ";
const MAX_SUBJECT_LENGTH = 200;
// A persistent room may list hundreds of people; every copy of every message repeats
// the list, so it is capped (the count of the rest is shown).
const MAX_LISTED_PARTICIPANTS = 100;

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
  "\u0000": "\uFFFD",
};
const HTML_SPECIAL = /[&<>"'\u0000]/g;
const HAS_HTML_SPECIAL = /[&<>"'\u0000]/;

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: string): string {
  return HAS_HTML_SPECIAL.test(value) ? value.replace(HTML_SPECIAL, (ch) => HTML_ESCAPES[ch] ?? "") : value;
}

/** "2026-11-22 13:03:40.125 UTC" (milliseconds only when not zero). */
export function formatUtc(date: Date): string {
  const iso = date.toISOString();
  const trimmed = iso.endsWith(".000Z") ? iso.slice(0, -5) : iso.slice(0, -1);
  return `${trimmed.replace("T", " ")} UTC`;
}

/** "ICE Chat: NatGas Brokers", or the participants' names for a room without a name. */
export function renderItemSubject(item: Pick<ChatItem, "sender" | "recipients" | "context" | "conversationId">): string {
  const roomName = toHeaderText(item.context.roomName ?? "", MAX_SUBJECT_LENGTH);
  if (roomName !== "") return SUBJECT_PREFIX + roomName;

  const names: string[] = [];
  const seen = new Set<string>();
  for (const user of [item.sender, ...item.recipients]) {
    const name = toHeaderText(displayNameOf(enrichUser(user, item.context)), 80);
    if (name === "" || seen.has(name)) continue;
    seen.add(name);
    names.push(name);
  }
  let label = names.join(", ");
  if (label === "") label = toHeaderText(item.context.roomId ?? "", 80) || toHeaderText(item.conversationId, 80);
  return toHeaderText(SUBJECT_PREFIX + label, MAX_SUBJECT_LENGTH);
}

interface ContextLine {
  label: string;
  value: string;
}

/** The labelled facts shown above the message, in display order. */
function contextLinesOf(item: ChatItem): ContextLine[] {
  const ctx = item.context;
  const lines: ContextLine[] = [];

  const roomDetails = [ctx.roomId, ctx.roomType].filter((v): v is string => !!v && v.trim() !== "").join(", ");
  const roomName = (ctx.roomName ?? "").trim();
  if (roomName !== "" || roomDetails !== "") {
    lines.push({ label: "Room", value: roomName !== "" ? (roomDetails !== "" ? `${roomName} (${roomDetails})` : roomName) : roomDetails });
  }
  lines.push({ label: "Conversation", value: item.conversationId });
  lines.push({ label: "Message", value: item.messageId });
  lines.push({ label: "Time", value: formatUtc(item.timestamp) });
  lines.push({ label: "From", value: describeUser(enrichUser(item.sender, ctx)) });
  if (item.recipients.length > 0) {
    lines.push({ label: "To", value: listUsers(item.recipients, item) });
  }
  if (ctx.participants.length > 0) {
    lines.push({ label: "Participants present", value: participantsLineOf(ctx) });
  }
  if (item.attachments.length > 0) {
    lines.push({
      label: "Attachments",
      value: item.attachments.map((a) => `${a.fileName || "(unnamed)"} (${a.data.length} bytes)`).join("; "),
    });
  }
  return lines;
}

// The parser shares one frozen participants snapshot between all messages sent while
// the room's membership did not change, so its rendering is computed once per snapshot.
const participantsLines = new WeakMap<readonly ChatUser[], string>();

function participantsLineOf(ctx: ChatItem["context"]): string {
  let line = participantsLines.get(ctx.participants);
  if (line === undefined) {
    line = listUsers(ctx.participants, { context: ctx });
    participantsLines.set(ctx.participants, line);
  }
  return line;
}

function listUsers(users: readonly ChatUser[], item: Pick<ChatItem, "context">): string {
  const shown = users.slice(0, MAX_LISTED_PARTICIPANTS).map((u) => describeUser(enrichUser(u, item.context)));
  const rest = users.length - shown.length;
  return rest > 0 ? `${shown.join("; ")}; and ${rest} more` : shown.join("; ");
}

function uniqueDisclaimers(item: ChatItem): string[] {
  const out: string[] = [];
  for (const d of item.context.disclaimers) {
    const text = d.trim();
    if (text !== "" && !out.includes(text)) out.push(text);
  }
  return out;
}

export function renderItemText(item: ChatItem): string {
  return textFrom(item, contextLinesOf(item), uniqueDisclaimers(item));
}

function textFrom(item: ChatItem, lines: readonly ContextLine[], disclaimers: readonly string[]): string {
  let text = "";
  for (const line of lines) text += `${line.label}: ${line.value}\n`;
  text += `\n${item.content}\n`;
  if (disclaimers.length > 0) text += `\n-- \nDisclaimer:\n${disclaimers.join("\n")}\n`;
  return text;
}

// Constant markup, written once. Attributes use single quotes: the HTML travels inside
// JSON to Graph, where every double quote would cost an escape (content escapes ' too). Inline styles only: mail clients drop <style> blocks.
const HTML_HEAD =
  "<!DOCTYPE html><html><head><meta charset='utf-8'><title>ICE Chat</title></head>" +
  "<body style='font-family:Segoe UI,Arial,sans-serif;font-size:14px;color:#1b1b1b'>";
// One style on the table rather than one per cell: every byte here is repeated in every
// copy of every message (hundreds of thousands a day), and serialised into every request.
const TABLE_OPEN = "<table role='presentation' cellpadding='1' style='font-size:12px;color:#444;margin:0 0 12px 0'>";
const LABEL_OPEN = "<tr><th align='left' valign='top'>";
const VALUE_OPEN = "</th><td>";
const ROW_CLOSE = "</td></tr>";
const CONTENT_OPEN = "<div style='white-space:pre-wrap;word-wrap:break-word;margin:0 0 12px 0'>";
const DISCLAIMER_OPEN = "<div style='border-top:1px solid #ccc;padding-top:6px;font-size:11px;color:#767676;white-space:pre-wrap'>";
const HTML_TAIL = "</body></html>";

export function renderItemHtml(item: ChatItem): string {
  return htmlFrom(item, contextLinesOf(item), uniqueDisclaimers(item));
}

function htmlFrom(item: ChatItem, lines: readonly ContextLine[], disclaimers: readonly string[]): string {
  let html = HTML_HEAD + TABLE_OPEN;
  for (const line of lines) {
    html += LABEL_OPEN + escapeHtml(line.label) + VALUE_OPEN + escapeHtml(line.value) + ROW_CLOSE;
  }
  html += "</table>" + CONTENT_OPEN + escapeHtml(item.content) + "</div>";
  if (disclaimers.length > 0) {
    html += DISCLAIMER_OPEN + "Disclaimer:\n" + escapeHtml(disclaimers.join("\n")) + "</div>";
  }
  return html + HTML_TAIL;
}

export interface RenderedItem {
  subject: string;
  text: string;
  html: string;
}

export function renderItemContent(item: ChatItem): RenderedItem {
  const lines = contextLinesOf(item);
  const disclaimers = uniqueDisclaimers(item);
  return { subject: renderItemSubject(item), text: textFrom(item, lines, disclaimers), html: htmlFrom(item, lines, disclaimers) };
}
