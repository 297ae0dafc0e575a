// npm run bench:deliver — throughput of the Microsoft 365 destination against the Graph
// emulator with Graph's documented Outlook limits ON (4 concurrent requests and 10,000
// requests per 10 minutes per app + mailbox) and an assumed Exchange service time per
// request. Prints items/second and how much of the per-mailbox limits that uses.
//
// BENCH_ITEMS (default 20,000), BENCH_MAILBOXES (default 20), BENCH_SERVICE_MS (default 50).
import { buildGraphMessage } from "@/lib/email/build-graph-message";
import { sampleChatItem } from "@/lib/email/__fixtures__/sample-chat-item";
import { createGraphDestination } from "@/lib/graph";
import { itemKeyOf } from "@/lib/ice-chat";
import type { DeliveryTask } from "@/lib/delivery/destination";
import { DEFAULT_LIMITS, emulatorCredentialOptions, emulatorMiddlewareChain, startGraphEmulator } from "@/tests/support/graph-emulator";

const ITEMS = Number(process.env.BENCH_ITEMS ?? 20_000);
const MAILBOXES = Number(process.env.BENCH_MAILBOXES ?? 20);
const SERVICE_MS = Number(process.env.BENCH_SERVICE_MS ?? 50);
/** Items handed to deliver() per call, as the delivery engine would. */
const CHUNK = 250;
const DEADLINE_MS = 170_000;

function tasksFor(mailbox: number, count: number): DeliveryTask[] {
  return Array.from({ length: count }, (_, i) => {
    const item = sampleChatItem({ conversationId: `c-bench-${mailbox}`, messageId: `m-${i}`, timestamp: new Date(Date.UTC(2026, 0, 5, 9) + i * 1000), content: `bench message ${i}`, attachments: [] });
    const built = buildGraphMessage(item, { firmCode: "BENCH01" });
    return {
      mayExist: false,
      item: {
        itemKey: itemKeyOf(item), destinationKey: built.itemKey, internetMessageId: built.message.internetMessageId, itemId: item.messageId,
        conversationId: item.conversationId, senderImId: item.sender.imId, timestamp: item.timestamp.toISOString(), mailboxes: [], unmapped: [],
        body: JSON.stringify(built.message), deferredAttachments: [],
      },
    };
  });
}

async function main(): Promise<void> {
  const deadline = setTimeout(() => {
    console.error(`bench:deliver did not finish within ${DEADLINE_MS / 1000} s`);
    process.exit(1);
  }, DEADLINE_MS);
  deadline.unref();

  const users = Array.from({ length: MAILBOXES }, (_, i) => ({ userPrincipalName: `trader${i}@bench.example` }));
  const emulator = await startGraphEmulator({ users, limits: { ...DEFAULT_LIMITS, serviceTimeMs: SERVICE_MS } });
  const limits = DEFAULT_LIMITS;
  console.log(`Graph emulator limits: ${limits.maxConcurrentPerMailbox} concurrent requests and ${limits.requestBudgetPerWindow} requests per ${limits.budgetWindowMs / 60_000} min per mailbox; $batch of ${limits.maxBatchRequests}.`);
  console.log(`Assumption: every mailbox request takes ${SERVICE_MS} ms on the service side (Exchange Online latency), plus local HTTPS.`);
  const perMailbox = Math.ceil(ITEMS / MAILBOXES);
  const work = users.map((_, m) => tasksFor(m, perMailbox));

  const destination = createGraphDestination(
    { tenantId: emulator.tenantId, clientId: emulator.clientId, clientSecret: emulator.clientSecret, authorityHost: emulator.authorityHost, graphBaseUrl: emulator.baseUrl },
    { credentialOptions: emulatorCredentialOptions(emulator), middleware: (auth) => emulatorMiddlewareChain(auth, emulator.caPem, { retry: false }) },
  );
  // Mailbox checks happen before delivery in a run; keep them out of the measurement.
  await Promise.all(users.map((u) => destination.checkMailbox(u.userPrincipalName)));
  const before = emulator.stats();
  const ours = destination.stats();

  const started = process.hrtime.bigint();
  let delivered = 0;
  const results = await Promise.all(
    users.map(async (u, m) => {
      const tasks = work[m] ?? [];
      for (let i = 0; i < tasks.length; i += CHUNK) {
        const outcomes = await destination.deliver(u.userPrincipalName, tasks.slice(i, i + CHUNK));
        for (const o of outcomes.values()) if (o.status === "imported") delivered += 1;
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  void results;
  const after = emulator.stats();
  const sched = destination.stats();
  const requests = after.requests - before.requests;
  const batches = sched.batches - ours.batches;
  const inner = sched.innerRequests - ours.innerRequests;
  const mailboxRequests = Object.values(after.requestsPerMailbox).reduce((a, b) => a + b, 0) - Object.values(before.requestsPerMailbox).reduce((a, b) => a + b, 0);
  const perMailboxRate = mailboxRequests / MAILBOXES / seconds;
  // The most a mailbox can take: its 4 slots each busy for SERVICE_MS per request.
  const ceiling = limits.maxConcurrentPerMailbox * (1000 / SERVICE_MS);
  const budgetRate = limits.requestBudgetPerWindow / (limits.budgetWindowMs / 1000);
  const stored = users.reduce((n, u) => n + emulator.messagesOf(u.userPrincipalName, "ICE Chat").length, 0);

  console.log("");
  console.log(`delivered ${delivered} of ${perMailbox * MAILBOXES} items (${stored} stored) into ${MAILBOXES} mailboxes in ${seconds.toFixed(1)} s`);
  console.log(`throughput: ${(delivered / seconds).toFixed(0)} items/s overall, ${(delivered / seconds / MAILBOXES).toFixed(1)} items/s per mailbox`);
  console.log(`requests: ${requests} HTTP requests to Graph, ${batches} $batch calls carrying ${inner} requests (mean ${(inner / Math.max(1, batches)).toFixed(1)}, largest ${sched.largestBatch})`);
  console.log(`concurrency: peak ${Math.max(...Object.values(after.maxConcurrencyPerMailbox))} of ${limits.maxConcurrentPerMailbox} per mailbox; utilisation ${((100 * perMailboxRate) / ceiling).toFixed(0)}% of the ${ceiling.toFixed(0)} requests/s that 4 slots x ${SERVICE_MS} ms allow`);
  console.log(`budget: ${perMailboxRate.toFixed(1)} requests/s per mailbox = ${((100 * perMailboxRate) / budgetRate).toFixed(0)}% of Graph's ${budgetRate.toFixed(1)}/s sustained budget (10,000 per 10 min); our own cap is ${destination.limits.requestBudget} per window, so a long run settles at ${((100 * destination.limits.requestBudget) / limits.requestBudgetPerWindow).toFixed(0)}% of it`);
  console.log(`throttled (429) by the emulator: ${after.throttled429 - before.throttled429}`);
  console.log(JSON.stringify({ items: delivered, mailboxes: MAILBOXES, serviceTimeMs: SERVICE_MS, seconds: Number(seconds.toFixed(2)), itemsPerSecond: Math.round(delivered / seconds), meanBatch: Number((inner / Math.max(1, batches)).toFixed(1)), concurrencyUtilisation: Number((perMailboxRate / ceiling).toFixed(2)), budgetUse: Number((perMailboxRate / budgetRate).toFixed(2)), throttled429: after.throttled429 - before.throttled429 }));
  await destination.close();
  await emulator.stop();
  if (delivered !== perMailbox * MAILBOXES) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
