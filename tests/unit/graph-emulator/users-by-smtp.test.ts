import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_LIMITS, startGraphEmulator, type GraphEmulator } from "@/tests/support/graph-emulator";
import { bearerToken, jsonRequest, rawRequest, realGraphClient } from "./emulator-test-client";

let emulator: GraphEmulator;
let token: string;
const JOHN_ID = "1d2c3b4a-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
const USERS = [
  { id: JOHN_ID, userPrincipalName: "jsmith@acme.onmicrosoft.example", mail: "John.Smith@acme.example", proxyAddresses: ["SMTP:John.Smith@acme.example", "smtp:j.smith@acme.example"] },
  { userPrincipalName: "obrien@acme.onmicrosoft.example", mail: "O'Brien@acme.example" },
  { userPrincipalName: "desk1@acme.example", proxyAddresses: ["SMTP:desk1@acme.example", "smtp:trading@acme.example"] },
  { userPrincipalName: "desk2@acme.example", proxyAddresses: ["SMTP:desk2@acme.example", "smtp:trading@acme.example"] },
];

beforeAll(async () => {
  emulator = await startGraphEmulator({ users: USERS, limits: { serviceTimeMs: 1 } });
  token = await bearerToken(emulator);
});
afterAll(async () => {
  await emulator.stop();
});
beforeEach(() => {
  emulator.setLimits({ ...DEFAULT_LIMITS, serviceTimeMs: 1 });
  emulator.setFaults({});
  emulator.reset(USERS);
});

type UserList = { value: { id: string; userPrincipalName?: string; mail?: string; proxyAddresses?: string[] }[]; "@odata.count"?: number; "@odata.nextLink"?: string };

function listUsers(filter: string, options: { select?: string; headers?: Record<string, string>; extra?: string } = {}) {
  const query = `$filter=${encodeURIComponent(filter)}&$select=${options.select ?? "id,mail,userPrincipalName"}${options.extra ?? ""}`;
  return rawRequest(emulator, "GET", `/v1.0/users?${query}`, { token, headers: options.headers });
}

const upnsOf = (body: Record<string, unknown>) => (body as UserList).value.map((u) => u.userPrincipalName).sort();

describe("users by SMTP address", () => {
  it("GET /users/{key} finds only the id or UPN: the primary SMTP address and an alias are 404", async () => {
    const client = realGraphClient(emulator);
    await expect(client.api("/users/jsmith@acme.onmicrosoft.example").get()).resolves.toMatchObject({ id: JOHN_ID });
    for (const address of ["John.Smith@acme.example", "j.smith@acme.example"]) {
      const res = await rawRequest(emulator, "GET", `/v1.0/users/${encodeURIComponent(address)}`, { token });
      expect(res.status).toBe(404);
      expect((res.json().error as { code: string }).code).toBe("Request_ResourceNotFound");
    }
  });

  it("$filter=mail eq '…' matches the primary SMTP address case-insensitively, with $select", async () => {
    const res = await listUsers("mail eq 'JOHN.SMITH@ACME.EXAMPLE'");
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({
      "@odata.context": `${emulator.baseUrl}/v1.0/$metadata#users(id,mail,userPrincipalName)`,
      value: [{ id: JOHN_ID, mail: "John.Smith@acme.example", userPrincipalName: "jsmith@acme.onmicrosoft.example" }],
    });
  });

  it("proxyAddresses/any(p:p eq 'smtp:…') matches an alias and the primary SMTP: entry, case-insensitively", async () => {
    expect(upnsOf((await listUsers("proxyAddresses/any(p:p eq 'smtp:J.SMITH@acme.example')")).json())).toEqual(["jsmith@acme.onmicrosoft.example"]);
    expect(upnsOf((await listUsers("proxyAddresses/any(x:x eq 'smtp:john.smith@acme.example')")).json())).toEqual(["jsmith@acme.onmicrosoft.example"]);
    // The default proxy address of a user given only a UPN is its SMTP: primary.
    expect(upnsOf((await listUsers("proxyAddresses/any(p:p eq 'SMTP:desk1@acme.example')")).json())).toEqual(["desk1@acme.example"]);
    // The prefix is part of the value: a bare address is not a proxy address.
    expect(upnsOf((await listUsers("proxyAddresses/any(p:p eq 'j.smith@acme.example')")).json())).toEqual([]);
  });

  it("joins both with or, each user once; several users can share an address", async () => {
    const both = (address: string) => `mail eq '${address}' or proxyAddresses/any(p:p eq 'smtp:${address}')`;
    expect(upnsOf((await listUsers(both("john.smith@acme.example"))).json())).toEqual(["jsmith@acme.onmicrosoft.example"]);
    expect(upnsOf((await listUsers(both("trading@acme.example"))).json())).toEqual(["desk1@acme.example", "desk2@acme.example"]);
    expect(upnsOf((await listUsers(both("ghost@acme.example"))).json())).toEqual([]);
  });

  it("reads a quote doubled inside the literal; an unbalanced quote is a 400", async () => {
    expect(upnsOf((await listUsers("mail eq 'o''brien@acme.example' or proxyAddresses/any(p:p eq 'smtp:o''brien@acme.example')")).json())).toEqual(["obrien@acme.onmicrosoft.example"]);
    const broken = await listUsers("mail eq 'o'brien@acme.example'");
    expect(broken.status).toBe(400);
  });

  it("works through the real SDK and inside $batch", async () => {
    const client = realGraphClient(emulator);
    const viaSdk = (await client.api("/users").filter("proxyAddresses/any(p:p eq 'smtp:j.smith@acme.example')").select("id").get()) as UserList;
    expect(viaSdk.value).toEqual([{ id: JOHN_ID }]);
    const url = `/users?$filter=${encodeURIComponent("mail eq 'john.smith@acme.example'")}&$select=id`;
    const batch = await jsonRequest(emulator, "POST", "/v1.0/$batch", token, { requests: [{ id: "1", method: "GET", url }] });
    const [inner] = batch.json().responses as { status: number; body: UserList }[];
    expect(inner?.status).toBe(200);
    expect(inner?.body.value).toEqual([{ id: JOHN_ID }]);
  });

  it("is a directory request: it takes no mailbox slot and counts against no mailbox", async () => {
    await listUsers("mail eq 'john.smith@acme.example'");
    expect(emulator.stats().requestsPerMailbox).toEqual({});
  });

  it("returns proxyAddresses only when selected", async () => {
    const client = realGraphClient(emulator);
    const plain = (await client.api("/users/jsmith@acme.onmicrosoft.example").get()) as Record<string, unknown>;
    expect(plain).not.toHaveProperty("proxyAddresses");
    const selected = (await client.api("/users/jsmith@acme.onmicrosoft.example").select("id,proxyAddresses").get()) as Record<string, unknown>;
    expect(selected.proxyAddresses).toEqual(["SMTP:John.Smith@acme.example", "smtp:j.smith@acme.example"]);
  });
});

describe("advanced query rules on users", () => {
  const ADVANCED = { consistencylevel: "eventual" };

  it("mail eq and proxyAddresses eq need no advanced query parameters; $count=true without ConsistencyLevel is ignored", async () => {
    const res = await listUsers("mail eq 'john.smith@acme.example'", { extra: "&$count=true" });
    expect(res.status).toBe(200);
    expect(res.json()).not.toHaveProperty("@odata.count");
  });

  it("with ConsistencyLevel: eventual and $count=true the same filters work and @odata.count is returned", async () => {
    const res = await listUsers("mail eq 'trading@acme.example' or proxyAddresses/any(p:p eq 'smtp:trading@acme.example')", { headers: ADVANCED, extra: "&$count=true" });
    expect(res.status).toBe(200);
    expect(res.json()["@odata.count"]).toBe(2);
  });

  it("endsWith, ne and not without the advanced query parameters are 400 Request_UnsupportedQuery, as documented", async () => {
    for (const [filter, operator] of [
      ["endsWith(mail,'@acme.example')", "endsWith"],
      ["proxyAddresses/any(p:endsWith(p,'@acme.example'))", "endsWith"],
      ["mail ne 'john.smith@acme.example'", "ne"],
      ["not(proxyAddresses/any(p:p eq 'smtp:trading@acme.example'))", "not"],
    ] as const) {
      for (const variant of [{}, { headers: ADVANCED }, { extra: "&$count=true" }]) {
        const res = await listUsers(filter, variant);
        expect(res.status, `${filter} ${JSON.stringify(variant)}`).toBe(400);
        expect(res.json().error).toMatchObject({
          code: "Request_UnsupportedQuery",
          message: `Operator '${operator}' is not supported because the required parameters might be missing. Try adding $count=true query parameter and ConsistencyLevel:eventual header. Refer to https://aka.ms/graph-docs/advanced-queries for more information`,
        });
      }
      // With both parameters Graph would run it; the emulator does not implement it, and says so (never ignores it).
      const advanced = await listUsers(filter, { headers: ADVANCED, extra: "&$count=true" });
      expect(advanced.status).toBe(400);
      expect((advanced.json().error as { message: string }).message).toMatch(/emulator does not implement/);
    }
  });

  it("$search needs ConsistencyLevel: eventual", async () => {
    const res = await rawRequest(emulator, "GET", `/v1.0/users?$search=${encodeURIComponent('"mail:john"')}`, { token });
    expect(res.status).toBe(400);
    expect(res.json().error).toMatchObject({ code: "Request_UnsupportedQuery", message: "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'" });
  });

  it("every other filter form is a 400, never ignored", async () => {
    for (const filter of [
      "displayName eq 'desk1'",
      "userPrincipalName eq 'desk1@acme.example'",
      "mail eq 'a@b' and mail eq 'c@d'",
      "startswith(mail,'john')",
      "otherMails/any(p:p eq 'x@y')",
      "proxyAddresses/any(p:q eq 'smtp:x@y')",
      "mail gt 'a'",
      "mail eq null",
    ]) {
      const res = await listUsers(filter);
      expect(res.status, filter).toBe(400);
    }
    const orderBy = await rawRequest(emulator, "GET", "/v1.0/users?$orderby=userPrincipalName", { token });
    expect(orderBy.status).toBe(400);
  });
});

describe("paging the users collection", () => {
  it("honours $top with an @odata.nextLink ($skiptoken) to the rest", async () => {
    const first = await rawRequest(emulator, "GET", "/v1.0/users?$top=3&$select=userPrincipalName", { token });
    expect(first.status).toBe(200);
    const page1 = first.json() as unknown as UserList;
    expect(page1.value).toHaveLength(3);
    expect(page1["@odata.nextLink"]).toMatch(/\$skiptoken=/);
    const second = await rawRequest(emulator, "GET", page1["@odata.nextLink"] ?? "", { token });
    const page2 = second.json() as unknown as UserList;
    expect(page2.value).toHaveLength(1);
    expect(page2).not.toHaveProperty("@odata.nextLink");
    expect([...page1.value, ...page2.value].map((u) => u.userPrincipalName).sort()).toEqual(USERS.map((u) => u.userPrincipalName).sort());
    const tooLarge = await rawRequest(emulator, "GET", "/v1.0/users?$top=1000", { token });
    expect(tooLarge.status).toBe(400);
  });
});
