import { LargeFileUploadTask, FileUpload } from "@microsoft/microsoft-graph-client";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startGraphEmulator, type GraphEmulator } from "@/tests/support/graph-emulator";
import { bearerToken, jsonRequest, rawRequest, realGraphClient } from "./emulator-test-client";

let emulator: GraphEmulator;
let token: string;
let messageId: string;
const MB = 1024 * 1024;
const attachmentsPath = () => `/users/alice@contoso.com/messages/${encodeURIComponent(messageId)}/attachments`;

beforeAll(async () => {
  emulator = await startGraphEmulator({ users: [{ userPrincipalName: "alice@contoso.com" }], limits: { serviceTimeMs: 1 } });
  token = await bearerToken(emulator);
});
afterAll(async () => {
  await emulator.stop();
});
beforeEach(async () => {
  emulator.reset();
  emulator.setLimits({ maxInlineAttachmentBytes: 3 * MB, maxMessageBytes: 150 * MB });
  const created = (await realGraphClient(emulator).api("/users/alice@contoso.com/messages").post({ subject: "with attachments" })) as { id: string };
  messageId = created.id;
});

function bytes(size: number, seed: number): Buffer {
  const out = Buffer.alloc(size);
  for (let i = 0; i < size; i += 1) out[i] = (i * 31 + seed) & 0xff;
  return out;
}

describe("attachments", () => {
  it("adds a small fileAttachment by POST", async () => {
    const content = bytes(1000, 1);
    const created = (await realGraphClient(emulator).api(attachmentsPath()).post({
      "@odata.type": "#microsoft.graph.fileAttachment", name: "chat.txt", contentType: "text/plain", contentBytes: content.toString("base64"),
    })) as Record<string, unknown>;
    expect(created).toMatchObject({ name: "chat.txt", size: 1000, contentType: "text/plain" });
    expect(emulator.messagesOf("alice@contoso.com")[0]?.attachments[0]?.size).toBe(1000);
  });

  it("rejects attachments over the inline limit, without @odata.type, or with invalid base64", async () => {
    emulator.setLimits({ maxInlineAttachmentBytes: 2000 });
    const big = await jsonRequest(emulator, "POST", `/v1.0${attachmentsPath()}`, token, { "@odata.type": "#microsoft.graph.fileAttachment", name: "a.bin", contentBytes: bytes(2001, 2).toString("base64") });
    expect(big.status).toBe(413);
    const untyped = await jsonRequest(emulator, "POST", `/v1.0${attachmentsPath()}`, token, { name: "a.bin", contentBytes: "AAAA" });
    expect(untyped.status).toBe(400);
    const notBase64 = await jsonRequest(emulator, "POST", `/v1.0${attachmentsPath()}`, token, { "@odata.type": "#microsoft.graph.fileAttachment", name: "a.bin", contentBytes: "not base64!" });
    expect(notBase64.status).toBe(400);
    expect(emulator.messagesOf("alice@contoso.com")[0]?.attachments).toHaveLength(0);
  });

  it("uploads a large file through an upload session with the SDK's LargeFileUploadTask", async () => {
    const client = realGraphClient(emulator);
    const content = bytes(3 * MB + 12345, 3);
    const session = await LargeFileUploadTask.createUploadSession(client, `${attachmentsPath()}/createUploadSession`, {
      AttachmentItem: { attachmentType: "file", name: "big.bin", size: content.length, contentType: "application/octet-stream" },
    });
    expect(session.url).toContain("/AttachmentSessions(");
    const task = new LargeFileUploadTask(client, new FileUpload(content, "big.bin", content.length), session, { rangeSize: 1 * MB });
    const result = await task.upload();
    expect(result.location).toMatch(/Attachments\(/);
    const stored = emulator.messagesOf("alice@contoso.com")[0]?.attachments ?? [];
    expect(stored).toHaveLength(1);
    expect(stored[0]?.size).toBe(content.length);
  });

  it("refuses a bearer token on the upload URL, out-of-order ranges, oversize chunks and too-small sessions", async () => {
    const small = await jsonRequest(emulator, "POST", `/v1.0${attachmentsPath()}/createUploadSession`, token, { AttachmentItem: { attachmentType: "file", name: "s.bin", size: 1000 } });
    expect(small.status).toBe(400);
    expect(small.json()).toMatchObject({ error: { code: "ErrorAttachmentSizeShouldNotBeLessThanMinimumSize" } });

    const size = 3 * MB + 10;
    const created = await jsonRequest(emulator, "POST", `/v1.0${attachmentsPath()}/createUploadSession`, token, { AttachmentItem: { attachmentType: "file", name: "b.bin", size } });
    expect(created.status).toBe(201);
    const uploadUrl = String(created.json().uploadUrl);
    expect(created.json().nextExpectedRanges).toEqual(["0-"]);
    const chunk = bytes(MB, 4);
    const put = (start: number, body: Buffer, extra: Record<string, string> = {}) =>
      rawRequest(emulator, "PUT", uploadUrl, { body, headers: { "content-type": "application/octet-stream", "content-range": `bytes ${start}-${start + body.length - 1}/${size}`, ...extra } });

    const withToken = await put(0, chunk, { authorization: `Bearer ${token}` });
    expect(withToken.status).toBe(401);
    const outOfOrder = await put(MB, chunk);
    expect(outOfOrder.status).toBe(416);
    const oversize = await put(0, bytes(4 * MB + 1, 5));
    expect(oversize.status).toBe(413);
    const first = await put(0, chunk);
    expect(first.status).toBe(200);
    expect(first.json().nextExpectedRanges).toEqual([String(MB)]);
    const rest = bytes(size - MB, 6);
    const second = await put(MB, rest.subarray(0, MB));
    expect(second.status).toBe(200);
    const last = await put(2 * MB, rest.subarray(MB));
    expect(last.status).toBe(201);
    expect(last.headers.location).toMatch(/Attachments\(/);
    expect(emulator.messagesOf("alice@contoso.com")[0]?.attachments[0]?.size).toBe(size);
  });

  it("enforces the message size limit", async () => {
    emulator.setLimits({ maxMessageBytes: 4 * MB });
    const res = await jsonRequest(emulator, "POST", `/v1.0${attachmentsPath()}/createUploadSession`, token, { AttachmentItem: { attachmentType: "file", name: "b.bin", size: 5 * MB } });
    expect(res.status).toBe(413);
    expect(res.json()).toMatchObject({ error: { code: "ErrorMessageSizeExceeded" } });
  });
});
