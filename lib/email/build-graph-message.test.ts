import { describe, expect, it } from "vitest";
import { sampleChatItem } from "@/lib/email/__fixtures__/sample-chat-item";
import {
  buildGraphMessage,
  GRAPH_INLINE_ATTACHMENT_LIMIT_BYTES,
  ICE_CHAT_PROPERTY_SET_GUID,
  ITEM_KEY_PROPERTY_ID,
} from "@/lib/email/build-graph-message";
import { internetMessageIdOf, itemKeyDigestOf } from "@/lib/email/message-identity";
import { renderItemHtml } from "@/lib/email/render-item-content";
import { AppError } from "@/lib/errors";
import type { ChatAttachment } from "@/lib/ice-chat/types";

const MiB = 1024 * 1024;

function attachmentOf(name: string, size: number): ChatAttachment {
  return { fileName: name, contentType: "application/pdf", data: Buffer.alloc(size, 0x41) };
}

describe("buildGraphMessage", () => {
  it("produces the Graph message shape with exact extended-property ids and ISO times", () => {
    const item = sampleChatItem();
    const { message, itemKey, largeAttachments, overflowAttachments } = buildGraphMessage(item);

    expect(message.subject).toBe("ICE Chat: NatGas Brokers");
    expect(message.body.contentType).toBe("html");
    expect(message.body.content).toBe(renderItemHtml(item));
    expect(message.from).toEqual({ emailAddress: { name: "Ann Lee", address: "ann.lee@broker.example" } });
    expect(message.sender).toEqual(message.from);
    expect(message.toRecipients).toEqual([{ emailAddress: { name: "John Smith", address: "john.smith@acme.example" } }]);
    expect(message.internetMessageId).toBe(internetMessageIdOf("ACME01", "c-20261122-88412", "m-000002"));

    expect(ICE_CHAT_PROPERTY_SET_GUID).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/);
    expect(message.singleValueExtendedProperties).toEqual([
      { id: "Integer 0x0E07", value: "1" },
      { id: "SystemTime 0x0039", value: "2026-11-22T13:04:02.250Z" },
      { id: "SystemTime 0x0E06", value: "2026-11-22T13:04:02.250Z" },
      { id: `String {${ICE_CHAT_PROPERTY_SET_GUID}} Name IceChatItemKey`, value: itemKey },
    ]);
    expect(ITEM_KEY_PROPERTY_ID).toBe(`String {${ICE_CHAT_PROPERTY_SET_GUID}} Name IceChatItemKey`);
    expect(itemKey).toBe(itemKeyDigestOf("ACME01", "c-20261122-88412", "m-000002"));
    expect(itemKey).toMatch(/^[0-9a-f]{64}$/);

    expect(message.attachments).toEqual([
      {
        "@odata.type": "#microsoft.graph.fileAttachment",
        name: "curve.csv",
        contentType: "text/csv",
        contentBytes: "bW9udGgscHJpY2UKSnVuLDIuODcK",
        isInline: false,
      },
    ]);
    expect(largeAttachments).toEqual([]);
    expect(overflowAttachments).toEqual([]);
    // Plain JSON: serialisable, no Buffers or Dates inside the request body.
    expect(JSON.parse(JSON.stringify(message))).toEqual(message);
  });

  it("is deterministic", () => {
    expect(buildGraphMessage(sampleChatItem())).toEqual(buildGraphMessage(sampleChatItem()));
    expect(buildGraphMessage(sampleChatItem({ messageId: "other" })).itemKey).not.toBe(buildGraphMessage(sampleChatItem()).itemKey);
  });

  it("splits attachments at the 3 MB limit: inline below, upload session at or above", () => {
    const item = sampleChatItem({
      attachments: [
        attachmentOf("small.pdf", 1024),
        attachmentOf("just-under.pdf", GRAPH_INLINE_ATTACHMENT_LIMIT_BYTES - 1 - 1024),
        attachmentOf("exactly-3mb.pdf", GRAPH_INLINE_ATTACHMENT_LIMIT_BYTES),
        attachmentOf("big.pdf", 5 * MiB),
      ],
    });
    const { message, largeAttachments, overflowAttachments } = buildGraphMessage(item);
    expect(message.attachments?.map((a) => a.name)).toEqual(["small.pdf", "just-under.pdf"]);
    expect(Buffer.from(message.attachments?.[1]?.contentBytes ?? "", "base64").length).toBe(GRAPH_INLINE_ATTACHMENT_LIMIT_BYTES - 1 - 1024);
    expect(largeAttachments.map((a) => [a.index, a.name, a.size, a.contentType])).toEqual([
      [2, "exactly-3mb.pdf", 3 * MiB, "application/pdf"],
      [3, "big.pdf", 5 * MiB, "application/pdf"],
    ]);
    expect(largeAttachments[1]?.data).toBe(item.attachments[3]?.data);
    expect(overflowAttachments).toEqual([]);
  });

  it("keeps one request under Graph's size limit: small attachments past the budget are deferred", () => {
    const item = sampleChatItem({
      attachments: [attachmentOf("a.pdf", 2 * MiB), attachmentOf("b.pdf", 2 * MiB), attachmentOf("c.pdf", 10)],
    });
    const { message, largeAttachments, overflowAttachments } = buildGraphMessage(item);
    expect(message.attachments?.map((a) => a.name)).toEqual(["a.pdf", "c.pdf"]);
    expect(overflowAttachments.map((a) => [a.index, a.name])).toEqual([[1, "b.pdf"]]);
    expect(largeAttachments).toEqual([]);
  });

  it("omits the attachments array when nothing goes inline", () => {
    expect(buildGraphMessage(sampleChatItem({ attachments: [] })).message.attachments).toBeUndefined();
    const onlyBig = buildGraphMessage(sampleChatItem({ attachments: [attachmentOf("big.pdf", 4 * MiB)] }));
    expect(onlyBig.message.attachments).toBeUndefined();
    expect(onlyBig.largeAttachments).toHaveLength(1);
  });

  it("escapes hostile content in the HTML body and sanitises attachment labels", () => {
    const { message } = buildGraphMessage(
      sampleChatItem({
        content: '<script>fetch("http://evil.example")</script><img src="http://tracker.example/x.gif">',
        attachments: [{ fileName: "x\r\ny.exe", contentType: "text/html; charset=utf-8", data: Buffer.from("<p>") }],
      }),
    );
    expect(message.body.content).not.toMatch(/<script|<img/i);
    expect(message.body.content).toContain("&lt;script&gt;fetch(&quot;http://evil.example&quot;)&lt;/script&gt;");
    expect(message.attachments?.[0]).toMatchObject({ name: "x y.exe", contentType: "application/octet-stream" });
  });

  it("uses the caller's address resolution", () => {
    const { message } = buildGraphMessage(sampleChatItem(), { addressOf: (u) => `${u.imId.split("@")[0]}@contoso.example` });
    expect(message.from.emailAddress.address).toBe("alee@contoso.example");
    expect(message.toRecipients.map((r) => r.emailAddress.address)).toEqual(["jsmith@contoso.example"]);
  });

  it("refuses an item with an invalid timestamp with an AppError", () => {
    expect(() => buildGraphMessage(sampleChatItem({ timestamp: new Date("nonsense") }))).toThrow(AppError);
  });
});
