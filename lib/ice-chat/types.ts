// The parser's output, shared by mapping, e-mail conversion and delivery.
// One ChatItem is one chat message: the unit the daily limit, counters and mapping count.

export interface ChatUser {
  /** ICE instant-messaging id, e-mail shaped (e.g. jsmith@ice.acme). */
  imId: string;
  email?: string;
  loginName?: string;
  firstName?: string;
  lastName?: string;
  companyName?: string;
  /** Display name given by the message itself (e.g. SenderName), when the feed has one. */
  displayName?: string;
}

export interface ChatAttachment {
  fileName: string;
  contentType: string;
  /** Declared size from the feed, if any. */
  declaredSize?: number;
  /** Decoded bytes. */
  data: Buffer;
}

export interface ConversationContext {
  conversationId: string;
  roomId?: string;
  roomName?: string;
  roomType?: string;
  startTime?: Date;
  /** Participants present when the message was sent (entered and not yet left). */
  participants: ChatUser[];
  disclaimers: string[];
  firmCode?: string;
}

export interface ChatItem {
  conversationId: string;
  messageId: string;
  /** UTC instant of the message. */
  timestamp: Date;
  sender: ChatUser;
  recipients: ChatUser[];
  content: string;
  attachments: ChatAttachment[];
  context: ConversationContext;
}

/**
 * Items are keyed by conversation and message, never by file (a conversation may span
 * files). Each part is percent-encoded, so the "/" between them is unambiguous and the
 * key is safe in PostgreSQL text, HTTP headers and Graph extended properties.
 */
export function itemKeyOf(item: Pick<ChatItem, "conversationId" | "messageId">): string {
  return `${encodeURIComponent(item.conversationId)}/${encodeURIComponent(item.messageId)}`;
}
