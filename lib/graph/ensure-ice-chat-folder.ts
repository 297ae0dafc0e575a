// Finds the mailbox's top-level "ICE Chat" folder or creates it. Two runs (or two
// addresses of one mailbox) may race: the loser's create answers 409 ErrorFolderExists and
// it looks the folder up again. A lost create answer is settled the same way.

import { ICE_CHAT_FOLDER } from "@/lib/delivery/destination";
import type { GraphReply } from "@/lib/graph/graph-transport";
import { isStatus } from "@/lib/graph/graph-reply";
import { isAmbiguous } from "@/lib/graph/retry-policy";
import { exhausted, sendWithRetry, type GraphContext } from "@/lib/graph/send-with-retry";

export type FolderResult = { ok: true; folderId: string } | { ok: false; reply: GraphReply };

export async function ensureIceChatFolder(ctx: GraphContext, mailboxKey: string, userId: string, folderName = ICE_CHAT_FOLDER): Promise<FolderResult> {
  const base = `/users/${encodeURIComponent(userId)}/mailFolders`;
  const filter = `displayName eq '${folderName.replace(/'/g, "''")}'`;
  let last: GraphReply | undefined;
  for (let attempt = 1; attempt <= ctx.limits.maxAttempts; attempt += 1) {
    const found = await sendWithRetry(ctx, mailboxKey, { method: "GET", url: `${base}?$filter=${encodeURIComponent(filter)}&$select=id,displayName` }, { idempotent: true, what: `looking for the ${folderName} folder` });
    if (!isStatus(found, 200)) return { ok: false, reply: found };
    const id = firstId(found.body);
    if (id) return { ok: true, folderId: id };
    const created = await sendWithRetry(ctx, mailboxKey, { method: "POST", url: base, body: JSON.stringify({ displayName: folderName }) }, { idempotent: false, what: `creating the ${folderName} folder` });
    if (isStatus(created, 201)) {
      const createdId = idOf(created.body);
      if (createdId) return { ok: true, folderId: createdId };
    }
    // 409: someone else created it; no answer: we may have. Either way, look again.
    if (isStatus(created, 409) || isAmbiguous(created)) {
      last = created;
      continue;
    }
    return { ok: false, reply: created };
  }
  throw exhausted(last ?? { kind: "lost", detail: "no answer" }, ctx.limits.maxAttempts, `creating the ${folderName} folder`);
}

function firstId(body: unknown): string | undefined {
  const value = typeof body === "object" && body !== null ? (body as { value?: unknown }).value : undefined;
  return Array.isArray(value) ? idOf(value[0]) : undefined;
}

export function idOf(body: unknown): string | undefined {
  const id = typeof body === "object" && body !== null ? (body as { id?: unknown }).id : undefined;
  return typeof id === "string" && id !== "" ? id : undefined;
}
