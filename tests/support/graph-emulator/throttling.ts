// Outlook's per app + mailbox limits: concurrent requests (4) and a request budget per
// sliding window (10,000 per 10 minutes). The highest concurrency a client ATTEMPTED is
// recorded, so a test can assert the client itself never went above the limit.

import type { EmulatorState } from "./emulator-state";
import { graphError } from "./graph-error";
import type { GraphResult } from "./types";

export type Admission = { ok: true; release: () => void } | { ok: false; result: GraphResult };

function throttled(state: EmulatorState, mailboxKey: string, retryAfterSeconds: number, message: string): Admission {
  state.stats.throttled429 += 1;
  state.stats.throttled429PerMailbox[mailboxKey] = (state.stats.throttled429PerMailbox[mailboxKey] ?? 0) + 1;
  return { ok: false, result: graphError(429, "ApplicationThrottled", message, { "retry-after": String(Math.max(1, retryAfterSeconds)) }) };
}

export function admitMailboxRequest(state: EmulatorState, mailboxKey: string): Admission {
  const { limits, stats } = state;
  stats.requestsPerMailbox[mailboxKey] = (stats.requestsPerMailbox[mailboxKey] ?? 0) + 1;
  const inFlight = state.inFlight.get(mailboxKey) ?? 0;
  stats.maxConcurrencyPerMailbox[mailboxKey] = Math.max(stats.maxConcurrencyPerMailbox[mailboxKey] ?? 0, inFlight + 1);

  if (limits.requestBudgetPerWindow > 0) {
    const now = Date.now();
    const log = (state.budgetLog.get(mailboxKey) ?? []).filter((t) => t > now - limits.budgetWindowMs);
    state.budgetLog.set(mailboxKey, log);
    if (log.length >= limits.requestBudgetPerWindow) {
      const oldest = log[0] ?? now;
      return throttled(state, mailboxKey, Math.ceil((oldest + limits.budgetWindowMs - now) / 1000), "Application is over its MailboxRequestBudget limit.");
    }
  }
  if (limits.maxConcurrentPerMailbox > 0 && inFlight >= limits.maxConcurrentPerMailbox) {
    return throttled(state, mailboxKey, limits.concurrencyRetryAfterSeconds, "Application is over its MailboxConcurrency limit.");
  }
  if (limits.requestBudgetPerWindow > 0) state.budgetLog.get(mailboxKey)?.push(Date.now());
  state.inFlight.set(mailboxKey, inFlight + 1);
  let released = false;
  return {
    ok: true,
    release: () => {
      if (released) return;
      released = true;
      state.inFlight.set(mailboxKey, Math.max(0, (state.inFlight.get(mailboxKey) ?? 1) - 1));
    },
  };
}
