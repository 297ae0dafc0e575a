import { buildGraphMessage } from "@/lib/email/build-graph-message";
import { buildMimeMessage } from "@/lib/email/build-mime";
import { itemKeyOf, type ChatItem } from "@/lib/ice-chat";
import type { MappingRow } from "@/lib/mapping/parse-mapping-csv";
import { createParticipantResolver, planItemDeliveries, type ParticipantResolver } from "@/lib/mapping/resolve-participants";

// Everything CPU-bound about one item, done where it was parsed (the source thread): the
// fan-out to mailboxes and the message the destination will store. What crosses back to
// the main thread is flat data (strings and bytes), cheap to copy and small to hold.

export type DestinationFormat = "graph" | "mime";

export interface PreparedItem {
  itemKey: string;
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
    // An item no mailbox will receive needs no message.
    if (plan.mailboxes.length === 0) return { ...base, body: "", deferredAttachments: [] };
    if (options.format === "mime") {
      return { ...base, body: new Uint8Array(await buildMimeMessage(item, { firmCode: options.firmCode })), deferredAttachments: [] };
    }
    const built = buildGraphMessage(item, { firmCode: options.firmCode });
    return {
      ...base,
      body: JSON.stringify(built.message),
      deferredAttachments: [...built.largeAttachments, ...built.overflowAttachments].map((a) => ({
        name: a.name,
        contentType: a.contentType,
        size: a.size,
        data: new Uint8Array(a.data),
      })),
    };
  };
}
