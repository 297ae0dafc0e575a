// How long to wait before trying again: Graph's Retry-After (seconds or an HTTP date) when
// it gives one, else exponential backoff with jitter, so retries of many requests spread out.

import type { GraphReply } from "@/lib/graph/graph-transport";

export interface BackoffOptions {
  backoffBaseMs: number;
  backoffMaxMs: number;
  maxRetryAfterMs: number;
  random: () => number;
}

/** Milliseconds from a Retry-After header, or undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  // Only an HTTP date ("Wed, 21 Oct 2015 07:28:00 GMT"): Date.parse also reads "-3" as a year.
  if (!/^[A-Za-z]{3}, \d{1,2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/** `attempt` is 1 for the first retry. */
export function retryDelayMs(reply: GraphReply, attempt: number, options: BackoffOptions): number {
  const header = reply.kind === "response" ? parseRetryAfter(reply.headers["retry-after"]) : undefined;
  if (header !== undefined) return Math.min(header, options.maxRetryAfterMs);
  const ceiling = Math.min(options.backoffMaxMs, options.backoffBaseMs * 2 ** Math.min(attempt - 1, 20));
  // "Equal jitter": at least half the step, so retries never collapse to zero wait.
  return Math.round(ceiling / 2 + options.random() * (ceiling / 2));
}

/** Answers Graph gives before doing any work: always safe to send again. */
export function isNotCarriedOut(reply: GraphReply): boolean {
  return reply.kind === "response" && (reply.status === 429 || reply.status === 503);
}

/** No answer, or a gateway/server failure: a write may or may not have happened. */
export function isAmbiguous(reply: GraphReply): boolean {
  return reply.kind === "lost" || (reply.status >= 500 && reply.status !== 503);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
