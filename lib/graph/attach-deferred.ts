// Attachments that did not fit in the create request, added after the message exists:
// under 3 MB by one POST, larger through an upload session (in-order PUTs of at most 4 MB
// to a pre-authenticated URL that must not carry our token). An attachment Graph refuses
// for its size becomes a note: the message stays imported, the outcome is "partial".
// When an answer is lost we list the message's attachments before trying again, so an
// attachment is never added twice.

import type { PreparedItem } from "@/lib/imports/prepare-item";
import { describeReply, graphErrorOf, isStatus } from "@/lib/graph/graph-reply";
import type { GraphReply } from "@/lib/graph/graph-transport";
import type { MailboxTarget } from "@/lib/graph/resolve-mailbox";
import { isAmbiguous, isNotCarriedOut, retryDelayMs, sleep } from "@/lib/graph/retry-policy";
import { exhausted, sendDirectWithRetry, sendWithRetry, type GraphContext } from "@/lib/graph/send-with-retry";

export type DeferredAttachment = PreparedItem["deferredAttachments"][number];

export interface ExistingAttachment {
  name: string;
  size: number;
}

type AttachResult = { ok: true } | { ok: false; note: string } | { ok: "unknown"; reply: GraphReply };

export interface AttachOptions {
  /** Size of the message before these attachments (our estimate). */
  messageBytes: number;
  /** Attachments the message already has (an earlier attempt may have added some). */
  existing?: ExistingAttachment[];
}

/** Returns one note per attachment that could not be added. */
export async function attachDeferred(ctx: GraphContext, target: MailboxTarget, messageId: string, attachments: DeferredAttachment[], options: AttachOptions): Promise<string[]> {
  const notes: string[] = [];
  let existing = options.existing;
  let messageBytes = options.messageBytes;
  for (const attachment of attachments) {
    if (existing && hasAttachment(existing, attachment)) continue;
    if (messageBytes + attachment.size > ctx.limits.maxMessageBytes) {
      notes.push(sizeNote(attachment, `the message would exceed the ${ctx.limits.maxMessageBytes}-byte message size limit`));
      continue;
    }
    let done = false;
    for (let round = 1; !done; round += 1) {
      const result = attachment.size < ctx.limits.inlineAttachmentLimitBytes ? await postAttachment(ctx, target, messageId, attachment) : await uploadAttachment(ctx, target, messageId, attachment);
      if (result.ok === true) done = true;
      else if (result.ok === false) {
        notes.push(result.note);
        break;
      } else {
        if (round >= ctx.limits.maxAttempts) throw exhausted(result.reply, round, `adding attachment "${attachment.name}" in ${target.address}`);
        await sleep(retryDelayMs(result.reply, round, { ...ctx.limits, random: ctx.random }));
        existing = await listAttachments(ctx, target, messageId);
        done = hasAttachment(existing, attachment);
      }
    }
    if (done) messageBytes += attachment.size;
  }
  return notes;
}

export async function listAttachments(ctx: GraphContext, target: MailboxTarget, messageId: string): Promise<ExistingAttachment[]> {
  const url = `${messageUrl(target, messageId)}/attachments?$select=id,name,size`;
  const reply = await sendWithRetry(ctx, target.key, { method: "GET", url }, { idempotent: true, what: `listing attachments in ${target.address}` });
  if (!isStatus(reply, 200)) throw exhausted(reply, 1, `listing attachments in ${target.address}`);
  const value = typeof reply.body === "object" && reply.body !== null ? (reply.body as { value?: unknown }).value : undefined;
  if (!Array.isArray(value)) return [];
  return value.flatMap((raw: unknown) => {
    const { name, size } = (typeof raw === "object" && raw !== null ? raw : {}) as { name?: unknown; size?: unknown };
    return typeof name === "string" && typeof size === "number" ? [{ name, size }] : [];
  });
}

function hasAttachment(existing: ExistingAttachment[], attachment: DeferredAttachment): boolean {
  return existing.some((e) => e.name === attachment.name && e.size === attachment.size);
}

async function postAttachment(ctx: GraphContext, target: MailboxTarget, messageId: string, attachment: DeferredAttachment): Promise<AttachResult> {
  const body = JSON.stringify({
    "@odata.type": "#microsoft.graph.fileAttachment",
    name: attachment.name,
    contentType: attachment.contentType,
    contentBytes: Buffer.from(attachment.data.buffer, attachment.data.byteOffset, attachment.data.byteLength).toString("base64"),
  });
  const reply = await sendWithRetry(ctx, target.key, { method: "POST", url: `${messageUrl(target, messageId)}/attachments`, body }, { idempotent: false, what: `adding attachment "${attachment.name}" in ${target.address}` });
  if (isStatus(reply, 201)) return { ok: true };
  if (isAmbiguous(reply)) return { ok: "unknown", reply };
  return { ok: false, note: refusalNote(attachment, reply) };
}

async function uploadAttachment(ctx: GraphContext, target: MailboxTarget, messageId: string, attachment: DeferredAttachment): Promise<AttachResult> {
  const session = await sendWithRetry(
    ctx,
    target.key,
    {
      method: "POST",
      url: `${messageUrl(target, messageId)}/attachments/createUploadSession`,
      body: JSON.stringify({ AttachmentItem: { attachmentType: "file", name: attachment.name, size: attachment.size, contentType: attachment.contentType } }),
    },
    // An unused upload session stores nothing: safe to ask for another.
    { idempotent: true, what: `starting an upload of "${attachment.name}" in ${target.address}` },
  );
  if (!isStatus(session, 200, 201)) return { ok: false, note: refusalNote(attachment, session) };
  const uploadUrl = typeof session.body === "object" && session.body !== null ? (session.body as { uploadUrl?: unknown }).uploadUrl : undefined;
  if (typeof uploadUrl !== "string" || !uploadUrl.startsWith("https://")) return { ok: false, note: `attachment "${attachment.name}" was not imported: Microsoft Graph returned no upload URL` };

  const data = Buffer.from(attachment.data.buffer, attachment.data.byteOffset, attachment.data.byteLength);
  const chunk = ctx.limits.uploadChunkBytes;
  for (let start = 0; start < data.length; start += chunk) {
    const end = Math.min(start + chunk, data.length) - 1;
    const reply = await sendDirectWithRetry(
      ctx,
      target.key,
      {
        method: "PUT",
        url: uploadUrl,
        body: data.subarray(start, end + 1),
        // No Authorization: the URL carries its own token (the SDK only signs Graph hosts).
        headers: { "Content-Type": "application/octet-stream", "Content-Range": `bytes ${start}-${end}/${data.length}` },
        timeoutMs: ctx.limits.uploadTimeoutMs,
      },
      { idempotent: false, what: `uploading "${attachment.name}" in ${target.address}` },
    );
    const last = end === data.length - 1;
    if (last && isStatus(reply, 200, 201)) return { ok: true };
    if (!last && isStatus(reply, 200, 202)) continue;
    // A lost chunk leaves the session's position unknown: start over (after checking the list).
    if (isAmbiguous(reply) || isNotCarriedOut(reply) || isStatus(reply, 404, 416)) return { ok: "unknown", reply };
    return { ok: false, note: refusalNote(attachment, reply) };
  }
  return { ok: true };
}

function refusalNote(attachment: DeferredAttachment, reply: GraphReply): string {
  const { code } = graphErrorOf(reply);
  if (reply.kind === "response" && (reply.status === 413 || /SizeExceeded|MoreThanMaximumSize|TooLarge/i.test(code))) {
    return sizeNote(attachment, `Microsoft 365 refused it as too large (${code})`);
  }
  return `attachment "${attachment.name}" (${attachment.size} bytes) was not imported: ${describeReply(reply)}`;
}

function sizeNote(attachment: DeferredAttachment, why: string): string {
  return `attachment "${attachment.name}" (${attachment.size} bytes) was not imported: ${why}`;
}

function messageUrl(target: MailboxTarget, messageId: string): string {
  return `/users/${encodeURIComponent(target.userId)}/messages/${encodeURIComponent(messageId)}`;
}
