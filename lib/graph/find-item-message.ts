// Looks an item up in the mailbox's ICE Chat folder by our IceChatItemKey extended
// property: how a retry, a resumed run or an ambiguous create learns the item is stored.

import { ITEM_KEY_PROPERTY_ID } from "@/lib/email/build-graph-message";
import { idOf } from "@/lib/graph/ensure-ice-chat-folder";
import type { GraphReply } from "@/lib/graph/graph-transport";
import { isStatus } from "@/lib/graph/graph-reply";
import type { MailboxTarget } from "@/lib/graph/resolve-mailbox";
import { sendWithRetry, type GraphContext } from "@/lib/graph/send-with-retry";

export type FindResult = { ok: true; messageId: string | undefined } | { ok: false; reply: GraphReply };

export function itemKeyFilter(destinationKey: string): string {
  const quote = (text: string): string => `'${text.replace(/'/g, "''")}'`;
  return `singleValueExtendedProperties/Any(ep: ep/id eq ${quote(ITEM_KEY_PROPERTY_ID)} and ep/value eq ${quote(destinationKey)})`;
}

export async function findItemMessage(ctx: GraphContext, target: MailboxTarget, destinationKey: string): Promise<FindResult> {
  const url = `${folderMessagesUrl(target)}?$filter=${encodeURIComponent(itemKeyFilter(destinationKey))}&$select=id&$top=1`;
  const reply = await sendWithRetry(ctx, target.key, { method: "GET", url }, { idempotent: true, what: `looking up an item in ${target.address}` });
  if (!isStatus(reply, 200)) return { ok: false, reply };
  const value = typeof reply.body === "object" && reply.body !== null ? (reply.body as { value?: unknown }).value : undefined;
  return { ok: true, messageId: Array.isArray(value) ? idOf(value[0]) : undefined };
}

export function folderMessagesUrl(target: MailboxTarget): string {
  return `/users/${encodeURIComponent(target.userId)}/mailFolders/${encodeURIComponent(target.folderId)}/messages`;
}
