import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startGraphEmulator, type GraphEmulator } from "@/tests/support/graph-emulator";
import { bearerToken, jsonRequest, rawRequest, realGraphClient } from "./emulator-test-client";

let emulator: GraphEmulator;
let token: string;
let folderId: string;
const KEY_ID = "String {d1e2c3b4-0000-4000-8000-00000000abcd} Name IceChatMessageKey";
// The SDK adds the version itself; raw requests need it.
const messagesPath = () => `/users/alice@contoso.com/mailFolders/${encodeURIComponent(folderId)}/messages`;
const rawMessagesPath = () => `/v1.0${messagesPath()}`;

beforeAll(async () => {
  emulator = await startGraphEmulator({ users: [{ userPrincipalName: "alice@contoso.com" }], limits: { serviceTimeMs: 1 } });
  token = await bearerToken(emulator);
});
afterAll(async () => {
  await emulator.stop();
});
beforeEach(async () => {
  emulator.reset();
  const folder = (await realGraphClient(emulator).api("/users/alice@contoso.com/mailFolders").post({ displayName: "ICE Chat" })) as { id: string };
  folderId = folder.id;
});

function importedMessage(key: string, extra: Record<string, unknown> = {}) {
  return {
    subject: "ICE chat with Bob",
    body: { contentType: "text", content: "hello" },
    from: { emailAddress: { address: "bob@contoso.com", name: "Bob" } },
    toRecipients: [{ emailAddress: { address: "alice@contoso.com" } }],
    internetMessageId: `<${key}@icechat.example>`,
    singleValueExtendedProperties: [
      { id: "Integer 0x0E07", value: "1" },
      { id: "SystemTime 0x0039", value: "2024-03-01T09:15:00Z" },
      { id: "SystemTime 0x0E06", value: "2024-03-01T09:15:02Z" },
      { id: KEY_ID, value: key },
    ],
    ...extra,
  };
}

describe("message create", () => {
  it("creates a non-draft with PidTagMessageFlags, dates from 0x0039 / 0x0E06", async () => {
    const client = realGraphClient(emulator);
    const created = (await client.api(messagesPath()).post(importedMessage("k-1"))) as Record<string, unknown>;
    expect(created).toMatchObject({
      isDraft: false, isRead: true, sentDateTime: "2024-03-01T09:15:00Z", receivedDateTime: "2024-03-01T09:15:02Z",
      internetMessageId: "<k-1@icechat.example>", parentFolderId: folderId, subject: "ICE chat with Bob",
    });
    expect(String(created.id)).toMatch(/^AAMkAD.*=$/);
    const stored = emulator.messagesOf("alice@contoso.com", "ICE Chat");
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ isDraft: false, isRead: true, messageFlags: 1 });
    expect(stored[0]?.extendedProperties).toEqual([{ id: "String {d1e2c3b4-0000-4000-8000-00000000abcd} Name IceChatMessageKey", value: "k-1" }]);
  });

  it("unread non-draft when the read bit is clear", async () => {
    const body = importedMessage("k-unread");
    body.singleValueExtendedProperties[0] = { id: "Integer 0x0E07", value: "0" };
    const created = (await realGraphClient(emulator).api(messagesPath()).post(body)) as Record<string, unknown>;
    expect(created).toMatchObject({ isDraft: false, isRead: false });
  });

  it("without flags the item is a draft, and isDraft:false in the body is ignored", async () => {
    const created = (await realGraphClient(emulator).api(messagesPath()).post({ subject: "draft", isDraft: false, body: { contentType: "html", content: "<p>x</p>" } })) as Record<string, unknown>;
    expect(created).toMatchObject({ isDraft: true, isRead: true });
  });

  it("flags with MSGFLAG_UNSENT set still give a draft", async () => {
    const body = importedMessage("k-unsent");
    body.singleValueExtendedProperties[0] = { id: "Integer 0x0E07", value: "9" };
    const created = (await realGraphClient(emulator).api(messagesPath()).post(body)) as Record<string, unknown>;
    expect(created.isDraft).toBe(true);
  });

  it("PATCH of 0x0E07 cannot turn a draft into a non-draft; draft-only properties are locked on non-drafts", async () => {
    const client = realGraphClient(emulator);
    const draft = (await client.api(messagesPath()).post({ subject: "draft" })) as { id: string };
    const patched = (await client.api(`/users/alice@contoso.com/messages/${encodeURIComponent(draft.id)}`).patch({ singleValueExtendedProperties: [{ id: "Integer 0x0E07", value: "1" }] })) as Record<string, unknown>;
    expect(patched.isDraft).toBe(true);
    expect(emulator.messagesOf("alice@contoso.com")[0]?.isDraft).toBe(true);

    const sent = (await client.api(messagesPath()).post(importedMessage("k-2"))) as { id: string };
    const lock = await jsonRequest(emulator, "PATCH", `/v1.0/users/alice@contoso.com/messages/${encodeURIComponent(sent.id)}`, token, { subject: "changed" });
    expect(lock.status).toBe(400);
    expect(lock.json()).toMatchObject({ error: { code: "ErrorInvalidPropertyUpdateSentMessage" } });
    const markUnread = await jsonRequest(emulator, "PATCH", `/v1.0/users/alice@contoso.com/messages/${encodeURIComponent(sent.id)}`, token, { isRead: false });
    expect(markUnread.status).toBe(200);
    expect(markUnread.json().isRead).toBe(false);
  });

  it("rejects unknown properties, bad shapes and mistyped extended properties with 400", async () => {
    const bad: [string, Record<string, unknown>][] = [
      ["unknown property", { subject: "x", colour: "red" }],
      ["body content type", { body: { contentType: "xml", content: "x" } }],
      ["recipient shape", { toRecipients: [{ address: "bob@contoso.com" }] }],
      ["recipients not array", { toRecipients: { emailAddress: { address: "bob@contoso.com" } } }],
      ["bad address", { toRecipients: [{ emailAddress: { address: "not an address" } }] }],
      ["integer value", { singleValueExtendedProperties: [{ id: "Integer 0x0E07", value: "one" }] }],
      ["integer not string", { singleValueExtendedProperties: [{ id: "Integer 0x0E07", value: 1 }] }],
      ["systemtime value", { singleValueExtendedProperties: [{ id: "SystemTime 0x0039", value: "yesterday" }] }],
      ["unknown type", { singleValueExtendedProperties: [{ id: "Text 0x0E07", value: "1" }] }],
      ["named without guid", { singleValueExtendedProperties: [{ id: "String Name Foo", value: "1" }] }],
      ["flags wrong type", { singleValueExtendedProperties: [{ id: "String 0x0E07", value: "1" }] }],
      ["duplicate ids", { singleValueExtendedProperties: [{ id: KEY_ID, value: "a" }, { id: KEY_ID.toUpperCase().replace("NAME ICECHATMESSAGEKEY", "Name IceChatMessageKey"), value: "b" }] }],
      ["extra key in property", { singleValueExtendedProperties: [{ id: KEY_ID, value: "a", type: "x" }] }],
      ["internetMessageId without brackets", { internetMessageId: "abc@example.com" }],
      ["custom header not x-", { internetMessageHeaders: [{ name: "Received", value: "x" }] }],
      ["importance", { importance: "urgent" }],
    ];
    for (const [label, body] of bad) {
      const res = await jsonRequest(emulator, "POST", rawMessagesPath(), token, body);
      expect(res.status, label).toBe(400);
    }
    expect(emulator.messagesOf("alice@contoso.com")).toHaveLength(0);
  });

  it("creates drafts from base64 MIME (text/plain)", async () => {
    const mime = [
      "From: Bob <bob@contoso.com>", "To: alice@contoso.com", "Subject: From MIME", "Message-ID: <mime-1@icechat.example>",
      "Date: Fri, 01 Mar 2024 09:15:00 +0000", "Content-Type: text/plain; charset=utf-8", "", "hello from mime", "",
    ].join("\r\n");
    const res = await rawRequest(emulator, "POST", rawMessagesPath(), { token, body: Buffer.from(mime).toString("base64"), headers: { "content-type": "text/plain" } });
    expect(res.status).toBe(201);
    expect(res.json()).toMatchObject({ isDraft: true, subject: "From MIME", internetMessageId: "<mime-1@icechat.example>" });
    const invalid = await rawRequest(emulator, "POST", rawMessagesPath(), { token, body: "this is not base64!", headers: { "content-type": "text/plain" } });
    expect(invalid.status).toBe(400);
    expect(invalid.json()).toMatchObject({ error: { code: "ErrorMimeContentInvalidBase64String" } });
  });
});

describe("message queries", () => {
  it("finds a message by extended property with $filter Any(), matching id case-insensitively but Name case-sensitively", async () => {
    const client = realGraphClient(emulator);
    const first = (await client.api(messagesPath()).post(importedMessage("k-1"))) as { id: string };
    await client.api(messagesPath()).post(importedMessage("k-2"));
    const filter = (id: string, value: string) => `singleValueExtendedProperties/Any(ep: ep/id eq '${id}' and ep/value eq '${value}')`;

    const hit = (await client.api(messagesPath()).filter(filter(KEY_ID, "k-1")).get()) as { value: { id: string }[] };
    expect(hit.value.map((m) => m.id)).toEqual([first.id]);
    const upperGuid = KEY_ID.replace("d1e2c3b4", "D1E2C3B4").replace("string", "STRING");
    const hitCase = (await client.api(messagesPath()).filter(filter(upperGuid, "K-1")).get()) as { value: unknown[] };
    expect(hitCase.value).toHaveLength(1);
    const wrongNameCase = (await client.api(messagesPath()).filter(filter(KEY_ID.replace("IceChatMessageKey", "icechatmessagekey"), "k-1")).get()) as { value: unknown[] };
    expect(wrongNameCase.value).toHaveLength(0);
    const miss = (await client.api(messagesPath()).filter(filter(KEY_ID, "k-3")).get()) as { value: unknown[] };
    expect(miss.value).toHaveLength(0);
    const byMessageId = (await client.api(messagesPath()).filter("internetMessageId eq '<k-2@icechat.example>'").get()) as { value: unknown[] };
    expect(byMessageId.value).toHaveLength(1);
  });

  it("expands the requested extended properties only, honours $select, and pages with nextLink", async () => {
    const client = realGraphClient(emulator);
    for (let i = 0; i < 5; i += 1) await client.api(messagesPath()).post(importedMessage(`k-${i}`));
    const page = (await client
      .api(messagesPath())
      .select("subject,isDraft")
      .expand(`singleValueExtendedProperties($filter=id eq '${KEY_ID}' or id eq 'Integer 0x0E07')`)
      .top(2)
      .get()) as { value: Record<string, unknown>[]; "@odata.nextLink"?: string };
    expect(page.value).toHaveLength(2);
    expect(Object.keys(page.value[0] ?? {}).sort()).toEqual(["@odata.etag", "id", "isDraft", "singleValueExtendedProperties", "subject"]);
    const props = page.value[0]?.singleValueExtendedProperties as { id: string; value: string }[];
    expect(props.map((p) => p.id).sort()).toEqual(["Integer 0xe07", "String {d1e2c3b4-0000-4000-8000-00000000abcd} Name IceChatMessageKey"]);
    expect(page["@odata.nextLink"]).toContain("$skip=2");
    let seen = page.value.length;
    let next = page["@odata.nextLink"];
    for (let guard = 0; next && guard < 5; guard += 1) {
      const more = (await client.api(next).get()) as typeof page;
      seen += more.value.length;
      next = more["@odata.nextLink"];
    }
    expect(seen).toBe(5);
  });

  it("rejects unsupported query shapes instead of ignoring them", async () => {
    const cases = [
      "$filter=singleValueExtendedProperties/Any(ep: ep/value eq 'x')",
      "$filter=singleValueExtendedProperties/Any(ep: ep/id eq 'Bogus 0x1' and ep/value eq 'x')",
      "$filter=singleValueExtendedProperties/Any(ep: ep/id eq 'String 0x1' and ep/value gt 'x')",
      "$filter=bodyText eq 'x'",
      "$filter=subject eq 5",
      "$expand=singleValueExtendedProperties",
      "$expand=singleValueExtendedProperties($filter=value eq 'x')",
      "$select=nonsense",
      "$top=-1",
      "$orderby=subject sideways",
    ];
    for (const query of cases) {
      const res = await rawRequest(emulator, "GET", `${rawMessagesPath()}?${query.replace(/ /g, "%20").replace(/'/g, "%27")}`, { token });
      expect(res.status, query).toBe(400);
    }
  });

  it("gets a message by id under the user and under its folder; 404 for others", async () => {
    const client = realGraphClient(emulator);
    const created = (await client.api(messagesPath()).post(importedMessage("k-1"))) as { id: string };
    const a = (await client.api(`/users/alice@contoso.com/messages/${encodeURIComponent(created.id)}`).get()) as { id: string };
    const b = (await client.api(`${messagesPath()}/${encodeURIComponent(created.id)}`).get()) as { id: string };
    expect(a.id).toBe(created.id);
    expect(b.id).toBe(created.id);
    const wrongFolder = await rawRequest(emulator, "GET", `/v1.0/users/alice@contoso.com/mailFolders/inbox/messages/${encodeURIComponent(created.id)}`, { token });
    expect(wrongFolder.status).toBe(404);
  });
});
