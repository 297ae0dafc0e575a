// Turns the fields collected for one <Message> into a ChatItem, or into the reason it
// cannot be one. Sender and recipient details (names, e-mail) come from the message and
// are completed from the conversation's participants, matched by ImId.

import type { ChatAttachment, ChatItem, ChatUser } from "./types";
import { imIdKey, withoutUndefined, type ConversationState } from "./conversation-state";
import { describeInvalidTimestamp, tryParseTimestamp } from "./timestamps";

/** Fields of one Message as read from the XML, before validation. */
export class MessageDraft {
  messageId: string | undefined;
  dateTime: string | undefined;
  senderImId: string | undefined;
  senderEmail: string | undefined;
  senderName: string | undefined;
  /** A <User> block inside the message: its sender. */
  senderBlock: ChatUser | undefined;
  readonly recipientImIds: string[] = [];
  readonly recipientEmails: string[] = [];
  content = "";
  readonly attachments: ChatAttachment[] = [];
  attachmentBytes = 0;
  /** First reason this message cannot become an item (e.g. invalid attachment data). */
  failure: string | undefined;

  fail(reason: string): void {
    this.failure ??= reason;
  }
}

export type BuildResult =
  | { ok: true; item: ChatItem; inferredRecipients: boolean }
  | { ok: false; reason: string };

export interface BuildItemOptions {
  inferRecipientsFromParticipants: boolean;
  warn: (message: string) => void;
}

const SEPARATORS = /[;,]/;

/** "a@x; b@y,c@z" -> ["a@x", "b@y", "c@z"]; one address stays one element without a regex split. */
export function splitAddresses(value: string, into: string[]): void {
  if (!SEPARATORS.test(value)) {
    const trimmed = value.trim();
    if (trimmed) into.push(trimmed);
    return;
  }
  for (const part of value.split(SEPARATORS)) {
    const trimmed = part.trim();
    if (trimmed) into.push(trimmed);
  }
}

function describeMessage(draft: MessageDraft, conv: ConversationState | null): string {
  return `message ${JSON.stringify(draft.messageId ?? "?")} of conversation ${JSON.stringify(conv?.conversationId ?? "?")}`;
}

export function buildChatItem(
  draft: MessageDraft,
  conv: ConversationState | null,
  options: BuildItemOptions,
): BuildResult {
  if (!conv) return { ok: false, reason: "Message outside a Conversation" };
  const conversationId = conv.conversationId;
  if (!conversationId) return { ok: false, reason: "conversation has no ConversationID before this message" };
  const messageId = draft.messageId;
  if (!messageId) return { ok: false, reason: "message has no MessageID" };
  if (draft.failure) return { ok: false, reason: draft.failure };
  if (draft.dateTime === undefined) return { ok: false, reason: "message has no DateTime" };
  const timestamp = tryParseTimestamp(draft.dateTime);
  if (!timestamp) return { ok: false, reason: describeInvalidTimestamp(draft.dateTime) };

  const sender = resolveSender(draft, conv);
  if (!sender) return { ok: false, reason: "message has no SenderImId (and its sender could not be identified)" };

  let inferredRecipients = false;
  let recipients: ChatUser[];
  if (draft.recipientImIds.length === 0 && draft.recipientEmails.length === 0) {
    recipients = [];
    if (options.inferRecipientsFromParticipants) {
      const senderKey = imIdKey(sender.imId);
      for (const user of conv.presentUsers()) {
        if (imIdKey(user.imId) !== senderKey) recipients.push({ ...user });
      }
      inferredRecipients = recipients.length > 0;
    }
  } else {
    recipients = resolveRecipients(draft, conv, (m) => options.warn(`${describeMessage(draft, conv)}: ${m}`));
  }

  return {
    ok: true,
    inferredRecipients,
    item: {
      conversationId,
      messageId,
      timestamp,
      sender,
      recipients,
      content: draft.content,
      attachments: draft.attachments,
      context: conv.context(),
    },
  };
}

function resolveSender(draft: MessageDraft, conv: ConversationState): ChatUser | undefined {
  const block = draft.senderBlock;
  let imId = draft.senderImId ?? block?.imId;
  const email = draft.senderEmail ?? block?.email;
  let known = imId !== undefined ? conv.findUser(imId) : undefined;
  if (imId === undefined && email !== undefined) {
    known = conv.findUserByEmail(email);
    imId = known?.imId;
  }
  if (imId === undefined) return undefined;
  const sender: ChatUser = { ...known, ...(block ? withoutUndefined(block) : undefined), imId };
  if (email !== undefined) sender.email = email;
  if (draft.senderName !== undefined) sender.displayName = draft.senderName;
  return sender;
}

/**
 * Pairs RecipientImId and RecipientEmail lists. Same length: positional. Otherwise each ImId
 * takes its e-mail from the participant list, and each e-mail not accounted for becomes its
 * own recipient (ImId from the participants, or the address itself as a last resort, so the
 * mapping can still fall back to the e-mail: a recipient is never dropped).
 */
function resolveRecipients(
  draft: MessageDraft,
  conv: ConversationState,
  warn: (message: string) => void,
): ChatUser[] {
  const { recipientImIds: imIds, recipientEmails: emails } = draft;
  const recipients: ChatUser[] = [];
  const seen = new Set<string>();
  const add = (user: ChatUser): void => {
    const key = imIdKey(user.imId);
    if (seen.has(key)) return;
    seen.add(key);
    recipients.push(user);
  };

  if (imIds.length === emails.length) {
    for (let i = 0; i < imIds.length; i++) {
      const imId = imIds[i]!;
      add({ ...conv.findUser(imId), imId, email: emails[i]! });
    }
    return recipients;
  }

  if (imIds.length > 0 && emails.length > 0) {
    warn(`${imIds.length} RecipientImId value(s) but ${emails.length} RecipientEmail value(s); paired by participant list`);
  }
  const usedEmails = new Set<string>();
  for (const imId of imIds) {
    const user: ChatUser = { ...conv.findUser(imId), imId };
    if (user.email !== undefined) usedEmails.add(user.email.toLowerCase());
    add(user);
  }
  for (const email of emails) {
    if (usedEmails.has(email.toLowerCase())) continue;
    const known = conv.findUserByEmail(email);
    if (known) {
      add({ ...known, email });
    } else {
      warn(`recipient e-mail ${JSON.stringify(email)} has no known ImId; using the address as its ImId`);
      add({ imId: email, email });
    }
  }
  return recipients;
}
