import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_LIMITS, startGraphEmulator, type GraphEmulator } from "@/tests/support/graph-emulator";
import { bearerToken, jsonRequest, rawRequest } from "./emulator-test-client";

let emulator: GraphEmulator;
let token: string;

beforeAll(async () => {
  emulator = await startGraphEmulator({ users: [{ userPrincipalName: "alice@contoso.com" }, { userPrincipalName: "bob@contoso.com" }] });
  token = await bearerToken(emulator);
});
afterAll(async () => {
  await emulator.stop();
});
beforeEach(() => {
  emulator.setLimits({ ...DEFAULT_LIMITS, serviceTimeMs: 200 });
  emulator.setFaults({});
  emulator.reset();
});

const createFolder = (user: string, name: string) => ({
  method: "POST", url: `/users/${user}/mailFolders`, headers: { "Content-Type": "application/json" }, body: { displayName: name },
});

describe("$batch", () => {
  it("refuses more than 20 requests, duplicate ids and bodies without Content-Type", async () => {
    const many = Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: "GET", url: "/users/alice@contoso.com" }));
    const tooMany = await jsonRequest(emulator, "POST", "/v1.0/$batch", token, { requests: many });
    expect(tooMany.status).toBe(400);
    const dup = await jsonRequest(emulator, "POST", "/v1.0/$batch", token, { requests: [{ id: "1", method: "GET", url: "/users/alice@contoso.com" }, { id: "1", method: "GET", url: "/users/bob@contoso.com" }] });
    expect(dup.status).toBe(400);
    const noType = await jsonRequest(emulator, "POST", "/v1.0/$batch", token, { requests: [{ id: "1", method: "POST", url: "/users/alice@contoso.com/mailFolders", body: { displayName: "x" } }] });
    expect(noType.status).toBe(400);
    const absolute = await jsonRequest(emulator, "POST", "/v1.0/$batch", token, { requests: [{ id: "1", method: "GET", url: "https://graph.microsoft.com/v1.0/users" }] });
    expect(absolute.status).toBe(400);
    const unauthenticated = await rawRequest(emulator, "POST", "/v1.0/$batch", { body: JSON.stringify({ requests: [] }), headers: { "content-type": "application/json" } });
    expect(unauthenticated.status).toBe(401);
  });

  it("evaluates inner requests individually: 20 concurrent to one mailbox give inner 429s with Retry-After while the batch is 200", async () => {
    const requests = Array.from({ length: 20 }, (_, i) => ({ id: String(i + 1), ...createFolder("alice@contoso.com", `Folder ${i}`) }));
    const res = await jsonRequest(emulator, "POST", "/v1.0/$batch", token, { requests });
    expect(res.status).toBe(200);
    const responses = res.json().responses as { id: string; status: number; headers: Record<string, string>; body: { error?: { code: string } } }[];
    expect(responses).toHaveLength(20);
    const ok = responses.filter((r) => r.status === 201);
    const throttled = responses.filter((r) => r.status === 429);
    expect(ok).toHaveLength(4);
    expect(throttled).toHaveLength(16);
    expect(throttled[0]?.headers["retry-after"]).toMatch(/^\d+$/);
    expect(throttled[0]?.body.error?.code).toBe("ApplicationThrottled");
    const mailbox = emulator.mailboxes().find((m) => m.userPrincipalName === "alice@contoso.com");
    expect(mailbox?.folders.filter((f) => f.displayName.startsWith("Folder "))).toHaveLength(4);
    const stats = emulator.stats();
    expect(Math.max(...Object.values(stats.maxConcurrencyPerMailbox))).toBeGreaterThan(4);
    expect(stats.throttled429).toBe(16);
  });

  it("runs dependsOn chains sequentially (no 429) and fails dependants with 424", async () => {
    const requests = Array.from({ length: 6 }, (_, i) => ({ id: String(i + 1), ...(i > 0 ? { dependsOn: [String(i)] } : {}), ...createFolder("alice@contoso.com", `Seq ${i}`) }));
    const res = await jsonRequest(emulator, "POST", "/v1.0/$batch", token, { requests });
    const statuses = (res.json().responses as { status: number }[]).map((r) => r.status);
    expect(statuses).toEqual([201, 201, 201, 201, 201, 201]);
    const failing = await jsonRequest(emulator, "POST", "/v1.0/$batch", token, {
      requests: [
        { id: "a", ...createFolder("alice@contoso.com", "Seq 0") },
        { id: "b", dependsOn: ["a"], method: "GET", url: "/users/alice@contoso.com/mailFolders" },
      ],
    });
    const byId = Object.fromEntries((failing.json().responses as { id: string; status: number }[]).map((r) => [r.id, r.status]));
    expect(byId).toEqual({ a: 409, b: 424 });
  });
});

describe("per-mailbox throttling", () => {
  it("5 concurrent requests to one mailbox: at least one 429 with Retry-After; max observed concurrency is recorded", async () => {
    const results = await Promise.all(Array.from({ length: 5 }, () => rawRequest(emulator, "GET", "/v1.0/users/alice@contoso.com/mailFolders", { token })));
    const throttled = results.filter((r) => r.status === 429);
    expect(throttled.length).toBeGreaterThanOrEqual(1);
    expect(throttled[0]?.headers["retry-after"]).toBe("1");
    expect(throttled[0]?.json()).toMatchObject({ error: { code: "ApplicationThrottled", message: "Application is over its MailboxConcurrency limit." } });
    const stats = emulator.stats();
    const aliceId = emulator.users().find((u) => u.userPrincipalName === "alice@contoso.com")?.id ?? "";
    expect(stats.maxConcurrencyPerMailbox[aliceId]).toBeGreaterThan(4);
    expect(stats.throttled429PerMailbox[aliceId]).toBe(throttled.length);
  });

  it("mailboxes are independent: 4 + 4 concurrent to two mailboxes all succeed", async () => {
    const calls = ["alice", "bob"].flatMap((u) => Array.from({ length: 4 }, () => rawRequest(emulator, "GET", `/v1.0/users/${u}@contoso.com/mailFolders`, { token })));
    const statuses = (await Promise.all(calls)).map((r) => r.status);
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(Math.max(...Object.values(emulator.stats().maxConcurrencyPerMailbox))).toBeLessThanOrEqual(4);
  });

  it("enforces the request budget per window and recovers after it", async () => {
    emulator.setLimits({ serviceTimeMs: 0, requestBudgetPerWindow: 3, budgetWindowMs: 1500 });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await rawRequest(emulator, "GET", "/v1.0/users/alice@contoso.com/mailFolders", { token })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const other = await rawRequest(emulator, "GET", "/v1.0/users/bob@contoso.com/mailFolders", { token });
    expect(other.status).toBe(200);
    const blocked = await rawRequest(emulator, "GET", "/v1.0/users/alice@contoso.com/mailFolders", { token });
    expect(Number(blocked.headers["retry-after"])).toBeGreaterThanOrEqual(1);
    await new Promise((r) => setTimeout(r, 1600));
    expect((await rawRequest(emulator, "GET", "/v1.0/users/alice@contoso.com/mailFolders", { token })).status).toBe(200);
  });

  it("rejects request bodies over 4 MB with 413", async () => {
    emulator.setLimits({ serviceTimeMs: 0 });
    const big = JSON.stringify({ subject: "big", body: { contentType: "text", content: "x".repeat(4 * 1024 * 1024) } });
    const res = await rawRequest(emulator, "POST", "/v1.0/users/alice@contoso.com/messages", { token, body: big, headers: { "content-type": "application/json" } });
    expect(res.status).toBe(413);
    expect(emulator.messagesOf("alice@contoso.com")).toHaveLength(0);
  });
});
