import { describe, expect, it } from "vitest";
import { internetMessageIdFromDigest, internetMessageIdOf, itemKeyDigestOf, messageIdDomainOf } from "./message-identity";

// These values are stored in mailboxes (the IceChatItemKey property, the Message-ID) and
// looked up by later runs: they must never change, whatever the implementation.
const DIGEST = "3c6a002a102131eb6458b4a701c1da040d4f65730abf7b3a7ce9908426b8d7d6";

describe("message identity", () => {
  it("keeps the item-key digest and Message-ID of a known item fixed forever", () => {
    expect(itemKeyDigestOf("ACME01", "c-20261122-00003", "c-20261122-00003-m000100")).toBe(DIGEST);
    expect(internetMessageIdOf("ACME01", "c-20261122-00003", "c-20261122-00003-m000100")).toBe(`<${DIGEST}@ice-chat.acme01.invalid>`);
    expect(internetMessageIdFromDigest("ACME01", DIGEST)).toBe(`<${DIGEST}@ice-chat.acme01.invalid>`);
  });

  it("compares firm codes case-insensitively and keeps ids apart that a separator could merge", () => {
    expect(itemKeyDigestOf(" acme01 ", "c", "m")).toBe(itemKeyDigestOf("ACME01", "c", "m"));
    expect(itemKeyDigestOf("ACME01", "a/b", "c")).not.toBe(itemKeyDigestOf("ACME01", "a", "b/c"));
    expect(itemKeyDigestOf("ACME01", "c", "m 日本")).toMatch(/^[0-9a-f]{64}$/);
  });

  it("makes a DNS label of any firm code, under the reserved .invalid domain", () => {
    expect(messageIdDomainOf("ACME 01/Ltd")).toBe("ice-chat.acme-01-ltd.invalid");
    expect(messageIdDomainOf(undefined)).toBe("ice-chat.unknown.invalid");
    expect(messageIdDomainOf("---")).toBe("ice-chat.unknown.invalid");
    expect(messageIdDomainOf("x".repeat(100))).toBe(`ice-chat.${"x".repeat(63)}.invalid`);
  });
});
