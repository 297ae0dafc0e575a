// The optional import method: the item's RFC 5322 bytes through the BETA action
// `POST /users/{id}/mailFolders/{folderId}/importMime` (Content-Type text/plain, the whole
// message base64-encoded, no JSON envelope). Graph stores a non-draft message as if it had
// been delivered (never sent, never in Sent Items) and keeps the full MIME: headers, body
// parts, attachments. It needs the application permission Mail-Advanced.ReadWrite.All.
//
// The body cannot go inside a JSON $batch the way our creates do, so it is sent on its own
// through the scheduler's sendDirect, which still takes one of the mailbox's 4 slots and
// counts against its request budget. importMime has no upload session: a body over Graph's
// 4 MB request limit is refused here, before sending, as ITEM_TOO_LARGE.

import { createOnce, isTooLargeReply, type CreateResult, type FailedOutcome } from "@/lib/graph/create-item-message";
import type { ItemIdentity } from "@/lib/graph/find-item-message";
import { describeReply } from "@/lib/graph/graph-reply";
import type { GraphReply } from "@/lib/graph/graph-transport";
import type { MailboxTarget } from "@/lib/graph/resolve-mailbox";
import { sendDirectWithRetry, type GraphContext } from "@/lib/graph/send-with-retry";

export const IMPORT_MIME_PERMISSION_HINT =
  "The beta importMime import method needs the Microsoft Graph application permission Mail-Advanced.ReadWrite.All (with admin consent) in addition to Mail.ReadWrite and User.Read.All; grant it, or switch Settings → Microsoft 365 → Import method back to JSON. Also check any Exchange application access policy.";

/** Length of the base64 text of `bytes` bytes (with padding). */
export function base64LengthOf(bytes: number): number {
  return 4 * Math.ceil(bytes / 3);
}

/** The outcome for an item whose base64 MIME is over the request limit (undefined when it fits). */
export function mimeTooLargeOutcome(mimeBytes: number, limitBytes: number): FailedOutcome | undefined {
  const encoded = base64LengthOf(mimeBytes);
  if (encoded <= limitBytes) return undefined;
  return {
    status: "failed",
    reason: "ITEM_TOO_LARGE",
    detail:
      `The message is ${formatBytes(mimeBytes)} of MIME, ${formatBytes(encoded)} once base64-encoded, over Microsoft Graph's ${formatBytes(limitBytes)} request limit; ` +
      "the beta importMime method has no upload session for larger messages. Import items this large with the JSON import method (Settings → Microsoft 365 → Import method), which adds big attachments through upload sessions.",
  };
}

export function importMimeUrl(target: MailboxTarget): string {
  return `/users/${encodeURIComponent(target.userId)}/mailFolders/${encodeURIComponent(target.folderId)}/importMime`;
}

/** Imports the MIME message once (an ambiguous answer is settled by lookup, never by posting again blindly). */
export function importItemMime(ctx: GraphContext, target: MailboxTarget, mime: Uint8Array, item: ItemIdentity): Promise<CreateResult> {
  const what = `importing a MIME message into ${target.address}`;
  // Encoded once: every attempt sends the same text.
  const body = Buffer.from(mime.buffer, mime.byteOffset, mime.byteLength).toString("base64");
  return createOnce(ctx, target, item, {
    send: () =>
      sendDirectWithRetry(
        ctx,
        target.key,
        { method: "POST", url: importMimeUrl(target), version: "beta", body, headers: { "Content-Type": "text/plain" }, timeoutMs: ctx.limits.requestTimeoutMs },
        { idempotent: false, what, permissionHint: IMPORT_MIME_PERMISSION_HINT },
      ),
    what,
    failureOf: (reply) => refusalOf(reply, mime.byteLength, ctx.limits.maxRequestBodyBytes),
  });
}

function refusalOf(reply: GraphReply, mimeBytes: number, limitBytes: number): FailedOutcome {
  if (isTooLargeReply(reply)) {
    return {
      status: "failed",
      reason: "ITEM_TOO_LARGE",
      detail: `Microsoft Graph refused the ${formatBytes(mimeBytes)} MIME message as too large (${describeReply(reply)}); importMime accepts at most ${formatBytes(limitBytes)} per request. Import items this large with the JSON import method (Settings → Microsoft 365 → Import method).`,
    };
  }
  return { status: "failed", reason: "DESTINATION_ERROR", detail: `Microsoft Graph refused the MIME message (beta importMime): ${describeReply(reply)}` };
}

function formatBytes(bytes: number): string {
  const MB = 1024 * 1024;
  return bytes >= MB ? `${(bytes / MB).toFixed(2)} MB (${bytes} bytes)` : `${bytes} bytes`;
}
