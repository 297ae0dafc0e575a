// Graph's /users/{key} accepts only the object id or the userPrincipalName, but ICE Chat
// and mapping files give whatever address mail is sent to: often the primary SMTP address
// (mail) or an alias (proxyAddresses) that differs from the UPN. Both filters below work on
// /users by default (no ConsistencyLevel/$count needed: learn.microsoft.com, "Advanced query
// capabilities on Microsoft Entra ID objects"), and directory string comparisons ignore case,
// so 'smtp:' also matches the primary address's 'SMTP:' entry.

import { isStatus } from "@/lib/graph/graph-reply";
import type { GraphReply } from "@/lib/graph/graph-transport";
import { sendWithRetry, type GraphContext } from "@/lib/graph/send-with-retry";

export type SmtpLookup =
  | { kind: "found"; userId: string | undefined }
  | { kind: "none" }
  /** Several users answer to the address: guessing would import into the wrong mailbox. */
  | { kind: "ambiguous"; userPrincipalNames: string[] }
  | { kind: "failed"; reply: GraphReply };

export function smtpLookupUrl(address: string): string {
  const filter = `mail eq ${odataString(address)} or proxyAddresses/any(p:p eq ${odataString(`smtp:${address}`)})`;
  return `/users?$filter=${encodeURIComponent(filter)}&$select=id,mail,userPrincipalName`;
}

/** Counts against the address's limiter key, like the UPN lookup before it: the user id is not known yet. */
export async function findUserBySmtpAddress(ctx: GraphContext, address: string): Promise<SmtpLookup> {
  const reply = await sendWithRetry(ctx, address, { method: "GET", url: smtpLookupUrl(address) }, { idempotent: true, what: `looking up the user with the SMTP address ${address}` });
  if (!isStatus(reply, 200)) return { kind: "failed", reply };
  const users = usersOf(reply.body);
  if (!users) return { kind: "failed", reply };
  const [only] = users;
  if (!only) return { kind: "none" };
  if (users.length > 1) return { kind: "ambiguous", userPrincipalNames: users.map((u) => u.userPrincipalName ?? u.id ?? "(unnamed)") };
  return { kind: "found", userId: only.id };
}

/** A quote inside an OData string literal is written twice. */
function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

interface FoundUser {
  id?: string;
  userPrincipalName?: string;
}

function usersOf(body: unknown): FoundUser[] | undefined {
  const value = typeof body === "object" && body !== null ? (body as { value?: unknown }).value : undefined;
  if (!Array.isArray(value)) return undefined;
  return value.map((entry: unknown) => {
    const { id, userPrincipalName } = (typeof entry === "object" && entry !== null ? entry : {}) as { id?: unknown; userPrincipalName?: unknown };
    return { id: typeof id === "string" && id !== "" ? id : undefined, userPrincipalName: typeof userPrincipalName === "string" ? userPrincipalName : undefined };
  });
}
