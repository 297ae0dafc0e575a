import { buildGraphMessage } from "@/lib/email/build-graph-message";
import { buildMimeMessage } from "@/lib/email/build-mime";
import { itemAddressesOf } from "@/lib/email/item-addresses";
import { internetMessageIdFromDigest, itemKeyDigestOf } from "@/lib/email/message-identity";
import { renderItemSubject, renderItemText } from "@/lib/email/render-item-content";
import { itemKeyOf, type ChatItem } from "@/lib/ice-chat";
import type { MappingRow } from "@/lib/mapping/parse-mapping-csv";
import { createParticipantResolver, planItemDeliveries, type ParticipantResolver } from "@/lib/mapping/resolve-participants";

// Everything CPU-bound about one item, done where it was parsed (the source thread): the
// fan-out to mailboxes and the message the destination will store. What crosses back to
// the main thread is flat data (strings and bytes), cheap to copy and small to hold.

export type DestinationFormat = "graph" | "mime";

export interface PreparedItem {
  /** itemKeyOf(item): the delivery ledger's key. */
  itemKey: string;
  /** Stable digest of (firm, conversation, message): the value of the IceChatItemKey property at the destination. */
  destinationKey: string;
  internetMessageId: string;
  itemId: string;
  conversationId: string;
  senderImId: string;
  timestamp: string;
  /** Lower-cased mailboxes to import into: sender first, deduplicated. */
  mailboxes: string[];
  unmapped: { imId: string; email?: string; reason: string }[];
  /** Graph: the JSON request body. MIME: RFC 5322 bytes. */
  body: string | Uint8Array;
  /** Graph only: attachments too large for the create request (sent by upload session). */
  deferredAttachments: { name: string; contentType: string; size: number; data: Uint8Array }[];
  /** MIME only: what the local archive indexes for search (the bytes stay the record). */
  summary?: ItemSummary;
}

export interface ItemSummary {
  subject: string;
  fromAddress: string;
  toAddresses: string[];
  roomName?: string;
  text: string;
}

export interface PrepareOptions {
  format: DestinationFormat;
  firmCode: string;
  mappingRows?: MappingRow[];
  autoMapping: boolean;
}

export function createItemPreparer(options: PrepareOptions): (item: ChatItem) => Promise<PreparedItem> {
  const resolver: ParticipantResolver = createParticipantResolver({ customMapping: options.mappingRows, autoMapping: options.autoMapping });
  return async (item) => {
    const plan = planItemDeliveries(item, resolver);
    const base = {
      itemKey: itemKeyOf(item),
      itemId: item.messageId,
      conversationId: item.conversationId,
      senderImId: item.sender.imId,
      timestamp: item.timestamp.toISOString(),
      mailboxes: plan.mailboxes,
      unmapped: plan.unmapped.map(({ imId, email, reason }) => ({ imId, email, reason })),
    };
    if (plan.mailboxes.length > 0 && options.format === "graph") {
      const built = buildGraphMessage(item, { firmCode: options.firmCode });
      return {
        ...base,
        // The builder already hashed the item's identity: reuse it rather than hash again per item.
        destinationKey: built.itemKey,
        internetMessageId: built.message.internetMessageId,
        body: JSON.stringify(built.message),
        deferredAttachments: [...built.largeAttachments, ...built.overflowAttachments].map((a) => ({
          name: a.name,
          contentType: a.contentType,
          size: a.size,
          data: new Uint8Array(a.data),
        })),
      };
    }
    const destinationKey = itemKeyDigestOf(options.firmCode, item.conversationId, item.messageId);
    const identity = { destinationKey, internetMessageId: internetMessageIdFromDigest(options.firmCode, destinationKey) };
    // An item no mailbox will receive needs no message.
    if (plan.mailboxes.length === 0) return { ...base, ...identity, body: "", deferredAttachments: [] };
    const addresses = itemAddressesOf(item, { firmCode: options.firmCode });
    return {
      ...base,
      ...identity,
      body: new Uint8Array(await buildMimeMessage(item, { firmCode: options.firmCode })),
      deferredAttachments: [],
      summary: {
        subject: renderItemSubject(item),
        fromAddress: addresses.from.address,
        toAddresses: addresses.to.map((t) => t.address),
        roomName: item.context.roomName,
        text: renderItemText(item),
      },
    };
  };
}
