// Fault injection driven by a seeded PRNG (never Math.random), so a failing run replays.

import type { EmulatorState } from "./emulator-state";
import { graphError } from "./graph-error";
import type { EmulatorFaults, GraphResult } from "./types";

export interface FaultRandom {
  next(): number;
}

/** mulberry32: small, fast, good enough to pick which requests fail. */
export function createFaultRandom(seed: number | string | undefined): FaultRandom {
  let h = 0x9e3779b9;
  const text = String(seed ?? "graph-emulator");
  for (let i = 0; i < text.length; i += 1) h = Math.imul(h ^ text.charCodeAt(i), 0x85ebca6b) >>> 0;
  let a = h;
  return {
    next() {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}

export interface FaultInjector {
  random: FaultRandom;
}

export function createFaultInjector(faults: EmulatorFaults): FaultInjector {
  return { random: createFaultRandom(faults.seed) };
}

/** A transient failure answered INSTEAD of running the request (nothing is stored). */
export function injectPreFault(state: EmulatorState, injector: FaultInjector): GraphResult | null {
  const f = state.faults;
  if ((f.throttleRate ?? 0) > 0 && injector.random.next() < (f.throttleRate ?? 0)) {
    state.stats.faultsInjected.throttle += 1;
    state.stats.throttled429 += 1;
    return graphError(429, "ApplicationThrottled", "Application is over its MailboxConcurrency limit.", { "retry-after": "1" });
  }
  if ((f.serviceUnavailableRate ?? 0) > 0 && injector.random.next() < (f.serviceUnavailableRate ?? 0)) {
    state.stats.faultsInjected.serviceUnavailable += 1;
    return graphError(503, "ServiceUnavailable", "The service is temporarily unavailable. Please try again later.", { "retry-after": "1" });
  }
  if ((f.gatewayTimeoutRate ?? 0) > 0 && injector.random.next() < (f.gatewayTimeoutRate ?? 0)) {
    state.stats.faultsInjected.gatewayTimeout += 1;
    return graphError(504, "GatewayTimeout", "The gateway did not receive a timely response from the upstream server.");
  }
  return null;
}

/** Called after a message WAS stored: decides whether the client never hears about it. */
export function loseCreateResponse(state: EmulatorState, injector: FaultInjector, result: GraphResult): GraphResult {
  state.messageCreates += 1;
  const f = state.faults;
  const byOrdinal = f.lostCreateOrdinals?.includes(state.messageCreates) ?? false;
  const byRate = (f.lostCreateRate ?? 0) > 0 && injector.random.next() < (f.lostCreateRate ?? 0);
  if (!byOrdinal && !byRate) return result;
  state.stats.faultsInjected.lostResponses += 1;
  if (f.lostResponseMode === "504") return graphError(504, "GatewayTimeout", "The gateway did not receive a timely response from the upstream server.");
  return { status: 0, drop: true };
}

export function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
