// From an address to a mailbox we can import into: the Entra ID user, then the ICE Chat
// folder (finding or creating it also proves the user has a usable Exchange Online
// mailbox). Refusals that concern only this address are reasons, not errors.

import type { GraphContext } from "@/lib/graph/send-with-retry";
import { sendWithRetry } from "@/lib/graph/send-with-retry";
import { describeReply, graphErrorOf } from "@/lib/graph/graph-reply";
import { ensureIceChatFolder } from "@/lib/graph/ensure-ice-chat-folder";
import type { GraphReply } from "@/lib/graph/graph-transport";

export interface MailboxTarget {
  address: string;
  /** The limiter key: one per mailbox, whatever address reached it. */
  key: string;
  userId: string;
  folderId: string;
}

export type MailboxResolution = { ok: true; target: MailboxTarget } | { ok: false; reason: string };

export async function resolveMailbox(ctx: GraphContext, address: string): Promise<MailboxResolution> {
  const user = await sendWithRetry(ctx, address, { method: "GET", url: `/users/${encodeURIComponent(address)}?$select=id,mail,userPrincipalName` }, { idempotent: true, what: `looking up the user ${address}` });
  if (user.kind === "lost" || user.status !== 200) return { ok: false, reason: mailboxRefusalReason(address, user) };
  const userId = typeof user.body === "object" && user.body !== null ? (user.body as { id?: unknown }).id : undefined;
  if (typeof userId !== "string" || userId === "") return { ok: false, reason: `Microsoft Graph returned no user id for ${address}.` };
  // Graph counts the lookup against the mailbox; so do we, whatever address reached it.
  ctx.limiter.link(address, userId);
  const folder = await ensureIceChatFolder(ctx, userId, userId);
  if (!folder.ok) return { ok: false, reason: mailboxRefusalReason(address, folder.reply) };
  return { ok: true, target: { address, key: userId, userId, folderId: folder.folderId } };
}

export function mailboxRefusalReason(address: string, reply: GraphReply): string {
  const { code } = graphErrorOf(reply);
  switch (code) {
    case "Request_ResourceNotFound":
      return `No Microsoft 365 user has the address ${address} (user principal name). Check the participant mapping, or create the user.`;
    case "ErrorInvalidUser":
      return `${address} is not a valid mailbox user in this Microsoft 365 tenant (ErrorInvalidUser).`;
    case "MailboxNotEnabledForRESTAPI":
    case "MailboxNotSupportedForRESTAPI":
      return `${address} has no Exchange Online mailbox: the user may be unlicensed, inactive, soft-deleted or hosted on-premises (${code}).`;
    default:
      return `Microsoft Graph cannot import into ${address}: ${describeReply(reply)}.`;
  }
}
