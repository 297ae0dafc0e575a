import { describe, expect, it } from "vitest";
import { isAmbiguous, isNotCarriedOut, parseRetryAfter, retryDelayMs } from "@/lib/graph/retry-policy";
import type { GraphReply } from "@/lib/graph/graph-transport";

const options = { backoffBaseMs: 1000, backoffMaxMs: 8000, maxRetryAfterMs: 60_000, random: () => 0 };
const reply = (status: number, headers: Record<string, string> = {}): GraphReply => ({ kind: "response", status, headers, body: undefined });

describe("retry policy", () => {
  it("reads Retry-After as seconds or an HTTP date, and ignores garbage", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(parseRetryAfter("7", now)).toBe(7000);
    expect(parseRetryAfter(" 1.5 ", now)).toBe(1500);
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfter("Wed, 31 Dec 2025 23:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter("-3", now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it("prefers Retry-After (capped), else backs off exponentially with jitter up to the cap", () => {
    expect(retryDelayMs(reply(429, { "retry-after": "3" }), 1, options)).toBe(3000);
    expect(retryDelayMs(reply(429, { "retry-after": "99999" }), 1, options)).toBe(60_000);
    expect(retryDelayMs(reply(503), 1, options)).toBe(500);
    expect(retryDelayMs(reply(503), 3, options)).toBe(2000);
    expect(retryDelayMs({ kind: "lost", detail: "reset" }, 30, options)).toBe(4000);
    expect(retryDelayMs(reply(503), 3, { ...options, random: () => 0.999 })).toBeLessThanOrEqual(4000);
  });

  it("tells throttling (nothing happened) from ambiguous failures (something may have)", () => {
    expect(isNotCarriedOut(reply(429))).toBe(true);
    expect(isNotCarriedOut(reply(503))).toBe(true);
    expect(isNotCarriedOut(reply(504))).toBe(false);
    expect(isAmbiguous(reply(504))).toBe(true);
    expect(isAmbiguous(reply(500))).toBe(true);
    expect(isAmbiguous(reply(503))).toBe(false);
    expect(isAmbiguous(reply(400))).toBe(false);
    expect(isAmbiguous({ kind: "lost", detail: "timeout" })).toBe(true);
  });
});
