// Looks an item up in the mailbox's ICE Chat folder: how a retry, a resumed run or an
// ambiguous create learns the item is stored. Two keys name an item there:
//  - our IceChatItemKey named extended property, which the JSON create sets;
//  - its Internet Message-ID (internetMessageIdOf: the same for both import methods),
//    the only key a message imported with the beta importMime carries (importMime takes
//    MIME only, so it cannot set an extended property).
// Whatever the method, a lookup also finds a copy the other method stored, so switching
// the import method between runs never duplicates an item the ledger still shows pending.

import { ITEM_KEY_PROPERTY_ID } from "@/lib/email/build-graph-message";
import type { GraphImportMethod } from "@/lib/graph/graph-config";
import { idOf } from "@/lib/graph/ensure-ice-chat-folder";
import type { GraphReply } from "@/lib/graph/graph-transport";
import { isStatus } from "@/lib/graph/graph-reply";
import type { MailboxTarget } from "@/lib/graph/resolve-mailbox";
import { sendWithRetry, type GraphContext } from "@/lib/graph/send-with-retry";

export type FindResult = { ok: true; messageId: string | undefined } | { ok: false; reply: GraphReply };

/** The two names of one item at the destination (PreparedItem's fields). */
export interface ItemIdentity {
  destinationKey: string;
  internetMessageId: string;
}

const quote = (text: string): string => `'${text.replace(/'/g, "''")}'`;

export function itemKeyFilter(destinationKey: string): string {
  return `singleValueExtendedProperties/Any(ep: ep/id eq ${quote(ITEM_KEY_PROPERTY_ID)} and ep/value eq ${quote(destinationKey)})`;
}

export function internetMessageIdFilter(internetMessageId: string): string {
  return `internetMessageId eq ${quote(internetMessageId)}`;
}

/** By the IceChatItemKey property (messages the JSON method created). */
export function findItemMessage(ctx: GraphContext, target: MailboxTarget, destinationKey: string): Promise<FindResult> {
  return findOne(ctx, target, itemKeyFilter(destinationKey));
}

/** By Internet Message-ID (messages either method created). */
export function findMessageByInternetMessageId(ctx: GraphContext, target: MailboxTarget, internetMessageId: string): Promise<FindResult> {
  return findOne(ctx, target, internetMessageIdFilter(internetMessageId));
}

/**
 * The item's message, whichever method stored it. JSON: the item-key property first (what
 * this method writes), then the Message-ID (a copy importMime stored). importMime: the
 * Message-ID only, which a JSON copy carries as well.
 */
export async function findStoredItem(ctx: GraphContext, target: MailboxTarget, item: ItemIdentity, method: GraphImportMethod = ctx.importMethod): Promise<FindResult> {
  if (method === "importMime") return findMessageByInternetMessageId(ctx, target, item.internetMessageId);
  const byKey = await findItemMessage(ctx, target, item.destinationKey);
  if (!byKey.ok || byKey.messageId) return byKey;
  return findMessageByInternetMessageId(ctx, target, item.internetMessageId);
}

async function findOne(ctx: GraphContext, target: MailboxTarget, filter: string): Promise<FindResult> {
  const url = `${folderMessagesUrl(target)}?$filter=${encodeURIComponent(filter)}&$select=id&$top=1`;
  const reply = await sendWithRetry(ctx, target.key, { method: "GET", url }, { idempotent: true, what: `looking up an item in ${target.address}` });
  if (!isStatus(reply, 200)) return { ok: false, reply };
  const value = typeof reply.body === "object" && reply.body !== null ? (reply.body as { value?: unknown }).value : undefined;
  return { ok: true, messageId: Array.isArray(value) ? idOf(value[0]) : undefined };
}

export function folderMessagesUrl(target: MailboxTarget): string {
  return `/users/${encodeURIComponent(target.userId)}/mailFolders/${encodeURIComponent(target.folderId)}/messages`;
}
