// Packs Graph requests into JSON $batch calls. Graph runs the inner requests of a batch
// concurrently and counts each against its mailbox, so every request first takes one of
// its mailbox's slots (mailbox-limiter) and only then joins a batch: however many batches
// are in flight, a mailbox never has more than its limit. Requests arriving in the same
// turn of the event loop share a batch, which then mixes several mailboxes (up to 20).

import { AppError } from "@/lib/errors";
import { accessFailureError, isAccessFailure } from "@/lib/graph/graph-reply";
import type { GraphHttpRequest, GraphReply, GraphTransport } from "@/lib/graph/graph-transport";
import type { MailboxLimiter, ReleaseSlot } from "@/lib/graph/mailbox-limiter";

export interface InnerRequest {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  /** Relative to the version: "/users/{id}/...". */
  url: string;
  /** JSON text of the body (an object), sent with Content-Type: application/json. */
  body?: string;
}

export interface SchedulerOptions {
  maxBatchRequests: number;
  maxBatchBytes: number;
  /** Bodies above this are sent on their own, not inside a batch. */
  maxBatchedBodyBytes: number;
  /** HTTP requests ($batch or direct) in flight at once. */
  maxRequestsInFlight: number;
  requestTimeoutMs: number;
}

export interface SchedulerStats {
  batches: number;
  innerRequests: number;
  directRequests: number;
  largestBatch: number;
}

export interface GraphScheduler {
  /** One request for a mailbox, batched with others. Rejects only with a tenant-wide AppError. */
  send(mailboxKey: string, request: InnerRequest): Promise<GraphReply>;
  /** One request for a mailbox sent on its own (upload PUTs, large bodies), still holding a mailbox slot. */
  sendDirect(mailboxKey: string, request: GraphHttpRequest): Promise<GraphReply>;
  stats(): SchedulerStats;
}

interface Pending {
  request: InnerRequest;
  bytes: number;
  release: ReleaseSlot;
  resolve: (reply: GraphReply) => void;
  reject: (error: unknown) => void;
}

const BATCH_OVERHEAD_BYTES = 200;

export function createBatchScheduler(transport: GraphTransport, limiter: MailboxLimiter, options: SchedulerOptions): GraphScheduler {
  const ready: Pending[] = [];
  const httpWaiters: (() => void)[] = [];
  let inFlight = 0;
  let flushScheduled = false;
  const stats: SchedulerStats = { batches: 0, innerRequests: 0, directRequests: 0, largestBatch: 0 };

  const scheduleFlush = (): void => {
    if (flushScheduled || ready.length === 0) return;
    flushScheduled = true;
    // setImmediate, not a microtask: lets every request released by the last answer join this batch.
    setImmediate(flush);
  };

  const finishHttp = (): void => {
    inFlight -= 1;
    const next = httpWaiters.shift();
    if (next) {
      inFlight += 1;
      next();
    }
    scheduleFlush();
  };

  function flush(): void {
    flushScheduled = false;
    while (ready.length > 0 && inFlight < options.maxRequestsInFlight) {
      const batch: Pending[] = [];
      let bytes = 0;
      while (ready.length > 0 && batch.length < options.maxBatchRequests) {
        const next = ready[0] as Pending;
        if (batch.length > 0 && bytes + next.bytes > options.maxBatchBytes) break;
        batch.push(next);
        bytes += next.bytes;
        ready.shift();
      }
      inFlight += 1;
      void runBatch(batch).finally(finishHttp);
    }
  }

  async function runBatch(batch: Pending[]): Promise<void> {
    stats.batches += 1;
    stats.innerRequests += batch.length;
    stats.largestBatch = Math.max(stats.largestBatch, batch.length);
    const parts = batch.map((p, index) => innerJson(String(index + 1), p.request));
    let outcome: GraphReply[] | AppError;
    try {
      const reply = await transport.send({
        method: "POST",
        url: "/$batch",
        body: `{"requests":[${parts.join(",")}]}`,
        headers: { "Content-Type": "application/json" },
        timeoutMs: options.requestTimeoutMs,
      });
      outcome = splitBatchReply(reply, batch.length);
    } catch (error) {
      outcome = error instanceof AppError ? error : new AppError("destination_failed", `Microsoft Graph request failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    batch.forEach((pending, index) => {
      pending.release();
      if (outcome instanceof AppError) pending.reject(outcome);
      else pending.resolve(outcome[index] ?? { kind: "lost", detail: "the $batch answer had no response for this request" });
    });
  }

  const acquireHttp = (): Promise<void> => {
    if (inFlight < options.maxRequestsInFlight) {
      inFlight += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => httpWaiters.push(resolve));
  };

  const sendDirect = async (mailboxKey: string, request: GraphHttpRequest): Promise<GraphReply> => {
    const release = await limiter.acquire(mailboxKey);
    try {
      await acquireHttp();
      stats.directRequests += 1;
      try {
        return await transport.send(request);
      } finally {
        finishHttp();
      }
    } finally {
      release();
    }
  };

  return {
    async send(mailboxKey, request) {
      const bytes = (request.body === undefined ? 0 : Buffer.byteLength(request.body)) + request.url.length + BATCH_OVERHEAD_BYTES;
      if (bytes > options.maxBatchedBodyBytes) {
        return sendDirect(mailboxKey, {
          method: request.method,
          url: request.url,
          body: request.body,
          headers: request.body === undefined ? undefined : { "Content-Type": "application/json" },
          timeoutMs: options.requestTimeoutMs,
        });
      }
      const release = await limiter.acquire(mailboxKey);
      return new Promise<GraphReply>((resolve, reject) => {
        ready.push({ request, bytes, release, resolve, reject });
        scheduleFlush();
      });
    },
    sendDirect,
    stats: () => ({ ...stats }),
  };
}

/** The inner request as JSON; the body text is spliced in as is (it is already JSON). */
function innerJson(id: string, request: InnerRequest): string {
  const head = JSON.stringify({ id, method: request.method, url: request.url, ...(request.body === undefined ? {} : { headers: { "Content-Type": "application/json" } }) });
  return request.body === undefined ? head : `${head.slice(0, -1)},"body":${request.body}}`;
}

/** One reply per inner request, in order. Throws the tenant-wide failures. */
function splitBatchReply(reply: GraphReply, count: number): GraphReply[] {
  if (reply.kind === "lost") return Array.from({ length: count }, () => reply);
  if (isAccessFailure(reply)) throw accessFailureError(reply, "the request");
  if (reply.status !== 200) {
    // 429/503: nothing ran, each request retries on its own. 5xx: unknown what ran.
    const each: GraphReply = reply.status >= 500 && reply.status !== 503 ? { kind: "lost", detail: `$batch answered ${reply.status}` } : reply;
    return Array.from({ length: count }, () => each);
  }
  const responses = typeof reply.body === "object" && reply.body !== null ? (reply.body as { responses?: unknown }).responses : undefined;
  const out: GraphReply[] = Array.from({ length: count }, () => ({ kind: "lost", detail: "the $batch answer had no response for this request" }));
  if (!Array.isArray(responses)) return out;
  for (const raw of responses as unknown[]) {
    if (typeof raw !== "object" || raw === null) continue;
    const { id, status, headers, body } = raw as { id?: unknown; status?: unknown; headers?: unknown; body?: unknown };
    const index = typeof id === "string" ? Number(id) - 1 : -1;
    if (!Number.isInteger(index) || index < 0 || index >= count || typeof status !== "number") continue;
    out[index] = { kind: "response", status, headers: lowerCaseHeaders(headers), body };
  }
  return out;
}

function lowerCaseHeaders(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof headers !== "object" || headers === null) return out;
  for (const [key, value] of Object.entries(headers)) if (typeof value === "string") out[key.toLowerCase()] = value;
  return out;
}
