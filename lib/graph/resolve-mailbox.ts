// From an address to a mailbox we can import into: the Entra ID user, then the ICE Chat
// folder (finding or creating it also proves the user has a usable Exchange Online
// mailbox). Refusals that concern only this address are reasons, not errors.

import type { GraphContext } from "@/lib/graph/send-with-retry";
import { sendWithRetry } from "@/lib/graph/send-with-retry";
import { describeReply, graphErrorOf, isStatus } from "@/lib/graph/graph-reply";
import { ensureIceChatFolder } from "@/lib/graph/ensure-ice-chat-folder";
import { findUserBySmtpAddress } from "@/lib/graph/find-user-by-smtp";
import type { GraphReply } from "@/lib/graph/graph-transport";

export interface MailboxTarget {
  address: string;
  /** The limiter key: one per mailbox, whatever address reached it. */
  key: string;
  userId: string;
  folderId: string;
}

export type MailboxResolution = { ok: true; target: MailboxTarget } | { ok: false; reason: string };

type UserLookup = { ok: true; userId: string | undefined } | { ok: false; reason: string };

export async function resolveMailbox(ctx: GraphContext, address: string): Promise<MailboxResolution> {
  const user = await findUser(ctx, address);
  if (!user.ok) return user;
  const { userId } = user;
  if (typeof userId !== "string" || userId === "") return { ok: false, reason: `Microsoft Graph returned no user id for ${address}.` };
  // Graph counts the lookup against the mailbox; so do we, whatever address reached it.
  ctx.limiter.link(address, userId);
  const folder = await ensureIceChatFolder(ctx, userId, userId);
  if (!folder.ok) return { ok: false, reason: mailboxRefusalReason(address, folder.reply) };
  return { ok: true, target: { address, key: userId, userId, folderId: folder.folderId } };
}

/** By user principal name first (one request, the common case), then by SMTP address. */
async function findUser(ctx: GraphContext, address: string): Promise<UserLookup> {
  const byUpn = await sendWithRetry(ctx, address, { method: "GET", url: `/users/${encodeURIComponent(address)}?$select=id,mail,userPrincipalName` }, { idempotent: true, what: `looking up the user ${address}` });
  if (isStatus(byUpn, 200)) return { ok: true, userId: idOf(byUpn.body) };
  // Only "no such UPN" means the address may still be someone's SMTP address; any other
  // failure would fail the second lookup the same way and hide the first answer.
  if (!isStatus(byUpn, 404) || graphErrorOf(byUpn).code !== "Request_ResourceNotFound") return { ok: false, reason: mailboxRefusalReason(address, byUpn) };
  const bySmtp = await findUserBySmtpAddress(ctx, address);
  switch (bySmtp.kind) {
    case "found":
      return { ok: true, userId: bySmtp.userId };
    case "none":
      return { ok: false, reason: userNotFoundReason(address) };
    case "ambiguous":
      return { ok: false, reason: ambiguousAddressReason(address, bySmtp.userPrincipalNames) };
    case "failed":
      return { ok: false, reason: mailboxRefusalReason(address, bySmtp.reply) };
  }
}

function idOf(body: unknown): string | undefined {
  const id = typeof body === "object" && body !== null ? (body as { id?: unknown }).id : undefined;
  return typeof id === "string" ? id : undefined;
}

export function userNotFoundReason(address: string): string {
  return `No Microsoft 365 user has the address ${address} (checked as user principal name, primary SMTP address and alias). Check the participant mapping, or create the user.`;
}

export function ambiguousAddressReason(address: string, userPrincipalNames: string[]): string {
  const shown = userPrincipalNames.slice(0, 5).join(", ") + (userPrincipalNames.length > 5 ? ", …" : "");
  return `${address} is an address of ${userPrincipalNames.length} Microsoft 365 users (${shown}); the connector does not guess which mailbox to import into. Map the participant to one user's principal name, or remove the duplicate address.`;
}

export function mailboxRefusalReason(address: string, reply: GraphReply): string {
  const { code } = graphErrorOf(reply);
  switch (code) {
    case "Request_ResourceNotFound":
      return userNotFoundReason(address);
    case "ErrorInvalidUser":
      return `${address} is not a valid mailbox user in this Microsoft 365 tenant (ErrorInvalidUser).`;
    case "MailboxNotEnabledForRESTAPI":
    case "MailboxNotSupportedForRESTAPI":
      return `${address} has no Exchange Online mailbox: the user may be unlicensed, inactive, soft-deleted or hosted on-premises (${code}).`;
    default:
      return `Microsoft Graph cannot import into ${address}: ${describeReply(reply)}.`;
  }
}
