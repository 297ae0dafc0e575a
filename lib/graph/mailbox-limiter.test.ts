import { afterEach, describe, expect, it, vi } from "vitest";
import { createMailboxLimiter, type ReleaseSlot } from "@/lib/graph/mailbox-limiter";

afterEach(() => {
  vi.useRealTimers();
});

function track(promise: Promise<ReleaseSlot>): { release: () => ReleaseSlot | undefined } {
  let value: ReleaseSlot | undefined;
  void promise.then((r) => (value = r));
  return { release: () => value };
}

describe("createMailboxLimiter", () => {
  it("admits at most maxConcurrent per mailbox, first come first served, mailboxes independent", async () => {
    const limiter = createMailboxLimiter({ maxConcurrent: 2, budget: 100, windowMs: 1000 });
    const a = [track(limiter.acquire("a")), track(limiter.acquire("a")), track(limiter.acquire("a")), track(limiter.acquire("a"))];
    const b = track(limiter.acquire("b"));
    await Promise.resolve();
    expect(a.map((t) => t.release() !== undefined)).toEqual([true, true, false, false]);
    expect(b.release()).toBeDefined();
    expect(limiter.activeOf("a")).toBe(2);
    a[1]!.release()!();
    a[1]!.release()!(); // releasing twice frees one slot only
    await Promise.resolve();
    expect(a.map((t) => t.release() !== undefined)).toEqual([true, true, true, false]);
    expect(limiter.activeOf("a")).toBe(2);
    limiter.close();
  });

  it("waits for the sliding window when the budget is spent, counting linked aliases", async () => {
    vi.useFakeTimers();
    const limiter = createMailboxLimiter({ maxConcurrent: 10, budget: 3, windowMs: 1000 });
    (await limiter.acquire("alice@contoso.com"))();
    limiter.link("alice@contoso.com", "id-1");
    (await limiter.acquire("id-1"))();
    (await limiter.acquire("id-1"))();
    const fourth = track(limiter.acquire("alice@contoso.com"));
    await vi.advanceTimersByTimeAsync(500);
    expect(fourth.release()).toBeUndefined();
    await vi.advanceTimersByTimeAsync(600);
    expect(fourth.release()).toBeDefined();
    expect(limiter.activeOf("id-1")).toBe(1);
    limiter.close();
  });
});
