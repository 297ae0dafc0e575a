// ChatItem -> the JSON body for Microsoft Graph `POST /users/{id}/mailFolders/{id}/messages`.
// Graph creates a draft unless told otherwise, and its sent/received times are read-only,
// so the MAPI properties are set as extended properties (ids in the Graph proptag format
// "{type} {proptag}", see the singleValueLegacyExtendedProperty resource):
//   PidTagMessageFlags (0x0E07) = MSGFLAG_READ, with MSGFLAG_UNSENT clear: a received, read message;
//   PidTagClientSubmitTime (0x0039) = the chat message's time (shown as "sent");
//   PidTagMessageDeliveryTime (0x0E06) = the same time (shown as "received").
// Our own named property carries the item-key digest so a later run can find the copy.
// Cheap on purpose (runs per item x mailbox): no templating engine, base64 only for
// attachments that actually go inline.
import type { ChatAttachment, ChatItem } from "@/lib/ice-chat/types";
import { safeContentTypeOf, safeFileNameOf } from "@/lib/email/attachment-metadata";
import { assertConvertibleItem } from "@/lib/email/assert-convertible-item";
import { itemAddressesOf, type AddressOf, type NamedAddress } from "@/lib/email/item-addresses";
import { internetMessageIdFromDigest, itemKeyDigestOf } from "@/lib/email/message-identity";
import { renderItemHtml, renderItemSubject } from "@/lib/email/render-item-content";

/** Property set of this connector's named MAPI properties. Fixed forever: stored in mailboxes. */
export const ICE_CHAT_PROPERTY_SET_GUID = "C9EBDDB3-2F00-4401-8F14-C3C000EDBCE0";

export const MESSAGE_FLAGS_PROPERTY_ID = "Integer 0x0E07";
export const CLIENT_SUBMIT_TIME_PROPERTY_ID = "SystemTime 0x0039";
export const MESSAGE_DELIVERY_TIME_PROPERTY_ID = "SystemTime 0x0E06";
export const ITEM_KEY_PROPERTY_ID = `String {${ICE_CHAT_PROPERTY_SET_GUID}} Name IceChatItemKey`;
/** MSGFLAG_READ (0x1); MSGFLAG_UNSENT (0x8) clear so Outlook shows a received message, not a draft. */
export const IMPORTED_MESSAGE_FLAGS = "1";

/** Graph takes attachments "under 3 MB" in the create request; larger ones need an upload session. */
export const GRAPH_INLINE_ATTACHMENT_LIMIT_BYTES = 3 * 1024 * 1024;
/**
 * Graph rejects request bodies over ~4 MB; base64 grows bytes by 4/3, so the inline
 * attachments of one request must stay under 3 MB together, not only one by one.
 */
export const GRAPH_INLINE_TOTAL_LIMIT_BYTES = 3 * 1024 * 1024;

export interface GraphRecipient {
  emailAddress: { name: string; address: string };
}

export interface GraphExtendedProperty {
  id: string;
  value: string;
}

export interface GraphFileAttachment {
  "@odata.type": "#microsoft.graph.fileAttachment";
  name: string;
  contentType: string;
  contentBytes: string;
  isInline: false;
}

export interface GraphMessage {
  subject: string;
  body: { contentType: "html"; content: string };
  from: GraphRecipient;
  sender: GraphRecipient;
  toRecipients: GraphRecipient[];
  internetMessageId: string;
  singleValueExtendedProperties: GraphExtendedProperty[];
  attachments?: GraphFileAttachment[];
}

export interface DeferredGraphAttachment {
  /** Position in `item.attachments`. */
  index: number;
  name: string;
  contentType: string;
  size: number;
  data: Buffer;
}

export interface BuiltGraphMessage {
  message: GraphMessage;
  /** Digest stored in the IceChatItemKey property (also the Message-ID's local part). */
  itemKey: string;
  /** At or above the per-attachment limit: attach through an upload session. */
  largeAttachments: DeferredGraphAttachment[];
  /** Small, but past the request's inline budget: attach with one `POST .../attachments` each. */
  overflowAttachments: DeferredGraphAttachment[];
}

export interface BuildGraphMessageOptions {
  /** The connector's firm code; falls back to the feed's. Part of the Message-ID and item key. */
  firmCode?: string;
  /** The address that stands for a participant in from/toRecipients (e.g. its mapped mailbox). */
  addressOf?: AddressOf;
  inlineAttachmentLimitBytes?: number;
  inlineTotalLimitBytes?: number;
}

export function buildGraphMessage(item: ChatItem, options: BuildGraphMessageOptions = {}): BuiltGraphMessage {
  assertConvertibleItem(item);
  const firmCode = options.firmCode ?? item.context.firmCode;
  const perAttachmentLimit = options.inlineAttachmentLimitBytes ?? GRAPH_INLINE_ATTACHMENT_LIMIT_BYTES;
  const totalLimit = options.inlineTotalLimitBytes ?? GRAPH_INLINE_TOTAL_LIMIT_BYTES;

  const addresses = itemAddressesOf(item, { firmCode, addressOf: options.addressOf });
  const sentAt = item.timestamp.toISOString();
  const itemKey = itemKeyDigestOf(firmCode, item.conversationId, item.messageId);
  const from = recipientOf(addresses.from);

  const message: GraphMessage = {
    subject: renderItemSubject(item),
    body: { contentType: "html", content: renderItemHtml(item) },
    from,
    sender: from,
    toRecipients: addresses.to.map(recipientOf),
    internetMessageId: internetMessageIdFromDigest(firmCode, itemKey),
    singleValueExtendedProperties: [
      { id: MESSAGE_FLAGS_PROPERTY_ID, value: IMPORTED_MESSAGE_FLAGS },
      { id: CLIENT_SUBMIT_TIME_PROPERTY_ID, value: sentAt },
      { id: MESSAGE_DELIVERY_TIME_PROPERTY_ID, value: sentAt },
      { id: ITEM_KEY_PROPERTY_ID, value: itemKey },
    ],
  };

  const inline: GraphFileAttachment[] = [];
  const largeAttachments: DeferredGraphAttachment[] = [];
  const overflowAttachments: DeferredGraphAttachment[] = [];
  let inlineBytes = 0;
  item.attachments.forEach((attachment, index) => {
    const deferred = (): DeferredGraphAttachment => deferredOf(attachment, index);
    const size = attachment.data.length;
    if (size >= perAttachmentLimit) {
      largeAttachments.push(deferred());
    } else if (inlineBytes + size >= totalLimit) {
      overflowAttachments.push(deferred());
    } else {
      inlineBytes += size;
      inline.push({
        "@odata.type": "#microsoft.graph.fileAttachment",
        name: safeFileNameOf(attachment, index),
        contentType: safeContentTypeOf(attachment.contentType),
        contentBytes: attachment.data.toString("base64"),
        isInline: false,
      });
    }
  });
  if (inline.length > 0) message.attachments = inline;

  return { message, itemKey, largeAttachments, overflowAttachments };
}

function recipientOf(address: NamedAddress): GraphRecipient {
  return { emailAddress: { name: address.name, address: address.address } };
}

function deferredOf(attachment: ChatAttachment, index: number): DeferredGraphAttachment {
  return {
    index,
    name: safeFileNameOf(attachment, index),
    contentType: safeContentTypeOf(attachment.contentType),
    size: attachment.data.length,
    data: attachment.data,
  };
}
