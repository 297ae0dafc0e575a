// Creates the item's message in the ICE Chat folder exactly once. When Graph's answer is
// lost (reset, timeout, 5xx, 504) the message may already be stored, so we never post it
// blindly again: we look it up by its item key, and create it only if it is absent.

import type { DeliveryOutcome } from "@/lib/delivery/destination";
import { idOf } from "@/lib/graph/ensure-ice-chat-folder";
import { findItemMessage, folderMessagesUrl } from "@/lib/graph/find-item-message";
import { describeReply, isStatus } from "@/lib/graph/graph-reply";
import type { GraphReply } from "@/lib/graph/graph-transport";
import type { MailboxTarget } from "@/lib/graph/resolve-mailbox";
import { isAmbiguous, retryDelayMs, sleep } from "@/lib/graph/retry-policy";
import { exhausted, sendWithRetry, type GraphContext } from "@/lib/graph/send-with-retry";

export type CreateResult = { ok: true; messageId: string } | { ok: false; outcome: Extract<DeliveryOutcome, { status: "failed" }> };

export async function createItemMessage(ctx: GraphContext, target: MailboxTarget, body: string, destinationKey: string): Promise<CreateResult> {
  const what = `creating a message in ${target.address}`;
  let last: GraphReply | undefined;
  for (let round = 1; round <= ctx.limits.maxAttempts; round += 1) {
    const reply = await sendWithRetry(ctx, target.key, { method: "POST", url: folderMessagesUrl(target), body }, { idempotent: false, what });
    if (isStatus(reply, 201)) {
      const messageId = idOf(reply.body);
      if (messageId) return { ok: true, messageId };
    }
    if (!isAmbiguous(reply)) return { ok: false, outcome: failureOf(reply) };
    last = reply;
    // Give a create that is still running on Graph's side time to land before looking.
    await sleep(retryDelayMs(reply, round, { ...ctx.limits, random: ctx.random }));
    const found = await findItemMessage(ctx, target, destinationKey);
    if (!found.ok) return { ok: false, outcome: failureOf(found.reply) };
    if (found.messageId) return { ok: true, messageId: found.messageId };
  }
  throw exhausted(last ?? { kind: "lost", detail: "no answer" }, ctx.limits.maxAttempts, what);
}

function failureOf(reply: GraphReply): Extract<DeliveryOutcome, { status: "failed" }> {
  const tooLarge = reply.kind === "response" && (reply.status === 413 || /SizeExceeded|TooLarge/i.test(describeReply(reply)));
  return { status: "failed", reason: tooLarge ? "ITEM_TOO_LARGE" : "DESTINATION_ERROR", detail: `Microsoft Graph refused the message: ${describeReply(reply)}` };
}
