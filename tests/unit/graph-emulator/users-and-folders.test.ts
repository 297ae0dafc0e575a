import { GraphError } from "@microsoft/microsoft-graph-client";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startGraphEmulator, type GraphEmulator } from "@/tests/support/graph-emulator";
import { bearerToken, jsonRequest, rawRequest, realGraphClient } from "./emulator-test-client";

let emulator: GraphEmulator;
const ALICE_ID = "4f0c9a4e-7b53-4c9e-9f4e-2f7b8b0b6a11";

beforeAll(async () => {
  emulator = await startGraphEmulator({
    users: [
      { id: ALICE_ID, userPrincipalName: "alice@contoso.com", displayName: "Alice Trader" },
      { userPrincipalName: "onprem@contoso.com", mailboxEnabled: false },
    ],
    limits: { serviceTimeMs: 5 },
  });
});
afterAll(async () => {
  await emulator.stop();
});
beforeEach(() => {
  emulator.reset();
});

async function graphErrorOf(promise: Promise<unknown>): Promise<GraphError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GraphError) return error;
    throw error;
  }
  throw new Error("expected the request to fail");
}

describe("users", () => {
  it("finds users by id and by userPrincipalName, case-insensitively", async () => {
    const client = realGraphClient(emulator);
    const byUpn = (await client.api("/users/ALICE@contoso.com").get()) as Record<string, unknown>;
    const byId = (await client.api(`/users/${ALICE_ID.toUpperCase()}`).get()) as Record<string, unknown>;
    expect(byUpn).toMatchObject({ id: ALICE_ID, displayName: "Alice Trader", mail: "alice@contoso.com", userPrincipalName: "alice@contoso.com" });
    expect(byId.id).toBe(ALICE_ID);
  });

  it("answers unknown users with Request_ResourceNotFound", async () => {
    const error = await graphErrorOf(realGraphClient(emulator).api("/users/ghost@contoso.com").get());
    expect(error.statusCode).toBe(404);
    expect(error.code).toBe("Request_ResourceNotFound");
    expect(error.message).toContain("Resource 'ghost@contoso.com' does not exist");
  });

  it("mail endpoints: mailbox not enabled and unknown user", async () => {
    const client = realGraphClient(emulator);
    const disabled = await graphErrorOf(client.api("/users/onprem@contoso.com/mailFolders").get());
    expect(disabled.statusCode).toBe(404);
    expect(disabled.code).toBe("MailboxNotEnabledForRESTAPI");
    const unknown = await graphErrorOf(client.api("/users/ghost@contoso.com/mailFolders").get());
    expect(unknown.statusCode).toBe(404);
    expect(unknown.code).toBe("ErrorInvalidUser");
  });
});

describe("mailFolders", () => {
  it("creates a folder (201) and refuses the same name again (409 ErrorFolderExists), case-insensitively", async () => {
    const client = realGraphClient(emulator);
    const created = (await client.api("/users/alice@contoso.com/mailFolders").post({ displayName: "ICE Chat" })) as Record<string, unknown>;
    expect(created).toMatchObject({ displayName: "ICE Chat", totalItemCount: 0, childFolderCount: 0 });
    const again = await graphErrorOf(client.api("/users/alice@contoso.com/mailFolders").post({ displayName: "ice chat" }));
    expect(again.statusCode).toBe(409);
    expect(again.code).toBe("ErrorFolderExists");
    expect(again.message).toBe("A folder with the specified name already exists.");
  });

  it("of 5 concurrent creates exactly one wins; the rest are 409 (or 429 over the concurrency limit)", async () => {
    const token = await bearerToken(emulator);
    const results = await Promise.all(
      Array.from({ length: 5 }, () => jsonRequest(emulator, "POST", "/v1.0/users/alice@contoso.com/mailFolders", token, { displayName: "ICE Chat" })),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.every((s) => s === 201 || s === 409 || s === 429)).toBe(true);
    const folders = emulator.mailboxes()[0]?.folders.filter((f) => f.displayName === "ICE Chat") ?? [];
    expect(folders).toHaveLength(1);
  });

  it("finds a folder with $filter=displayName eq '...' and resolves well-known names", async () => {
    const client = realGraphClient(emulator);
    const created = (await client.api("/users/alice@contoso.com/mailFolders").post({ displayName: "O'Brien Desk" })) as { id: string };
    const found = (await client.api("/users/alice@contoso.com/mailFolders").filter("displayName eq 'o''brien desk'").get()) as { value: { id: string }[] };
    expect(found.value.map((f) => f.id)).toEqual([created.id]);
    const none = (await client.api("/users/alice@contoso.com/mailFolders").filter("displayName eq 'Nope'").get()) as { value: unknown[] };
    expect(none.value).toEqual([]);
    const inbox = (await client.api("/users/alice@contoso.com/mailFolders/Inbox").get()) as { displayName: string };
    expect(inbox.displayName).toBe("Inbox");
    const byId = (await client.api(`/users/alice@contoso.com/mailFolders/${encodeURIComponent(created.id)}`).get()) as { displayName: string };
    expect(byId.displayName).toBe("O'Brien Desk");
  });

  it("pages with $top and @odata.nextLink", async () => {
    const client = realGraphClient(emulator);
    for (let i = 0; i < 5; i += 1) await client.api("/users/alice@contoso.com/mailFolders").post({ displayName: `Desk ${i}` });
    const names: string[] = [];
    let page = (await client.api("/users/alice@contoso.com/mailFolders").top(4).get()) as { value: { displayName: string }[]; "@odata.nextLink"?: string };
    let pages = 1;
    names.push(...page.value.map((f) => f.displayName));
    while (page["@odata.nextLink"] && pages < 10) {
      page = (await client.api(page["@odata.nextLink"]).get()) as typeof page;
      names.push(...page.value.map((f) => f.displayName));
      pages += 1;
    }
    expect(pages).toBe(3); // 7 well-known + 5 created = 12 folders, 4 per page
    expect(new Set(names).size).toBe(12);
  });

  it("rejects malformed bodies, unknown properties, bad filters and bad ids", async () => {
    const token = await bearerToken(emulator);
    const unknownProp = await jsonRequest(emulator, "POST", "/v1.0/users/alice@contoso.com/mailFolders", token, { displayName: "X", color: "red" });
    expect(unknownProp.status).toBe(400);
    expect(unknownProp.json()).toMatchObject({ error: { code: "RequestBodyRead" } });
    const empty = await rawRequest(emulator, "POST", "/v1.0/users/alice@contoso.com/mailFolders", { token, headers: { "content-type": "application/json" } });
    expect(empty.status).toBe(400);
    const notJson = await rawRequest(emulator, "POST", "/v1.0/users/alice@contoso.com/mailFolders", { token, body: "{displayName:", headers: { "content-type": "application/json" } });
    expect(notJson.status).toBe(400);
    const blank = await jsonRequest(emulator, "POST", "/v1.0/users/alice@contoso.com/mailFolders", token, { displayName: "  " });
    expect(blank.status).toBe(400);
    for (const filter of ["displayName eq", "displayName eq 'a' and", "colour eq 'red'", "displayName eq 'unterminated", "displayName gt 'a'"]) {
      const res = await rawRequest(emulator, "GET", `/v1.0/users/alice@contoso.com/mailFolders?$filter=${encodeURIComponent(filter)}`, { token });
      expect(res.status, filter).toBe(400);
    }
    const unknownOption = await rawRequest(emulator, "GET", "/v1.0/users/alice@contoso.com/mailFolders?$frobnicate=1", { token });
    expect(unknownOption.status).toBe(400);
    const malformedId = await rawRequest(emulator, "GET", "/v1.0/users/alice@contoso.com/mailFolders/not-an-id", { token });
    expect(malformedId.status).toBe(400);
    const missing = await rawRequest(emulator, "GET", `/v1.0/users/alice@contoso.com/mailFolders/AQMkADAAAAAAAAAAAAA=`, { token });
    expect(missing.status).toBe(404);
  });
});
