import { describe, expect, it } from "vitest";
import type { GraphEmulator } from "@/tests/support/graph-emulator";
import {
  chatItem,
  copiesByItemKey,
  emulatorDestination,
  itemKeyOfMessage,
  prepareItem,
  QUICK_RETRIES,
  statusCounts,
  tasksFor,
  registerGraphEmulator,
} from "./graph-test-support";

let emulator: GraphEmulator;
const USERS = [{ userPrincipalName: "alice@contoso.com" }, { userPrincipalName: "bob@contoso.com" }];

registerGraphEmulator(USERS, (started) => (emulator = started), { serviceTimeMs: 2 });

describe("deliver", () => {
  it("stores each item as a read, non-draft message dated at the chat time, carrying its item key", async () => {
    const destination = emulatorDestination(emulator);
    const tasks = tasksFor(7);
    const outcomes = await destination.deliver("alice@contoso.com", tasks);
    expect(statusCounts(outcomes)).toEqual({ imported: 7 });
    const stored = emulator.messagesOf("alice@contoso.com", "ICE Chat");
    expect(stored).toHaveLength(7);
    for (const task of tasks) {
      const outcome = outcomes.get(task.item.itemKey);
      const message = stored.find((m) => itemKeyOfMessage(m) === task.item.destinationKey);
      expect(message, task.item.itemKey).toBeDefined();
      expect(outcome).toEqual({ status: "imported", destinationMessageId: message?.id });
      expect(message?.isDraft).toBe(false);
      expect(message?.isRead).toBe(true);
      expect(Date.parse(message?.sentDateTime ?? "")).toBe(Date.parse(task.item.timestamp));
      expect(Date.parse(message?.receivedDateTime ?? "")).toBe(Date.parse(task.item.timestamp));
      expect(message?.internetMessageId).toBe(task.item.internetMessageId);
    }
    await destination.close();
  });

  it("packs requests into $batch calls of at most 20, mixing mailboxes", async () => {
    const destination = emulatorDestination(emulator);
    await Promise.all([destination.checkMailbox("alice@contoso.com"), destination.checkMailbox("bob@contoso.com")]);
    const before = emulator.stats();
    await Promise.all([destination.deliver("alice@contoso.com", tasksFor(60)), destination.deliver("bob@contoso.com", tasksFor(60, { offset: 100 }))]);
    const stats = destination.stats();
    const after = emulator.stats();
    expect(stats.largestBatch).toBeLessThanOrEqual(20);
    // Two mailboxes x 4 slots: batches carry several requests each, far fewer batches than messages.
    expect(stats.largestBatch).toBeGreaterThan(4);
    expect(after.batches - before.batches).toBeLessThan(120 / 2);
    expect(after.batches - before.batches).toBeGreaterThan(0);
    expect(stats.directRequests).toBe(0);
    expect(copiesByItemKey(emulator, "alice@contoso.com").size).toBe(60);
    expect(copiesByItemKey(emulator, "bob@contoso.com").size).toBe(60);
    expect(Math.max(...Object.values(after.maxConcurrencyPerMailbox))).toBeLessThanOrEqual(4);
    await destination.close();
  });

  it("returns already_present for mayExist items that are stored, without a second copy, and creates the rest", async () => {
    const first = emulatorDestination(emulator);
    const tasks = tasksFor(10);
    await first.deliver("alice@contoso.com", tasks.slice(0, 6));
    await first.close();
    // A later run: the ledger says all 10 may exist (pending) and one is listed twice.
    const second = emulatorDestination(emulator);
    const retry = tasks.map((t) => ({ ...t, mayExist: true }));
    const outcomes = await second.deliver("alice@contoso.com", [...retry, retry[0]!]);
    expect(outcomes.size).toBe(10);
    expect(statusCounts(outcomes)).toEqual({ already_present: 6, imported: 4 });
    const copies = copiesByItemKey(emulator, "alice@contoso.com");
    expect(copies.size).toBe(10);
    expect([...copies.values()].every((n) => n === 1)).toBe(true);
    await second.close();
  });

  it("does not duplicate a create whose answer was lost (connection reset or 504)", async () => {
    for (const mode of ["drop", "504"] as const) {
      emulator.reset(USERS);
      emulator.setFaults({ lostCreateOrdinals: [2, 5], lostResponseMode: mode });
      const destination = emulatorDestination(emulator, QUICK_RETRIES);
      const outcomes = await destination.deliver("alice@contoso.com", tasksFor(8));
      expect(statusCounts(outcomes)).toEqual({ imported: 8 });
      expect(emulator.stats().faultsInjected.lostResponses).toBe(2);
      const copies = copiesByItemKey(emulator, "alice@contoso.com");
      expect(copies.size, mode).toBe(8);
      expect([...copies.values()].every((n) => n === 1), mode).toBe(true);
      for (const [key, outcome] of outcomes) {
        const task = outcomes.get(key);
        expect(task?.status).toBe("imported");
        expect(outcome.status === "imported" && emulator.messagesOf("alice@contoso.com", "ICE Chat").some((m) => m.id === outcome.destinationMessageId)).toBe(true);
      }
      await destination.close();
    }
  });

  it("fails an item Graph refuses (400) with DESTINATION_ERROR and Graph's code, and still delivers the others", async () => {
    const destination = emulatorDestination(emulator);
    const good = tasksFor(3);
    const bad = prepareItem(chatItem(99));
    const badBody = { ...(JSON.parse(bad.body as string) as Record<string, unknown>), notAGraphProperty: 1 };
    const notJson = prepareItem(chatItem(98));
    const outcomes = await destination.deliver("alice@contoso.com", [
      ...good,
      { item: { ...bad, body: JSON.stringify(badBody) }, mayExist: false },
      { item: { ...notJson, body: "{not json" }, mayExist: false },
      { item: { ...notJson, itemKey: "mime/1", body: new Uint8Array([1, 2, 3]) }, mayExist: false },
    ]);
    const refused = outcomes.get(bad.itemKey);
    expect(refused).toMatchObject({ status: "failed", reason: "DESTINATION_ERROR" });
    expect(refused?.status === "failed" && refused.detail).toMatch(/400 RequestBodyRead/);
    expect(outcomes.get(notJson.itemKey)).toMatchObject({ status: "failed", reason: "DESTINATION_ERROR" });
    expect(outcomes.get("mime/1")).toMatchObject({ status: "failed", reason: "DESTINATION_ERROR" });
    expect(good.every((t) => outcomes.get(t.item.itemKey)?.status === "imported")).toBe(true);
    expect(emulator.messagesOf("alice@contoso.com", "ICE Chat")).toHaveLength(3);
    await destination.close();
  });

  it("fails a message body over Graph's 4 MB request limit as ITEM_TOO_LARGE", async () => {
    const destination = emulatorDestination(emulator);
    const big = prepareItem(chatItem(1, { content: "x".repeat(5 * 1024 * 1024) }));
    const outcomes = await destination.deliver("alice@contoso.com", [{ item: big, mayExist: false }, ...tasksFor(2, { offset: 10 })]);
    expect(outcomes.get(big.itemKey)).toMatchObject({ status: "failed", reason: "ITEM_TOO_LARGE" });
    expect(statusCounts(outcomes)).toEqual({ failed: 1, imported: 2 });
    expect(destination.stats().directRequests).toBe(1);
    await destination.close();
  });
});
