// Sends one Graph request until it gets an answer worth acting on. Throttling (429) and
// 503 are retried after Retry-After: Graph did no work. For reads, lost answers and 5xx
// are retried too. For writes they are returned: the caller must find out what happened
// (look the item up) before writing again. 401/403 end the run.

import { AppError } from "@/lib/errors";
import type { GraphScheduler, InnerRequest } from "@/lib/graph/batch-scheduler";
import type { GraphImportMethod, GraphLimits } from "@/lib/graph/graph-config";
import { accessFailureError, describeReply, isAccessFailure } from "@/lib/graph/graph-reply";
import type { GraphHttpRequest, GraphReply } from "@/lib/graph/graph-transport";
import type { MailboxLimiter } from "@/lib/graph/mailbox-limiter";
import { isAmbiguous, isNotCarriedOut, retryDelayMs, sleep } from "@/lib/graph/retry-policy";

export interface GraphContext {
  /** How items become messages (JSON create on v1.0, or the beta importMime). */
  importMethod: GraphImportMethod;
  scheduler: GraphScheduler;
  limiter: MailboxLimiter;
  limits: GraphLimits;
  random: () => number;
}

export interface RetryOptions {
  /** True for reads and other requests that are harmless to repeat. */
  idempotent: boolean;
  /** For messages: "creating a message in alice@contoso.com". */
  what: string;
  /** What to grant when Graph answers 403 (default: Mail.ReadWrite and User.Read.All). */
  permissionHint?: string;
}

export function sendWithRetry(ctx: GraphContext, mailboxKey: string, request: InnerRequest, options: RetryOptions): Promise<GraphReply> {
  return retryGraphCall(ctx, () => ctx.scheduler.send(mailboxKey, request), options);
}

export function sendDirectWithRetry(ctx: GraphContext, mailboxKey: string, request: GraphHttpRequest, options: RetryOptions): Promise<GraphReply> {
  return retryGraphCall(ctx, () => ctx.scheduler.sendDirect(mailboxKey, request), options);
}

async function retryGraphCall(ctx: GraphContext, call: () => Promise<GraphReply>, options: RetryOptions): Promise<GraphReply> {
  for (let attempt = 1; ; attempt += 1) {
    const reply = await call();
    if (isAccessFailure(reply)) throw accessFailureError(reply, options.what, options.permissionHint);
    const retry = isNotCarriedOut(reply) || (options.idempotent && isAmbiguous(reply));
    if (!retry) return reply;
    if (attempt >= ctx.limits.maxAttempts) throw exhausted(reply, attempt, options.what);
    await sleep(retryDelayMs(reply, attempt, { ...ctx.limits, random: ctx.random }));
  }
}

export function exhausted(reply: GraphReply, attempts: number, what: string): AppError {
  return new AppError("destination_failed", `Microsoft Graph kept failing while ${what} (${attempts} attempts; last: ${describeReply(reply)}). The run can be resumed later.`);
}
