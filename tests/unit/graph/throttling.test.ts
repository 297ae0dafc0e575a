import { describe, expect, it } from "vitest";
import type { GraphEmulator } from "@/tests/support/graph-emulator";
import { copiesByItemKey, emulatorDestination, QUICK_RETRIES, statusCounts, tasksFor, registerGraphEmulator } from "./graph-test-support";

let emulator: GraphEmulator;
const USERS = Array.from({ length: 6 }, (_, i) => ({ userPrincipalName: `trader${i}@contoso.com` }));
const ADDRESSES = USERS.map((u) => u.userPrincipalName);

registerGraphEmulator(USERS, (started) => (emulator = started));

describe("Graph limits enforced on our side", () => {
  it("never has more than 4 requests in flight per mailbox under heavy parallel load, and is never throttled", async () => {
    // Default service time (15 ms per request): requests really overlap.
    const destination = emulatorDestination(emulator);
    const results = await Promise.all(
      ADDRESSES.flatMap((address, m) => [
        // Two concurrent deliver() calls per mailbox must share its 4 slots.
        destination.deliver(address, tasksFor(60, { offset: m * 1000 })),
        destination.deliver(address, tasksFor(60, { offset: m * 1000 + 500 })),
      ]),
    );
    for (const outcomes of results) expect(statusCounts(outcomes)).toEqual({ imported: 60 });
    const stats = emulator.stats();
    for (const address of ADDRESSES) expect(copiesByItemKey(emulator, address).size).toBe(120);
    const peaks = Object.values(stats.maxConcurrencyPerMailbox);
    expect(peaks).toHaveLength(ADDRESSES.length);
    expect(Math.max(...peaks)).toBeLessThanOrEqual(4);
    // Not trivially sequential either: the slots were used.
    expect(Math.max(...peaks)).toBeGreaterThanOrEqual(3);
    expect(stats.throttled429).toBe(0);
    expect(destination.stats().largestBatch).toBeGreaterThan(4);
    await destination.close();
  });

  it("waits when the per-mailbox request budget is spent instead of being throttled", async () => {
    const window = { requestBudgetPerWindow: 25, budgetWindowMs: 1_200, serviceTimeMs: 1 };
    emulator.setLimits(window);
    const destination = emulatorDestination(emulator, { requestBudget: 25, budgetWindowMs: 1_200 });
    const outcomes = await Promise.all([destination.deliver(ADDRESSES[0]!, tasksFor(40)), destination.deliver(ADDRESSES[1]!, tasksFor(40, { offset: 100 }))]);
    for (const o of outcomes) expect(statusCounts(o)).toEqual({ imported: 40 });
    const stats = emulator.stats();
    // 43 requests per mailbox (user, folder lookup, folder create, 40 creates) over a 25-request window.
    expect(stats.requestsPerMailbox[emulator.users()[0]!.id]).toBe(43);
    expect(stats.throttled429).toBe(0);
    expect(copiesByItemKey(emulator, ADDRESSES[0]!).size).toBe(40);
    await destination.close();
  });

  it("honours Graph's 429 Retry-After when another client shares the budget, losing nothing", async () => {
    emulator.setLimits({ requestBudgetPerWindow: 20, budgetWindowMs: 1_000, serviceTimeMs: 1 });
    // Our side believes it has more budget than Graph gives: Graph throttles, we wait and retry.
    const destination = emulatorDestination(emulator, { ...QUICK_RETRIES, requestBudget: 1_000 });
    const outcomes = await destination.deliver(ADDRESSES[2]!, tasksFor(30));
    expect(statusCounts(outcomes)).toEqual({ imported: 30 });
    expect(emulator.stats().throttled429).toBeGreaterThan(0);
    const copies = copiesByItemKey(emulator, ADDRESSES[2]!);
    expect(copies.size).toBe(30);
    expect([...copies.values()].every((n) => n === 1)).toBe(true);
    await destination.close();
  });
});

describe("injected faults at scale", () => {
  it("stores every one of 10,800 deliveries exactly once despite 10% 429/503/504 and 3% lost create answers", { timeout: 180_000 }, async () => {
    emulator.setLimits({ serviceTimeMs: 1 });
    emulator.setFaults({ seed: 7, throttleRate: 0.04, serviceUnavailableRate: 0.03, gatewayTimeoutRate: 0.03, lostCreateRate: 0.03 });
    const destination = emulatorDestination(emulator, QUICK_RETRIES);
    const perMailbox = 1_800;
    // Each mailbox gets its items in several deliver() calls, as a run hands them over.
    const calls = ADDRESSES.flatMap((address, m) =>
      [0, 1, 2].map((part) => destination.deliver(address, tasksFor(perMailbox / 3, { offset: m * 10_000 + part * (perMailbox / 3) }))),
    );
    const results = await Promise.all(calls);
    const all = results.flatMap((r) => [...r.values()]);
    expect(all).toHaveLength(perMailbox * ADDRESSES.length);
    expect(all.every((o) => o.status === "imported")).toBe(true);
    const stats = emulator.stats();
    expect(stats.faultsInjected.lostResponses).toBeGreaterThan(50);
    expect(stats.faultsInjected.throttle + stats.faultsInjected.serviceUnavailable + stats.faultsInjected.gatewayTimeout).toBeGreaterThan(500);
    for (const [m, address] of ADDRESSES.entries()) {
      const copies = copiesByItemKey(emulator, address);
      expect(copies.size, address).toBe(perMailbox);
      const expected = tasksFor(perMailbox, { offset: m * 10_000 }).map((t) => t.item.destinationKey);
      expect(expected.every((key) => copies.get(key) === 1), address).toBe(true);
    }
    expect(Math.max(...Object.values(stats.maxConcurrencyPerMailbox))).toBeLessThanOrEqual(4);
    await destination.close();
  });
});
