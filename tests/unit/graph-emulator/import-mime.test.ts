import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startGraphEmulator, type GraphEmulator } from "@/tests/support/graph-emulator";
import { bearerToken, rawRequest, realGraphClient } from "./emulator-test-client";

// Beta importMime: POST /beta/users/{id}/mailFolders/{id}/importMime, Content-Type
// text/plain, the whole MIME message base64-encoded; 201 with a NON-draft message.
let emulator: GraphEmulator;
let token: string;
let folderId: string;
const USER = "alice@contoso.com";
const importPath = (version = "beta") => `/${version}/users/${USER}/mailFolders/${encodeURIComponent(folderId)}/importMime`;

beforeAll(async () => {
  emulator = await startGraphEmulator({ users: [{ userPrincipalName: USER }], limits: { serviceTimeMs: 1 } });
  token = await bearerToken(emulator);
});
afterAll(async () => {
  await emulator.stop();
});
beforeEach(async () => {
  emulator.setFaults({});
  emulator.reset();
  const folder = (await realGraphClient(emulator).api(`/users/${USER}/mailFolders`).post({ displayName: "ICE Chat" })) as { id: string };
  folderId = folder.id;
});

const CURVE = "month,price\r\nJun,2.87\r\n";

function mimeMessage(id: string, date = "Sun, 22 Nov 2026 13:04:02 +0000"): string {
  return [
    "From: Ann Lee <ann.lee@broker.example>",
    "To: John Smith <john.smith@acme.example>",
    `Subject: ICE chat ${id}`,
    `Message-ID: <${id}@ice-chat.acme01.invalid>`,
    `Date: ${date}`,
    "X-ICE-ConversationID: c-20261122-88412",
    "X-ICE-Recipient-ImIds: jsmith@ice.acme,",
    " other@ice.acme",
    "MIME-Version: 1.0",
    'Content-Type: multipart/mixed; boundary="b1"',
    "",
    "--b1",
    "Content-Type: text/html; charset=utf-8",
    "",
    "<p>Offer 2.87, see attached curve</p>",
    "--b1",
    "Content-Type: text/csv; name=curve.csv",
    "Content-Disposition: attachment; filename=curve.csv",
    "Content-Transfer-Encoding: base64",
    "",
    Buffer.from(CURVE).toString("base64"),
    "--b1--",
    "",
  ].join("\r\n");
}

const base64 = (text: string | Buffer) => Buffer.from(text).toString("base64");

function importRaw(body: string | Buffer, options: { version?: string; contentType?: string; method?: string } = {}) {
  return rawRequest(emulator, options.method ?? "POST", importPath(options.version), { token, body, headers: { "content-type": options.contentType ?? "text/plain" } });
}

describe("importMime (beta)", () => {
  it("creates a read, non-draft message from the MIME through the real SDK on beta, dated by the Date header, with its headers and attachments", async () => {
    const client = realGraphClient(emulator);
    const created = (await client
      .api(`/users/${USER}/mailFolders/${encodeURIComponent(folderId)}/importMime`)
      .version("beta")
      .header("Content-Type", "text/plain")
      .post(base64(mimeMessage("item-1")))) as Record<string, unknown>;
    expect(created).toMatchObject({
      isDraft: false,
      isRead: true,
      sentDateTime: "2026-11-22T13:04:02Z",
      receivedDateTime: "2026-11-22T13:04:02Z",
      internetMessageId: "<item-1@ice-chat.acme01.invalid>",
      subject: "ICE chat item-1",
      parentFolderId: folderId,
      hasAttachments: true,
      from: { emailAddress: { address: "ann.lee@broker.example", name: "Ann Lee" } },
      toRecipients: [{ emailAddress: { address: "john.smith@acme.example", name: "John Smith" } }],
      body: { contentType: "html" },
    });
    expect(String(created["@odata.context"])).toContain("/beta/$metadata");

    const stored = emulator.messagesOf(USER, "ICE Chat");
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ isDraft: false, isRead: true, messageFlags: 0x1 | 0x10, createdFromMime: true, extendedProperties: [] });
    expect(stored[0]?.attachments).toEqual([expect.objectContaining({ name: "curve.csv", contentType: "text/csv", size: CURVE.length, isInline: false })]);

    // The internet headers are kept, folded ones unfolded, and can be selected.
    const withHeaders = (await client.api(`/users/${USER}/messages/${encodeURIComponent(String(created.id))}`).select("internetMessageHeaders").get()) as {
      internetMessageHeaders: { name: string; value: string }[];
    };
    expect(withHeaders.internetMessageHeaders).toEqual(
      expect.arrayContaining([
        { name: "X-ICE-ConversationID", value: "c-20261122-88412" },
        { name: "X-ICE-Recipient-ImIds", value: "jsmith@ice.acme, other@ice.acme" },
        { name: "Message-ID", value: "<item-1@ice-chat.acme01.invalid>" },
      ]),
    );

    // A lookup by Internet Message-ID finds it (and only it).
    await client.api(`/users/${USER}/mailFolders/${encodeURIComponent(folderId)}/importMime`).version("beta").header("Content-Type", "text/plain").post(base64(mimeMessage("item-2")));
    const found = (await client
      .api(`/users/${USER}/mailFolders/${encodeURIComponent(folderId)}/messages`)
      .filter("internetMessageId eq '<item-1@ice-chat.acme01.invalid>'")
      .select("id")
      .top(1)
      .get()) as { value: { id: string }[] };
    expect(found.value.map((m) => m.id)).toEqual([created.id]);
  });

  it("takes the message time from the Date header in any zone, and base64 wrapped in lines", async () => {
    const wrapped = base64(mimeMessage("item-tz", "Mon, 23 Nov 2026 08:30:00 -0500")).replace(/.{76}/g, "$&\r\n");
    const res = await importRaw(wrapped);
    expect(res.status).toBe(201);
    expect(res.json()).toMatchObject({ isDraft: false, sentDateTime: "2026-11-23T13:30:00Z", receivedDateTime: "2026-11-23T13:30:00Z" });
  });

  it("refuses a body that is not base64, or not a MIME message, with 400 and stores nothing", async () => {
    const notBase64 = await importRaw("this is not base64!");
    expect(notBase64.status).toBe(400);
    expect(notBase64.json()).toMatchObject({ error: { code: "ErrorMimeContentInvalidBase64String" } });

    const empty = await importRaw("");
    expect(empty.status).toBe(400);
    expect(empty.json()).toMatchObject({ error: { code: "ErrorMimeContentInvalidBase64String" } });

    // Raw MIME (forgot to base64-encode it) is not base64 either.
    const rawMime = await importRaw(mimeMessage("raw"));
    expect(rawMime.status).toBe(400);
    expect(rawMime.json()).toMatchObject({ error: { code: "ErrorMimeContentInvalidBase64String" } });

    const noHeaders = await importRaw(base64("just some words, no header section"));
    expect(noHeaders.status).toBe(400);
    expect(noHeaders.json()).toMatchObject({ error: { code: "ErrorMimeContentConversionFailed" } });

    expect(emulator.messagesOf(USER)).toHaveLength(0);
  });

  it("needs Content-Type text/plain (no JSON envelope) and POST", async () => {
    const json = await importRaw(JSON.stringify({ mime: base64(mimeMessage("json")) }), { contentType: "application/json" });
    expect(json.status).toBe(400);
    expect(json.json()).toMatchObject({ error: { code: "BadRequest" } });
    const get = await rawRequest(emulator, "GET", importPath(), { token });
    expect(get.status).toBe(405);
    expect(emulator.messagesOf(USER)).toHaveLength(0);
  });

  it("exists on beta only: v1.0 answers Graph's 'Resource not found for the segment' 400", async () => {
    const res = await importRaw(base64(mimeMessage("v1")), { version: "v1.0" });
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: "BadRequest", message: "Resource not found for the segment 'importMime'." } });
    await expect(
      realGraphClient(emulator).api(`/users/${USER}/mailFolders/${encodeURIComponent(folderId)}/importMime`).header("Content-Type", "text/plain").post(base64(mimeMessage("v1"))),
    ).rejects.toMatchObject({ statusCode: 400 });
    expect(emulator.messagesOf(USER)).toHaveLength(0);
  });

  it("refuses a body over the 4 MB request limit with 413 and stores nothing; just under it is accepted", async () => {
    // Padding in the text part: the base64 of the whole message is what counts.
    const filler = (bytes: number) => mimeMessage("big").replace("<p>Offer", `<p>${"x".repeat(bytes)} Offer`);
    const tooBig = base64(filler(3 * 1024 * 1024 + 200 * 1024));
    expect(tooBig.length).toBeGreaterThan(4 * 1024 * 1024);
    const refused = await importRaw(tooBig);
    expect(refused.status).toBe(413);
    expect(refused.json()).toMatchObject({ error: { code: "RequestEntityTooLarge" } });
    expect(emulator.messagesOf(USER)).toHaveLength(0);

    const fits = base64(filler(3 * 1024 * 1024 - 4 * 1024));
    expect(fits.length).toBeLessThanOrEqual(4 * 1024 * 1024);
    expect((await importRaw(fits)).status).toBe(201);
  });

  it("counts against the mailbox's limits and honours fault injection like a message create", async () => {
    emulator.setFaults({ throttleRate: 1 });
    const throttled = await importRaw(base64(mimeMessage("throttled")));
    expect(throttled.status).toBe(429);
    expect(throttled.headers["retry-after"]).toBe("1");
    expect(emulator.messagesOf(USER)).toHaveLength(0);

    // A lost answer: the message is stored, the client sees the connection reset.
    emulator.setFaults({ lostCreateOrdinals: [1] });
    await expect(importRaw(base64(mimeMessage("lost")))).rejects.toThrow();
    expect(emulator.messagesOf(USER, "ICE Chat").map((m) => m.internetMessageId)).toEqual(["<lost@ice-chat.acme01.invalid>"]);
    emulator.setFaults({ lostCreateOrdinals: [1], lostResponseMode: "504" });
    expect((await importRaw(base64(mimeMessage("lost-504")))).status).toBe(504);
    expect(emulator.messagesOf(USER, "ICE Chat")).toHaveLength(2);
    expect(emulator.stats().faultsInjected.lostResponses).toBe(2);

    // Five at once against a limit of 4: the fifth is throttled by concurrency.
    emulator.setFaults({});
    emulator.setLimits({ serviceTimeMs: 200 });
    try {
      const answers = await Promise.all(Array.from({ length: 5 }, (_, i) => importRaw(base64(mimeMessage(`burst-${i}`)))));
      expect(answers.map((a) => a.status).sort()).toEqual([201, 201, 201, 201, 429]);
      const userId = emulator.users()[0]!.id;
      expect(emulator.stats().maxConcurrencyPerMailbox[userId]).toBe(5);
    } finally {
      emulator.setLimits({ serviceTimeMs: 1 });
    }
  });
});
