import { describe, expect, it } from "vitest";
import type { DeliveryTask } from "@/lib/delivery/destination";
import { createGraphDestination, type GraphDestinationConfig } from "@/lib/graph";
import { createGraphClient } from "@/lib/graph/create-graph-client";
import { createSdkTransport, type GraphHttpRequest, type GraphReply } from "@/lib/graph/graph-transport";
import type { GraphEmulator } from "@/tests/support/graph-emulator";
import {
  attachment,
  chatItem,
  copiesByItemKey,
  copiesByMessageId,
  emulatorDestination,
  emulatorMimeDestination,
  emulatorSeam,
  mimeTasksFor,
  prepareItem,
  prepareMimeItem,
  QUICK_RETRIES,
  statusCounts,
  tasksFor,
  registerGraphEmulator,
} from "./graph-test-support";

// The optional import method: items prepared as MIME (createItemPreparer format "mime") go
// through the BETA importMime action, with the real SDK against the strict emulator.
let emulator: GraphEmulator;
const USERS = Array.from({ length: 4 }, (_, i) => ({ userPrincipalName: `trader${i}@contoso.com` }));
const ADDRESSES = USERS.map((u) => u.userPrincipalName);
const ALICE = ADDRESSES[0]!;
const MB = 1024 * 1024;

registerGraphEmulator(USERS, (started) => (emulator = started), { serviceTimeMs: 2 });

/** The MIME Date header has whole seconds. */
const toSecond = (iso: string) => Math.floor(Date.parse(iso) / 1000) * 1000;

function config(): GraphDestinationConfig {
  return { tenantId: emulator.tenantId, clientId: emulator.clientId, clientSecret: emulator.clientSecret, authorityHost: emulator.authorityHost, graphBaseUrl: emulator.baseUrl, importMethod: "importMime" };
}

/** The real SDK transport, with a hook that sees (and may answer) each request first. */
function spiedDestination(intercept: (request: GraphHttpRequest) => GraphReply | undefined) {
  const seam = emulatorSeam(emulator);
  const real = createSdkTransport(createGraphClient(config(), seam).client);
  return createGraphDestination(config(), { ...seam, transport: { send: async (request) => intercept(request) ?? real.send(request) } });
}

describe("importMime delivery", () => {
  it("imports each item once into ICE Chat as a read non-draft, with the item's Message-ID, dates, headers and attachments", async () => {
    const destination = emulatorMimeDestination(emulator);
    expect(destination.format).toBe("mime");
    expect(destination.importMethod).toBe("importMime");
    const tasks = await mimeTasksFor(6);
    const withFile = { item: await prepareMimeItem(chatItem(50, { attachments: [attachment("curve.csv", 2_000)] })), mayExist: false };
    const outcomes = await destination.deliver(ALICE, [...tasks, withFile]);
    expect(statusCounts(outcomes)).toEqual({ imported: 7 });

    const stored = emulator.messagesOf(ALICE, "ICE Chat");
    expect(stored).toHaveLength(7);
    for (const { item } of [...tasks, withFile]) {
      const message = stored.find((m) => m.internetMessageId === item.internetMessageId);
      expect(message, item.itemKey).toBeDefined();
      expect(outcomes.get(item.itemKey)).toEqual({ status: "imported", destinationMessageId: message?.id });
      expect(message).toMatchObject({ isDraft: false, isRead: true, createdFromMime: true, mimeBytes: (item.body as Uint8Array).byteLength });
      expect(Date.parse(message?.sentDateTime ?? "")).toBe(toSecond(item.timestamp));
      expect(Date.parse(message?.receivedDateTime ?? "")).toBe(toSecond(item.timestamp));
      // The original MIME headers are kept (ICE ids included).
      expect(message?.internetMessageHeaders).toEqual(expect.arrayContaining([{ name: "X-ICE-MessageID", value: item.itemId }, { name: "Message-ID", value: item.internetMessageId }]));
    }
    const file = stored.find((m) => m.internetMessageId === withFile.item.internetMessageId);
    expect(file?.attachments).toEqual([expect.objectContaining({ name: "curve.csv", size: 2_000, isInline: false })]);
    // One direct request per item, none inside a $batch.
    expect(destination.stats().directRequests).toBe(7);
    await destination.close();
  });

  it("sends POST /users/{id}/mailFolders/{id}/importMime on beta, text/plain, the base64 of the prepared bytes, holding a mailbox slot", async () => {
    const seen: GraphHttpRequest[] = [];
    const destination = spiedDestination((request) => {
      seen.push(request);
      return undefined;
    });
    const tasks = await mimeTasksFor(3);
    expect(statusCounts(await destination.deliver(ALICE, tasks))).toEqual({ imported: 3 });
    const imports = seen.filter((r) => r.url.endsWith("/importMime"));
    expect(imports).toHaveLength(3);
    const folderId = emulator.mailboxes()[0]!.folders.find((f) => f.displayName === "ICE Chat")!.id;
    for (const request of imports) {
      expect(request).toMatchObject({ method: "POST", version: "beta", headers: { "Content-Type": "text/plain" } });
      expect(request.url).toBe(`/users/${encodeURIComponent(emulator.users()[0]!.id)}/mailFolders/${encodeURIComponent(folderId)}/importMime`);
    }
    expect(imports.map((r) => r.body).sort()).toEqual(tasks.map((t) => Buffer.from(t.item.body as Uint8Array).toString("base64")).sort());
    // Everything else stays on v1.0.
    expect(seen.filter((r) => !r.url.endsWith("/importMime")).every((r) => r.version === undefined)).toBe(true);
    await destination.close();
  });

  it("returns already_present for mayExist items, found by Message-ID, without a second copy", async () => {
    const tasks = await mimeTasksFor(10);
    const first = emulatorMimeDestination(emulator);
    await first.deliver(ALICE, tasks.slice(0, 6));
    await first.close();
    const second = emulatorMimeDestination(emulator);
    const retry = tasks.map((t) => ({ ...t, mayExist: true }));
    const outcomes = await second.deliver(ALICE, [...retry, retry[0]!]);
    expect(statusCounts(outcomes)).toEqual({ already_present: 6, imported: 4 });
    const copies = copiesByMessageId(emulator, ALICE);
    expect(copies.size).toBe(10);
    expect([...copies.values()].every((n) => n === 1)).toBe(true);
    await second.close();
  });

  it("never duplicates when the import method changes between runs (each method finds the other's copies)", async () => {
    // JSON first, then importMime with the ledger still showing the items pending.
    const json = emulatorDestination(emulator);
    const jsonTasks = tasksFor(4);
    await json.deliver(ALICE, jsonTasks);
    await json.close();
    const mime = emulatorMimeDestination(emulator);
    const mimeTasks = await mimeTasksFor(6, { mayExist: true });
    expect(mimeTasks.slice(0, 4).map((t) => t.item.internetMessageId)).toEqual(jsonTasks.map((t) => t.item.internetMessageId));
    expect(statusCounts(await mime.deliver(ALICE, mimeTasks))).toEqual({ already_present: 4, imported: 2 });
    await mime.close();

    // And back: the JSON method finds importMime's copies (no item-key property on them) by Message-ID.
    const back = emulatorDestination(emulator);
    const again = tasksFor(8).map((t) => ({ ...t, mayExist: true }));
    expect(statusCounts(await back.deliver(ALICE, again))).toEqual({ already_present: 6, imported: 2 });
    await back.close();
    const copies = copiesByMessageId(emulator, ALICE);
    expect(copies.size).toBe(8);
    expect([...copies.values()].every((n) => n === 1)).toBe(true);
    // Only the JSON creates carry the item-key property.
    expect(copiesByItemKey(emulator, ALICE).get("(none)")).toBe(2);
  });

  it("does not duplicate an import whose answer was lost (connection reset or 504)", async () => {
    for (const mode of ["drop", "504"] as const) {
      emulator.reset(USERS);
      emulator.setFaults({ lostCreateOrdinals: [2, 5], lostResponseMode: mode });
      const destination = emulatorMimeDestination(emulator, QUICK_RETRIES);
      const tasks = await mimeTasksFor(8);
      const outcomes = await destination.deliver(ALICE, tasks);
      expect(statusCounts(outcomes), mode).toEqual({ imported: 8 });
      expect(emulator.stats().faultsInjected.lostResponses).toBe(2);
      const stored = emulator.messagesOf(ALICE, "ICE Chat");
      const copies = copiesByMessageId(emulator, ALICE);
      expect(copies.size, mode).toBe(8);
      expect([...copies.values()].every((n) => n === 1), mode).toBe(true);
      for (const { item } of tasks) {
        const outcome = outcomes.get(item.itemKey);
        expect(outcome?.status === "imported" && stored.find((m) => m.id === outcome.destinationMessageId)?.internetMessageId).toBe(item.internetMessageId);
      }
      await destination.close();
    }
  });

  it("stores every one of 480 imports exactly once despite 429/503/504 and lost answers, never above 4 requests per mailbox", { timeout: 120_000 }, async () => {
    emulator.setLimits({ serviceTimeMs: 1 });
    emulator.setFaults({ seed: 11, throttleRate: 0.05, serviceUnavailableRate: 0.04, gatewayTimeoutRate: 0.04, lostCreateRate: 0.05 });
    const destination = emulatorMimeDestination(emulator, QUICK_RETRIES);
    const perMailbox = 120;
    const tasksByMailbox = await Promise.all(ADDRESSES.map((_, m) => mimeTasksFor(perMailbox, { offset: m * 10_000 })));
    // Each mailbox gets its items in two deliver() calls at once, as a run hands them over.
    const results = await Promise.all(
      ADDRESSES.flatMap((address, m) => [destination.deliver(address, tasksByMailbox[m]!.slice(0, perMailbox / 2)), destination.deliver(address, tasksByMailbox[m]!.slice(perMailbox / 2))]),
    );
    const all = results.flatMap((r) => [...r.values()]);
    expect(all).toHaveLength(perMailbox * ADDRESSES.length);
    expect(all.every((o) => o.status === "imported")).toBe(true);
    const stats = emulator.stats();
    expect(stats.faultsInjected.lostResponses).toBeGreaterThan(5);
    expect(stats.faultsInjected.throttle + stats.faultsInjected.serviceUnavailable + stats.faultsInjected.gatewayTimeout).toBeGreaterThan(40);
    for (const [m, address] of ADDRESSES.entries()) {
      const copies = copiesByMessageId(emulator, address);
      expect(copies.size, address).toBe(perMailbox);
      expect(tasksByMailbox[m]!.every((t) => copies.get(t.item.internetMessageId) === 1), address).toBe(true);
      expect(emulator.messagesOf(address, "ICE Chat").every((msg) => !msg.isDraft && msg.createdFromMime)).toBe(true);
    }
    const peaks = Object.values(stats.maxConcurrencyPerMailbox);
    expect(Math.max(...peaks)).toBeLessThanOrEqual(4);
    expect(Math.max(...peaks)).toBeGreaterThanOrEqual(3);
    await destination.close();
  });

  it("waits when the per-mailbox request budget is spent instead of being throttled", async () => {
    emulator.setLimits({ requestBudgetPerWindow: 15, budgetWindowMs: 1_000, serviceTimeMs: 1 });
    const destination = emulatorMimeDestination(emulator, { requestBudget: 15, budgetWindowMs: 1_000 });
    expect(statusCounts(await destination.deliver(ALICE, await mimeTasksFor(25)))).toEqual({ imported: 25 });
    const stats = emulator.stats();
    // user, folder lookup, folder create, 25 imports.
    expect(stats.requestsPerMailbox[emulator.users()[0]!.id]).toBe(28);
    expect(stats.throttled429).toBe(0);
    await destination.close();
  });

  it("fails an item whose base64 MIME is over the 4 MB request limit as ITEM_TOO_LARGE without sending it, and imports the rest", async () => {
    const destination = emulatorMimeDestination(emulator);
    // The attachment is base64 inside the MIME, and the MIME is base64 again: 2.5 MB of
    // attachment is about 3.4 MB of MIME and 4.6 MB of request body.
    const big = await prepareMimeItem(chatItem(1, { attachments: [attachment("big.bin", Math.round(2.5 * MB))] }));
    expect(Math.ceil(big.body.length / 3) * 4).toBeGreaterThan(4 * MB);
    const small = await mimeTasksFor(2, { offset: 10 });
    const outcomes = await destination.deliver(ALICE, [{ item: big, mayExist: false }, ...small]);
    const outcome = outcomes.get(big.itemKey);
    expect(outcome).toMatchObject({ status: "failed", reason: "ITEM_TOO_LARGE" });
    const detail = outcome?.status === "failed" ? outcome.detail : "";
    expect(detail).toMatch(/request limit/);
    expect(detail).toMatch(/JSON import method/);
    expect(detail).toContain(String(Math.ceil(big.body.length / 3) * 4));
    expect(statusCounts(outcomes)).toEqual({ failed: 1, imported: 2 });
    // Only the two small imports were sent; nothing of the big one is stored.
    expect(destination.stats().directRequests).toBe(2);
    expect(emulator.messagesOf(ALICE, "ICE Chat").map((m) => m.internetMessageId).sort()).toEqual(small.map((t) => t.item.internetMessageId).sort());

    // Just under the limit is imported.
    const fits = await prepareMimeItem(chatItem(2, { attachments: [attachment("fits.bin", Math.round(2.1 * MB))] }));
    expect(Math.ceil(fits.body.length / 3) * 4).toBeLessThanOrEqual(4 * MB);
    expect((await destination.deliver(ALICE, [{ item: fits, mayExist: false }])).get(fits.itemKey)?.status).toBe("imported");
    await destination.close();
  });

  it("turns a 413 from Graph into ITEM_TOO_LARGE that names the JSON method", async () => {
    // Our limit set above Graph's: Graph has the last word.
    const destination = emulatorMimeDestination(emulator, { maxRequestBodyBytes: 8 * MB });
    const big = await prepareMimeItem(chatItem(1, { attachments: [attachment("big.bin", Math.round(3.2 * MB))] }));
    const outcome = (await destination.deliver(ALICE, [{ item: big, mayExist: false }])).get(big.itemKey);
    expect(outcome).toMatchObject({ status: "failed", reason: "ITEM_TOO_LARGE" });
    expect(outcome?.status === "failed" && outcome.detail).toMatch(/413 RequestEntityTooLarge.*JSON import method/);
    expect(emulator.messagesOf(ALICE, "ICE Chat")).toHaveLength(0);
    await destination.close();
  });

  it("fails an item prepared in the wrong format with a clear detail, and delivers the others", async () => {
    const destination = emulatorMimeDestination(emulator);
    const json = prepareItem(chatItem(7));
    const empty = await prepareMimeItem(chatItem(8));
    const good = await mimeTasksFor(2);
    const tasks: DeliveryTask[] = [{ item: json, mayExist: false }, { item: { ...empty, body: new Uint8Array(0) }, mayExist: false }, ...good];
    const outcomes = await destination.deliver(ALICE, tasks);
    for (const key of [json.itemKey, empty.itemKey]) {
      expect(outcomes.get(key)).toMatchObject({ status: "failed", reason: "DESTINATION_ERROR" });
      const detail = outcomes.get(key)?.status === "failed" ? (outcomes.get(key) as { detail: string }).detail : "";
      expect(detail).toMatch(/not an RFC 5322 \(MIME\) message/);
    }
    expect(statusCounts(outcomes)).toEqual({ failed: 2, imported: 2 });

    // And the other way round: MIME bytes handed to the JSON method.
    const jsonDestination = emulatorDestination(emulator);
    const mimeItem = await prepareMimeItem(chatItem(9));
    const refused = (await jsonDestination.deliver(ALICE, [{ item: mimeItem, mayExist: false }])).get(mimeItem.itemKey);
    expect(refused).toMatchObject({ status: "failed", reason: "DESTINATION_ERROR" });
    expect(refused?.status === "failed" && refused.detail).toMatch(/not a Microsoft Graph JSON message body/);
    expect(emulator.messagesOf(ALICE, "ICE Chat")).toHaveLength(2);
    await Promise.all([destination.close(), jsonDestination.close()]);
  });

  it("ends the delivery with the Mail-Advanced.ReadWrite.All advice when Graph answers 403", async () => {
    const destination = spiedDestination((request) =>
      request.url.endsWith("/importMime")
        ? { kind: "response", status: 403, headers: {}, body: { error: { code: "ErrorAccessDenied", message: "Access is denied. Check credentials and try again." } } }
        : undefined,
    );
    const error = await destination.deliver(ALICE, await mimeTasksFor(2)).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: "destination_failed" });
    expect(String((error as Error).message)).toMatch(/403 ErrorAccessDenied/);
    expect(String((error as Error).message)).toMatch(/Mail-Advanced\.ReadWrite\.All/);
    expect(emulator.messagesOf(ALICE, "ICE Chat")).toHaveLength(0);
    await destination.close();
  });

  it("refuses an unknown import method as a configuration error", () => {
    expect(() => createGraphDestination({ ...config(), importMethod: "smtp" as never }, emulatorSeam(emulator))).toThrow(/Unknown Microsoft 365 import method/);
  });
});
