import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startGraphEmulator, type GraphEmulator } from "@/tests/support/graph-emulator";
import { bearerToken, jsonRequest, rawRequest, realGraphClient } from "./emulator-test-client";

let emulator: GraphEmulator;
let token: string;
let folderPath: string;
const KEY_ID = "String {d1e2c3b4-0000-4000-8000-00000000abcd} Name IceChatMessageKey";

beforeAll(async () => {
  emulator = await startGraphEmulator({ users: [{ userPrincipalName: "alice@contoso.com" }], limits: { serviceTimeMs: 1 } });
  token = await bearerToken(emulator);
});
afterAll(async () => {
  await emulator.stop();
});
beforeEach(async () => {
  emulator.setFaults({});
  emulator.reset();
  const folder = (await realGraphClient(emulator).api("/users/alice@contoso.com/mailFolders").post({ displayName: "ICE Chat" })) as { id: string };
  folderPath = `/users/alice@contoso.com/mailFolders/${encodeURIComponent(folder.id)}/messages`;
});

const message = (key: string) => ({
  subject: key,
  singleValueExtendedProperties: [{ id: "Integer 0x0E07", value: "1" }, { id: KEY_ID, value: key }],
});

describe("fault injection", () => {
  it("lost response (dropped connection): the message is stored, the client sees a failure, and a lookup by key finds it", async () => {
    emulator.setFaults({ lostCreateOrdinals: [2] });
    const client = realGraphClient(emulator);
    await client.api(folderPath).post(message("k-1"));
    await expect(client.api(folderPath).post(message("k-2"))).rejects.toThrow();
    expect(emulator.messagesOf("alice@contoso.com", "ICE Chat").map((m) => m.subject).sort()).toEqual(["k-1", "k-2"]);
    const found = (await client.api(folderPath).filter(`singleValueExtendedProperties/Any(ep: ep/id eq '${KEY_ID}' and ep/value eq 'k-2')`).get()) as { value: unknown[] };
    expect(found.value).toHaveLength(1);
    expect(emulator.stats().faultsInjected.lostResponses).toBe(1);
  });

  it("lost response as 504: stored anyway", async () => {
    emulator.setFaults({ lostCreateRate: 1, lostResponseMode: "504" });
    const res = await jsonRequest(emulator, "POST", `/v1.0${folderPath}`, token, message("k-9"));
    expect(res.status).toBe(504);
    expect(emulator.messagesOf("alice@contoso.com", "ICE Chat")).toHaveLength(1);
  });

  it("random 503 / 429 faults happen before the work (nothing stored) and are reproducible by seed", async () => {
    emulator.setFaults({ serviceUnavailableRate: 1 });
    const unavailable = await jsonRequest(emulator, "POST", `/v1.0${folderPath}`, token, message("k-x"));
    expect(unavailable.status).toBe(503);
    expect(emulator.messagesOf("alice@contoso.com", "ICE Chat")).toHaveLength(0);

    const run = async () => {
      emulator.setFaults({ seed: 42, throttleRate: 0.5 });
      const statuses: number[] = [];
      for (let i = 0; i < 12; i += 1) statuses.push((await rawRequest(emulator, "GET", "/v1.0/users/alice@contoso.com/mailFolders", { token })).status);
      return statuses;
    };
    const first = await run();
    expect(first).toContain(429);
    expect(first).toContain(200);
    expect(await run()).toEqual(first);
  });

  it("slow responses still complete", async () => {
    emulator.setFaults({ delayMs: 150 });
    const res = await rawRequest(emulator, "GET", "/v1.0/users/alice@contoso.com/mailFolders", { token });
    expect(res.status).toBe(200);
  });
});

describe("control API over HTTP (no Graph token)", () => {
  it("inspects mailboxes and stats, sets limits and faults, resets", async () => {
    await realGraphClient(emulator).api(folderPath).post(message("k-1"));
    const boxes = await rawRequest(emulator, "GET", "/_emulator/mailboxes");
    expect(boxes.status).toBe(200);
    const mailboxes = JSON.parse(boxes.text) as { userPrincipalName: string; folders: { displayName: string; messages: { isDraft: boolean; extendedProperties: unknown[] }[] }[] }[];
    const ice = mailboxes[0]?.folders.find((f) => f.displayName === "ICE Chat");
    expect(ice?.messages[0]).toMatchObject({ isDraft: false, extendedProperties: [{ id: KEY_ID.replace("D1E2", "d1e2"), value: "k-1" }] });

    const limits = await rawRequest(emulator, "PATCH", "/_emulator/limits", { body: JSON.stringify({ maxConcurrentPerMailbox: 2 }), headers: { "content-type": "application/json" } });
    expect(limits.json().maxConcurrentPerMailbox).toBe(2);
    const badLimit = await rawRequest(emulator, "PATCH", "/_emulator/limits", { body: JSON.stringify({ nonsense: 1 }), headers: { "content-type": "application/json" } });
    expect(badLimit.status).toBe(400);
    emulator.setLimits({ maxConcurrentPerMailbox: 4 });

    const faults = await rawRequest(emulator, "PUT", "/_emulator/faults", { body: JSON.stringify({ gatewayTimeoutRate: 1 }), headers: { "content-type": "application/json" } });
    expect(faults.status).toBe(200);
    expect((await rawRequest(emulator, "GET", "/v1.0/users/alice@contoso.com/mailFolders", { token })).status).toBe(504);
    const stats = JSON.parse((await rawRequest(emulator, "GET", "/_emulator/stats")).text) as { faultsInjected: { gatewayTimeout: number } };
    expect(stats.faultsInjected.gatewayTimeout).toBe(1);

    expect((await rawRequest(emulator, "POST", "/_emulator/reset")).status).toBe(204);
    await rawRequest(emulator, "PUT", "/_emulator/faults", { body: "{}", headers: { "content-type": "application/json" } });
    expect(emulator.messagesOf("alice@contoso.com")).toHaveLength(0);
  });

  it("a child process trusts the emulator through NODE_EXTRA_CA_CERTS=certPath", async () => {
    const script = `fetch(process.argv[1]).then(async (r) => { console.log(r.status, await r.text()); }).catch((e) => { console.log("ERR", e.cause?.code ?? e.message); })`;
    const run = (env: NodeJS.ProcessEnv) => promisify(execFile)(process.execPath, ["-e", script, `${emulator.baseUrl}/_emulator/health`], { env, timeout: 20_000 });
    const trusted = await run({ ...process.env, NODE_EXTRA_CA_CERTS: emulator.certPath });
    expect(trusted.stdout).toContain('200 {"ok":true}');
    const untrusted = await run({ ...process.env, NODE_EXTRA_CA_CERTS: "" });
    expect(untrusted.stdout).toMatch(/ERR/);
  });
});
