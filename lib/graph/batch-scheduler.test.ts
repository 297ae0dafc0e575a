import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { createBatchScheduler } from "@/lib/graph/batch-scheduler";
import type { GraphHttpRequest, GraphReply, GraphTransport } from "@/lib/graph/graph-transport";
import { createMailboxLimiter } from "@/lib/graph/mailbox-limiter";

const OPTIONS = { maxBatchRequests: 20, maxBatchBytes: 100_000, maxBatchedBodyBytes: 10_000, maxRequestsInFlight: 4, requestTimeoutMs: 1000 };

function fakeTransport(answer: (request: GraphHttpRequest, parsed: { requests: { id: string; url: string; body?: unknown }[] }) => GraphReply): GraphTransport & { sent: GraphHttpRequest[] } {
  const sent: GraphHttpRequest[] = [];
  return {
    sent,
    async send(request) {
      sent.push(request);
      const parsed = request.url === "/$batch" ? (JSON.parse(String(request.body)) as { requests: { id: string; url: string }[] }) : { requests: [] };
      await new Promise((r) => setImmediate(r));
      return answer(request, parsed);
    },
  };
}

const ok = (parsed: { requests: { id: string }[] }): GraphReply => ({
  kind: "response",
  status: 200,
  headers: {},
  body: { responses: parsed.requests.map((r) => ({ id: r.id, status: 201, headers: { "Content-Type": "application/json" }, body: { id: `msg-${r.id}` } })) },
});

describe("createBatchScheduler", () => {
  it("packs requests of several mailboxes into batches of at most 20, at most 4 per mailbox at once", async () => {
    const transport = fakeTransport((_, parsed) => ok(parsed));
    const limiter = createMailboxLimiter({ maxConcurrent: 4, budget: 1000, windowMs: 60_000 });
    const scheduler = createBatchScheduler(transport, limiter, OPTIONS);
    const replies = await Promise.all(
      Array.from({ length: 8 }, (_, m) => Array.from({ length: 10 }, (_, i) => scheduler.send(`mbx${m}`, { method: "POST", url: `/users/mbx${m}/messages`, body: JSON.stringify({ subject: `s${i}`, quote: "a\"b" }) }))).flat(),
    );
    expect(replies.every((r) => r.kind === "response" && r.status === 201)).toBe(true);
    const batches = transport.sent.map((r) => JSON.parse(String(r.body)) as { requests: { url: string; headers?: Record<string, string>; body?: { quote: string } }[] });
    expect(Math.max(...batches.map((b) => b.requests.length))).toBeLessThanOrEqual(20);
    for (const batch of batches) {
      const perMailbox = new Map<string, number>();
      for (const r of batch.requests) perMailbox.set(r.url.split("/")[2]!, (perMailbox.get(r.url.split("/")[2]!) ?? 0) + 1);
      expect(Math.max(...perMailbox.values())).toBeLessThanOrEqual(4);
      expect(batch.requests.every((r) => r.headers?.["Content-Type"] === "application/json" && r.body?.quote === "a\"b")).toBe(true);
    }
    expect(scheduler.stats().innerRequests).toBe(80);
    expect(scheduler.stats().largestBatch).toBe(20);
    limiter.close();
  });

  it("treats a garbled or incomplete batch answer as lost, a 5xx as lost, a 429 as each request's own", async () => {
    let answer: GraphReply = { kind: "response", status: 200, headers: {}, body: { responses: [{ id: "1", status: 201, body: {} }, { id: "bogus", status: 201 }, "junk", { id: "2" }] } };
    const transport = fakeTransport(() => answer);
    const limiter = createMailboxLimiter({ maxConcurrent: 4, budget: 1000, windowMs: 60_000 });
    const scheduler = createBatchScheduler(transport, limiter, OPTIONS);
    const send = () => scheduler.send("m", { method: "GET", url: "/users/m" });
    const first = await Promise.all([send(), send()]);
    expect(first.map((r) => (r.kind === "response" ? r.status : r.kind))).toEqual([201, "lost"]);
    answer = { kind: "response", status: 200, headers: {}, body: "<html>proxy error</html>" };
    expect((await send()).kind).toBe("lost");
    answer = { kind: "response", status: 502, headers: {}, body: undefined };
    expect((await send()).kind).toBe("lost");
    answer = { kind: "response", status: 429, headers: { "retry-after": "2" }, body: undefined };
    expect(await send()).toMatchObject({ kind: "response", status: 429, headers: { "retry-after": "2" } });
    answer = { kind: "response", status: 403, headers: {}, body: { error: { code: "Authorization_RequestDenied", message: "Insufficient privileges" } } };
    await expect(send()).rejects.toBeInstanceOf(AppError);
    await expect(send()).rejects.toThrow(/Mail\.ReadWrite/);
    // Slots were released every time: four more fit at once.
    expect(limiter.activeOf("m")).toBe(0);
    limiter.close();
  });

  it("sends large bodies on their own, still within the mailbox's slots", async () => {
    const transport = fakeTransport(() => ({ kind: "response", status: 201, headers: {}, body: { id: "x" } }));
    const limiter = createMailboxLimiter({ maxConcurrent: 4, budget: 1000, windowMs: 60_000 });
    const scheduler = createBatchScheduler(transport, limiter, OPTIONS);
    const reply = await scheduler.send("m", { method: "POST", url: "/users/m/messages", body: JSON.stringify({ subject: "x".repeat(20_000) }) });
    expect(reply).toMatchObject({ status: 201 });
    expect(transport.sent[0]?.url).toBe("/users/m/messages");
    expect(transport.sent[0]?.headers).toEqual({ "Content-Type": "application/json" });
    expect(scheduler.stats()).toMatchObject({ directRequests: 1, batches: 0 });
    limiter.close();
  });
});
