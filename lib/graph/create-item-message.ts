// Creates the item's message in the ICE Chat folder exactly once. When Graph's answer is
// lost (reset, timeout, 5xx, 504) the message may already be stored, so we never post it
// blindly again: we look it up (findStoredItem), and create it only if it is absent.
// Both import methods share this loop; only the request differs (JSON create on v1.0,
// or importMime on beta: see import-item-mime.ts).

import type { DeliveryOutcome } from "@/lib/delivery/destination";
import { idOf } from "@/lib/graph/ensure-ice-chat-folder";
import { findStoredItem, folderMessagesUrl, type ItemIdentity } from "@/lib/graph/find-item-message";
import { describeReply, isStatus } from "@/lib/graph/graph-reply";
import type { GraphReply } from "@/lib/graph/graph-transport";
import type { MailboxTarget } from "@/lib/graph/resolve-mailbox";
import { isAmbiguous, retryDelayMs, sleep } from "@/lib/graph/retry-policy";
import { exhausted, sendWithRetry, type GraphContext } from "@/lib/graph/send-with-retry";

export type FailedOutcome = Extract<DeliveryOutcome, { status: "failed" }>;
export type CreateResult = { ok: true; messageId: string } | { ok: false; outcome: FailedOutcome };

export interface CreateOnceOptions {
  /** One attempt at storing the message (throttling already retried; ambiguous answers returned). */
  send: () => Promise<GraphReply>;
  /** "creating a message in alice@contoso.com" */
  what: string;
  /** The outcome for a refusal (a definite answer that is not 201). */
  failureOf: (reply: GraphReply) => FailedOutcome;
}

export function createItemMessage(ctx: GraphContext, target: MailboxTarget, body: string, item: ItemIdentity): Promise<CreateResult> {
  return createOnce(ctx, target, item, {
    send: () => sendWithRetry(ctx, target.key, { method: "POST", url: folderMessagesUrl(target), body }, { idempotent: false, what: `creating a message in ${target.address}` }),
    what: `creating a message in ${target.address}`,
    failureOf,
  });
}

export async function createOnce(ctx: GraphContext, target: MailboxTarget, item: ItemIdentity, options: CreateOnceOptions): Promise<CreateResult> {
  let last: GraphReply | undefined;
  for (let round = 1; round <= ctx.limits.maxAttempts; round += 1) {
    const reply = await options.send();
    if (isStatus(reply, 201)) {
      const messageId = idOf(reply.body);
      if (messageId) return { ok: true, messageId };
    }
    if (!isAmbiguous(reply)) return { ok: false, outcome: options.failureOf(reply) };
    last = reply;
    // Give a create that is still running on Graph's side time to land before looking.
    await sleep(retryDelayMs(reply, round, { ...ctx.limits, random: ctx.random }));
    const found = await findStoredItem(ctx, target, item);
    if (!found.ok) return { ok: false, outcome: failureOf(found.reply) };
    if (found.messageId) return { ok: true, messageId: found.messageId };
  }
  throw exhausted(last ?? { kind: "lost", detail: "no answer" }, ctx.limits.maxAttempts, options.what);
}

export function isTooLargeReply(reply: GraphReply): boolean {
  return reply.kind === "response" && (reply.status === 413 || /SizeExceeded|TooLarge/i.test(describeReply(reply)));
}

function failureOf(reply: GraphReply): FailedOutcome {
  return { status: "failed", reason: isTooLargeReply(reply) ? "ITEM_TOO_LARGE" : "DESTINATION_ERROR", detail: `Microsoft Graph refused the message: ${describeReply(reply)}` };
}
