// One item into one mailbox: look it up first when an earlier attempt may have stored it,
// otherwise create it (exactly once), then add the attachments that did not fit inline.
// With the importMime method the item is one MIME message (attachments inside it): look
// it up by Message-ID when it may exist, else import it.

import type { DeliveryOutcome, DeliveryTask } from "@/lib/delivery/destination";
import { attachDeferred, listAttachments } from "@/lib/graph/attach-deferred";
import { createItemMessage } from "@/lib/graph/create-item-message";
import { findStoredItem } from "@/lib/graph/find-item-message";
import { describeReply } from "@/lib/graph/graph-reply";
import { importItemMime, mimeTooLargeOutcome } from "@/lib/graph/import-item-mime";
import type { MailboxTarget } from "@/lib/graph/resolve-mailbox";
import type { GraphContext } from "@/lib/graph/send-with-retry";

export async function deliverTask(ctx: GraphContext, target: MailboxTarget, task: DeliveryTask): Promise<DeliveryOutcome> {
  return ctx.importMethod === "importMime" ? deliverMimeTask(ctx, target, task) : deliverJsonTask(ctx, target, task);
}

async function deliverJsonTask(ctx: GraphContext, target: MailboxTarget, task: DeliveryTask): Promise<DeliveryOutcome> {
  const { item } = task;
  if (typeof item.body !== "string" || !isJsonObjectText(item.body)) {
    return { status: "failed", reason: "DESTINATION_ERROR", detail: "The prepared message is not a Microsoft Graph JSON message body (was it prepared for the local archive or the importMime method?)." };
  }
  // base64 inline attachments make the JSON about 4/3 of what Exchange counts; under-estimate, Graph has the last word.
  const messageBytes = Math.floor(Buffer.byteLength(item.body) * 0.75);

  if (task.mayExist) {
    const found = await findStoredItem(ctx, target, item);
    if (!found.ok) return lookupFailure(found.reply);
    if (found.messageId) {
      // An earlier attempt may have stopped between the create and its attachments.
      if (item.deferredAttachments.length > 0) {
        const existing = await listAttachments(ctx, target, found.messageId);
        const notes = await attachDeferred(ctx, target, found.messageId, item.deferredAttachments, { messageBytes, existing });
        if (notes.length > 0) return { status: "partial", destinationMessageId: found.messageId, note: notes.join("; ") };
      }
      return { status: "already_present", destinationMessageId: found.messageId };
    }
  }

  const created = await createItemMessage(ctx, target, item.body, item);
  if (!created.ok) return created.outcome;
  if (item.deferredAttachments.length === 0) return { status: "imported", destinationMessageId: created.messageId };
  const notes = await attachDeferred(ctx, target, created.messageId, item.deferredAttachments, { messageBytes });
  if (notes.length > 0) return { status: "partial", destinationMessageId: created.messageId, note: notes.join("; ") };
  return { status: "imported", destinationMessageId: created.messageId };
}

async function deliverMimeTask(ctx: GraphContext, target: MailboxTarget, task: DeliveryTask): Promise<DeliveryOutcome> {
  const { item } = task;
  if (!(item.body instanceof Uint8Array) || item.body.byteLength === 0) {
    return { status: "failed", reason: "DESTINATION_ERROR", detail: "The prepared message is not an RFC 5322 (MIME) message (was it prepared for the JSON import method?); the importMime method needs the MIME bytes." };
  }
  if (task.mayExist) {
    // A copy stored by either method (even one too large for importMime) is already there.
    const found = await findStoredItem(ctx, target, item);
    if (!found.ok) return lookupFailure(found.reply);
    if (found.messageId) return { status: "already_present", destinationMessageId: found.messageId };
  }
  const tooLarge = mimeTooLargeOutcome(item.body.byteLength, ctx.limits.maxRequestBodyBytes);
  if (tooLarge) return tooLarge;
  const created = await importItemMime(ctx, target, item.body, item);
  return created.ok ? { status: "imported", destinationMessageId: created.messageId } : created.outcome;
}

function lookupFailure(reply: Parameters<typeof describeReply>[0]): DeliveryOutcome {
  return { status: "failed", reason: "DESTINATION_ERROR", detail: `Could not look the item up: ${describeReply(reply)}` };
}

/** A $batch splices the body in as JSON text: it must be one JSON object, or the whole batch would be malformed. */
function isJsonObjectText(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}
