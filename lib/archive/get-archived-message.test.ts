import MailComposer from "nodemailer/lib/mail-composer";
import { describe, expect, it } from "vitest";
import {
  ARCHIVE_HTML_CSP,
  attachmentContentDispositionOf,
  downloadContentTypeOf,
  emlFileNameOf,
  parseArchivedMessage,
  sandboxedHtmlDocumentOf,
} from "@/lib/archive/get-archived-message";
import { decodeArchiveCursor, encodeArchiveCursor, escapeLikePattern } from "@/lib/archive/search-archived-messages";

async function compose(): Promise<Buffer> {
  return new MailComposer({
    from: "Alice Trader <alice@firm.example>",
    to: ["bob@firm.example", "Carol <carol@other.example>"],
    subject: "Trade idea — EUR <b>",
    date: new Date("2026-01-05T10:11:12Z"),
    messageId: "<m1@ice.test>",
    headers: [
      { key: "X-ICE-ConversationID", value: "conv-1" },
      { key: "X-ICE-RoomID", value: "room-7" },
    ],
    text: "hello <b>bold?</b>",
    html: '<p>hi</p><script>alert(1)</script><img src="http://evil.example/x.png">',
    attachments: [
      { filename: "trades.csv", content: "a,b\n1,2\n", contentType: "text/csv" },
      { filename: "../../evil.html", content: "<script>x</script>", contentType: "text/html" },
    ],
  })
    .compile()
    .build();
}

describe("parseArchivedMessage", () => {
  it("reads headers, bodies and attachment metadata", async () => {
    const m = await parseArchivedMessage(await compose());
    expect(m.parseError).toBeNull();
    expect(m.subject).toBe("Trade idea — EUR <b>");
    expect(m.from).toBe("Alice Trader <alice@firm.example>");
    expect(m.to).toEqual(["bob@firm.example", "Carol <carol@other.example>"]);
    expect(m.date?.toISOString()).toBe("2026-01-05T10:11:12.000Z");
    expect(m.messageId).toBe("<m1@ice.test>");
    expect(m.iceHeaders).toEqual([
      { name: "X-ICE-ConversationID", value: "conv-1" },
      { name: "X-ICE-RoomID", value: "room-7" },
    ]);
    expect(m.text?.trim()).toBe("hello <b>bold?</b>");
    expect(m.html).toContain("<script>");
    expect(m.attachments).toEqual([
      { index: 0, fileName: "trades.csv", contentType: "text/csv", size: 8 },
      { index: 1, fileName: "../../evil.html", contentType: "text/html", size: 18 },
    ]);
  });

  it("does not throw on garbage", async () => {
    const garbage = Buffer.from([0xff, 0xfe, 0x00, 0x0d, 0x0a, 0x41, 0x0d, 0x0a, 0x0d, 0x0a, 0x42]);
    const m = await parseArchivedMessage(garbage);
    expect(m.text ?? "").toContain("B");
    expect(m.attachments).toEqual([]);
    const broken = await parseArchivedMessage(Buffer.from('Content-Type: multipart/mixed; boundary="zz"\r\n\r\n--zz\r\nContent-Type: text/html\r\n\r\n<p>cut'));
    expect(broken.html).toContain("<p>cut");
    const headerOnly = await parseArchivedMessage(Buffer.from("Subject: only\r\n\r\n"));
    expect(headerOnly.subject).toBe("only");
    expect(headerOnly.html).toBeNull();
  });
});

describe("sandboxedHtmlDocumentOf", () => {
  it("puts the policy first and strips meta refresh", () => {
    const doc = sandboxedHtmlDocumentOf('<html><head><meta http-equiv="refresh" content="0;url=http://evil.example/"></head><body>x</body></html>');
    expect(doc.startsWith(`<!DOCTYPE html><meta http-equiv="Content-Security-Policy" content="${ARCHIVE_HTML_CSP}">`)).toBe(true);
    expect(doc).not.toMatch(/refresh/i);
    expect(doc).toContain("<body>x</body>");
    expect(ARCHIVE_HTML_CSP).toContain("default-src 'none'");
    expect(ARCHIVE_HTML_CSP).not.toContain("script-src");
  });
});

describe("download helpers", () => {
  it("forces octet-stream for anything that could render as active content", () => {
    expect(downloadContentTypeOf("text/csv; charset=utf-8")).toBe("text/csv");
    expect(downloadContentTypeOf("IMAGE/PNG")).toBe("image/png");
    expect(downloadContentTypeOf("application/pdf")).toBe("application/pdf");
    for (const t of ["text/html", "image/svg+xml", "application/xhtml+xml", "text/xml", "application/javascript", "", undefined, "text/plain\r\nX: y"]) {
      expect(downloadContentTypeOf(t)).toBe("application/octet-stream");
    }
  });

  it("builds a Content-Disposition that cannot be broken out of", () => {
    expect(attachmentContentDispositionOf("trades.csv")).toBe(`attachment; filename="trades.csv"; filename*=UTF-8''trades.csv`);
    const hostile = attachmentContentDispositionOf('a"b\r\nSet-Cookie: x=1/../é.txt');
    expect(hostile).not.toMatch(/[\r\n]/);
    expect(hostile.match(/"/g)).toHaveLength(2);
    expect(hostile).toContain("filename*=UTF-8''a%22b__Set-Cookie%3A%20x%3D1_.._%C3%A9.txt");
    expect(attachmentContentDispositionOf("...", "attachment-1")).toContain('filename="attachment-1"');
    expect(attachmentContentDispositionOf("", "x.eml")).toContain('filename="x.eml"');
  });

  it("makes .eml names from the UTC day and a subject slug", () => {
    expect(emlFileNameOf("Trade idea — EUR/USD!", new Date("2026-01-05T23:30:00Z"))).toBe("2026-01-05-trade-idea-eur-usd.eml");
    expect(emlFileNameOf("🙂🙂", new Date("2026-01-05T00:00:00Z"))).toBe("2026-01-05-message.eml");
    expect(emlFileNameOf("x".repeat(500), new Date("2026-01-05T00:00:00Z"))).toHaveLength("2026-01-05-".length + 60 + 4);
  });
});

describe("search cursors", () => {
  it("round-trips and refuses tampered tokens", () => {
    const c = { direction: "older" as const, sentAt: new Date("2026-01-05T10:00:00.123Z"), id: "6f1c0e9a-4a8e-4c3b-9a55-0d7d3c2c9b11" };
    expect(decodeArchiveCursor(encodeArchiveCursor(c))).toEqual(c);
    expect(() => decodeArchiveCursor("not-a-cursor")).toThrow(/page link is invalid/);
    const bad = Buffer.from(JSON.stringify({ d: "o", t: "2026-01-05T10:00:00Z", i: "1 OR 1=1" })).toString("base64url");
    expect(() => decodeArchiveCursor(bad)).toThrow(/page link is invalid/);
  });

  it("escapes LIKE wildcards", () => {
    expect(escapeLikePattern("50%_off\\")).toBe("50\\%\\_off\\\\");
  });
});
