import { describe, expect, it } from "vitest";
import { sampleChatItem } from "@/lib/email/__fixtures__/sample-chat-item";
import { safeContentTypeOf, safeFileNameOf } from "@/lib/email/attachment-metadata";
import { toHeaderText } from "@/lib/email/header-text";
import { conversationThreadIdOf, internetMessageIdOf, itemKeyDigestOf, messageIdDomainOf } from "@/lib/email/message-identity";
import { escapeHtml, formatUtc, renderItemContent, renderItemSubject } from "@/lib/email/render-item-content";
import type { ChatUser } from "@/lib/ice-chat/types";

describe("escapeHtml", () => {
  it("escapes the five HTML specials and NUL, and leaves other text alone", () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&amp;</a>`)).toBe("&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;");
    expect(escapeHtml("a\u0000b")).toBe("a\uFFFDb");
    const plain = "no specials here ✅";
    expect(escapeHtml(plain)).toBe(plain);
  });
});

describe("renderItemSubject", () => {
  const base = sampleChatItem();
  const withRoom = (roomName: string | undefined, extra: Partial<typeof base.context> = {}) =>
    renderItemSubject({ ...base, context: { ...base.context, roomName, ...extra } });

  it("names the room, or the participants, or the room id", () => {
    expect(withRoom("NatGas Brokers")).toBe("ICE Chat: NatGas Brokers");
    expect(withRoom(undefined)).toBe("ICE Chat: Ann Lee, John Smith");
    expect(withRoom("   ")).toBe("ICE Chat: Ann Lee, John Smith");
    const anonymous: ChatUser = { imId: "" };
    expect(renderItemSubject({ ...base, sender: anonymous, recipients: [], context: { ...base.context, roomName: undefined, participants: [] } })).toBe(
      "ICE Chat: Unknown user",
    );
  });

  it("is one bounded header line", () => {
    const subject = withRoom(`a\r\nb${"x".repeat(1000)}`);
    expect(subject).not.toMatch(/[\r\n]/);
    expect(subject.length).toBeLessThanOrEqual(200 + "ICE Chat: ".length);
    expect(subject.startsWith("ICE Chat: a b")).toBe(true);
  });
});

describe("renderItemContent", () => {
  it("renders the same facts in text and HTML", () => {
    const { text, html } = renderItemContent(sampleChatItem());
    for (const fact of ["NatGas Brokers (R-88412, GROUP)", "c-20261122-88412", "m-000002", "2026-11-22 13:04:02.250 UTC", "Offer 2.87, see attached curve"]) {
      expect(text).toContain(fact);
      expect(html).toContain(fact);
    }
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).not.toMatch(/<(script|img|a|link|iframe|object)\b/i);
  });

  it("caps a huge participant list", () => {
    const many: ChatUser[] = Array.from({ length: 250 }, (_, i) => ({ imId: `u${i}@ice.acme` }));
    const item = sampleChatItem();
    const { text } = renderItemContent({ ...item, context: { ...item.context, participants: many } });
    expect(text).toContain("u99@ice.acme; and 150 more");
    expect(text).not.toContain("u100@ice.acme");
  });

  it("lists each disclaimer once", () => {
    const item = sampleChatItem();
    const { text } = renderItemContent({ ...item, context: { ...item.context, disclaimers: ["A", " A ", "B", ""] } });
    expect(text).toContain("Disclaimer:\nA\nB\n");
  });
});

describe("formatUtc", () => {
  it("shows milliseconds only when present", () => {
    expect(formatUtc(new Date("2026-11-22T13:04:02Z"))).toBe("2026-11-22 13:04:02 UTC");
    expect(formatUtc(new Date("2026-11-22T13:04:02.007Z"))).toBe("2026-11-22 13:04:02.007 UTC");
  });
});

describe("message identity", () => {
  it("is stable, distinct per item, and case-insensitive in the firm code", () => {
    expect(internetMessageIdOf("ACME01", "c", "m")).toBe(internetMessageIdOf("acme01", "c", "m"));
    expect(internetMessageIdOf("ACME01", "c", "m")).not.toBe(internetMessageIdOf("ACME01", "c", "m2"));
    // No separator ambiguity: ("a","bc") and ("ab","c") differ.
    expect(itemKeyDigestOf("f", "a", "bc")).not.toBe(itemKeyDigestOf("f", "ab", "c"));
    expect(conversationThreadIdOf("ACME01", "c")).toMatch(/^<conv-[0-9a-f]{64}@ice-chat\.acme01\.invalid>$/);
    expect(conversationThreadIdOf("ACME01", "c")).not.toBe(internetMessageIdOf("ACME01", "c", ""));
  });

  it("derives a valid domain label from any firm code", () => {
    expect(messageIdDomainOf("ACME01")).toBe("ice-chat.acme01.invalid");
    expect(messageIdDomainOf(" Acme & Co. <x>\r\n")).toBe("ice-chat.acme-co-x.invalid");
    expect(messageIdDomainOf("日本")).toBe("ice-chat.unknown.invalid");
    expect(messageIdDomainOf(undefined)).toBe("ice-chat.unknown.invalid");
    expect(messageIdDomainOf("a".repeat(100)).length).toBe("ice-chat..invalid".length + 63);
  });
});

describe("header and attachment labels", () => {
  it("toHeaderText removes every line break and control character", () => {
    expect(toHeaderText(" a\r\nb\u0000c\u2028d\u0085e ")).toBe("a b c d e");
    expect(toHeaderText("x".repeat(10), 5)).toBe("xxxx…");
    // A surrogate pair is never cut in half.
    expect(toHeaderText("abc😀x", 5)).toBe("abc…");
  });

  it("safeContentTypeOf keeps plain media types and downgrades the rest", () => {
    expect(safeContentTypeOf("Text/CSV")).toBe("text/csv");
    expect(safeContentTypeOf("application/vnd.ms-excel")).toBe("application/vnd.ms-excel");
    for (const bad of ["", undefined, "text/html; charset=utf-8", "text", "multipart/mixed", "message/rfc822", "a/b\r\nX: y"]) {
      expect(safeContentTypeOf(bad)).toBe("application/octet-stream");
    }
  });

  it("safeFileNameOf removes path separators and falls back to a numbered name", () => {
    expect(safeFileNameOf({ fileName: "..\\..\\boot.ini" }, 0)).toBe(".._.._boot.ini");
    expect(safeFileNameOf({ fileName: " \r\n " }, 2)).toBe("attachment-3");
    expect(safeFileNameOf({ fileName: ".." }, 0)).toBe("attachment-1");
  });
});
