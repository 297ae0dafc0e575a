// ChatItem -> RFC 5322 message bytes, composed by nodemailer's MailComposer (never by hand).
// The output is a pure function of the item and the options: same item, same bytes. That
// makes re-runs and retries detectable (same Message-ID) and the archive deduplicable.
import { createHash } from "node:crypto";
import MailComposer from "nodemailer/lib/mail-composer";
import type Mail from "nodemailer/lib/mailer";
import type { ChatItem } from "@/lib/ice-chat/types";
import { safeContentTypeOf, safeFileNameOf } from "@/lib/email/attachment-metadata";
import { toHeaderText } from "@/lib/email/header-text";
import { itemAddressesOf, type AddressOf } from "@/lib/email/item-addresses";
import { assertConvertibleItem } from "@/lib/email/assert-convertible-item";
import { conversationThreadIdOf, internetMessageIdOf } from "@/lib/email/message-identity";
import { renderItemContent } from "@/lib/email/render-item-content";

export { internetMessageIdOf } from "@/lib/email/message-identity";

export interface BuildMimeMessageOptions {
  /** The connector's firm code; falls back to the feed's. Part of every Message-ID. */
  firmCode?: string;
  /** The address that stands for a participant in From/To (e.g. the mailbox it maps to). */
  addressOf?: AddressOf;
}

// Header values are ids and lists of ids; long lists are folded by MailComposer, this only
// bounds what a hostile feed can make us write.
const MAX_ID_HEADER_LENGTH = 512;
const MAX_RECIPIENT_IDS_HEADER_LENGTH = 8192;

// MailComposer would write "X-Ice-Conversationid"; header names are case-insensitive, but
// the documented spelling is what admins search for in message headers.
const ICE_HEADER_NAMES = [
  "X-ICE-ConversationID",
  "X-ICE-RoomID",
  "X-ICE-MessageID",
  "X-ICE-Timestamp",
  "X-ICE-Sender-ImId",
  "X-ICE-Recipient-ImIds",
] as const;
const ICE_HEADER_BY_LOWER = new Map<string, string>(ICE_HEADER_NAMES.map((name) => [name.toLowerCase(), name]));

function normalizeHeaderKey(key: string): string {
  return ICE_HEADER_BY_LOWER.get(key.toLowerCase()) ?? key;
}

/** The RFC 5322 message (CRLF line endings) for one chat item. */
export async function buildMimeMessage(item: ChatItem, options: BuildMimeMessageOptions = {}): Promise<Buffer> {
  assertConvertibleItem(item);
  const firmCode = options.firmCode ?? item.context.firmCode;
  const { subject, text, html } = renderItemContent(item);
  const addresses = itemAddressesOf(item, { firmCode, addressOf: options.addressOf });
  const threadId = conversationThreadIdOf(firmCode, item.conversationId);

  const attachments: Mail.Attachment[] = item.attachments.map((attachment, index) => ({
    filename: safeFileNameOf(attachment, index),
    content: attachment.data,
    contentType: safeContentTypeOf(attachment.contentType),
    contentDisposition: "attachment",
    // base64 always: its alphabet cannot contain a MIME boundary line.
    contentTransferEncoding: "base64",
  }));

  const headers: { key: string; value: string }[] = [
    { key: "X-ICE-ConversationID", value: toHeaderText(item.conversationId, MAX_ID_HEADER_LENGTH) },
    { key: "X-ICE-MessageID", value: toHeaderText(item.messageId, MAX_ID_HEADER_LENGTH) },
    { key: "X-ICE-Timestamp", value: item.timestamp.toISOString() },
    { key: "X-ICE-Sender-ImId", value: toHeaderText(item.sender.imId, MAX_ID_HEADER_LENGTH) },
  ];
  const roomId = toHeaderText(item.context.roomId ?? "", MAX_ID_HEADER_LENGTH);
  if (roomId !== "") headers.push({ key: "X-ICE-RoomID", value: roomId });
  const recipientImIds = toHeaderText(
    item.recipients.map((r) => r.imId.trim()).filter((id) => id !== "").join(", "),
    MAX_RECIPIENT_IDS_HEADER_LENGTH,
  );
  if (recipientImIds !== "") headers.push({ key: "X-ICE-Recipient-ImIds", value: recipientImIds });
  // Empty values would be dropped by MailComposer; keep the header set stable instead.
  for (const h of headers) if (h.value === "") h.value = "(none)";

  const mail: Mail.Options & { baseBoundary: string } = {
    from: addresses.from,
    ...(addresses.to.length > 0 ? { to: addresses.to } : {}),
    date: item.timestamp,
    subject,
    messageId: internetMessageIdOf(firmCode, item.conversationId, item.messageId),
    inReplyTo: threadId,
    references: [threadId],
    headers,
    text,
    html,
    attachments,
    // Only in-memory content is ever attached; never let a value be read as a path or URL.
    disableFileAccess: true,
    disableUrlAccess: true,
    normalizeHeaderKey,
    // Deterministic, yet derived from the content: a chat message cannot contain the hash
    // of itself, so it cannot forge a boundary line and inject MIME parts.
    baseBoundary: boundaryOf(text, html),
  };

  return new MailComposer(mail).compile().build();
}

// Only the text and HTML parts carry feed text in the body; attachments are base64.
function boundaryOf(text: string, html: string): string {
  return createHash("sha256").update(text).update("\u0000").update(html).digest("hex").slice(0, 32);
}
