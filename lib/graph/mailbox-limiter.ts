// Graph's Outlook limits, enforced on our side per mailbox: at most N requests in flight
// and at most B requests per sliding window. A request's window entry is stamped when its
// answer arrives, which is never earlier than Graph's own stamp, so our window cannot
// expire before Graph's does. Waiters are served first come, first served.

export interface MailboxLimiterOptions {
  maxConcurrent: number;
  budget: number;
  windowMs: number;
  now?: () => number;
}

export type ReleaseSlot = () => void;

interface MailboxGate {
  active: number;
  /** Answer times of finished requests, oldest first, from index `head`. */
  finished: number[];
  head: number;
  waiters: (() => void)[];
  timer: NodeJS.Timeout | undefined;
}

export interface MailboxLimiter {
  acquire(mailboxKey: string): Promise<ReleaseSlot>;
  /**
   * From now on `alias` (e.g. the address used to look the user up) counts against the
   * same limits as `mailboxKey` (the user id), including the requests it already made.
   */
  link(alias: string, mailboxKey: string): void;
  /** Requests in flight for a mailbox (for tests and metrics). */
  activeOf(mailboxKey: string): number;
  close(): void;
}

export function createMailboxLimiter(options: MailboxLimiterOptions): MailboxLimiter {
  const now = options.now ?? Date.now;
  const gates = new Map<string, MailboxGate>();
  const aliases = new Map<string, string>();

  const gateOf = (requested: string): MailboxGate => {
    const key = aliases.get(requested) ?? requested;
    let gate = gates.get(key);
    if (!gate) {
      gate = { active: 0, finished: [], head: 0, waiters: [], timer: undefined };
      gates.set(key, gate);
    }
    return gate;
  };

  const usedBudget = (gate: MailboxGate, at: number): number => {
    while (gate.head < gate.finished.length && (gate.finished[gate.head] ?? 0) <= at - options.windowMs) gate.head += 1;
    if (gate.head > 1024) {
      gate.finished = gate.finished.slice(gate.head);
      gate.head = 0;
    }
    return gate.active + gate.finished.length - gate.head;
  };

  const pump = (key: string, gate: MailboxGate): void => {
    while (gate.waiters.length > 0 && gate.active < options.maxConcurrent) {
      const at = now();
      if (usedBudget(gate, at) >= options.budget) {
        // The budget is spent: wake up when the oldest finished request leaves the window.
        const oldest = gate.finished[gate.head];
        if (oldest !== undefined && !gate.timer) {
          gate.timer = setTimeout(() => {
            gate.timer = undefined;
            pump(key, gate);
          }, Math.max(1, oldest + options.windowMs - at + 1));
        }
        return;
      }
      gate.active += 1;
      gate.waiters.shift()?.();
    }
  };

  const releaseFor = (key: string, gate: MailboxGate): ReleaseSlot => {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      gate.active -= 1;
      gate.finished.push(now());
      pump(key, gate);
    };
  };

  return {
    link(alias, mailboxKey) {
      if (alias === mailboxKey || aliases.has(alias)) return;
      const from = gates.get(alias);
      const into = gateOf(mailboxKey);
      aliases.set(alias, mailboxKey);
      if (!from || from.active > 0 || from.waiters.length > 0) return;
      gates.delete(alias);
      if (from.timer) clearTimeout(from.timer);
      into.finished = [...into.finished.slice(into.head), ...from.finished.slice(from.head)].sort((a, b) => a - b);
      into.head = 0;
    },
    acquire(mailboxKey) {
      const gate = gateOf(mailboxKey);
      return new Promise<ReleaseSlot>((resolve) => {
        gate.waiters.push(() => resolve(releaseFor(mailboxKey, gate)));
        pump(mailboxKey, gate);
      });
    },
    activeOf(mailboxKey) {
      return gates.get(aliases.get(mailboxKey) ?? mailboxKey)?.active ?? 0;
    },
    close() {
      for (const gate of gates.values()) {
        if (gate.timer) clearTimeout(gate.timer);
        gate.timer = undefined;
      }
    },
  };
}
