import { describe, expect, it } from "vitest";
import { ICE_CHAT_DIALECT, compileDialect, normalizeName, type IceChatDialect } from "./dialect";
import { parseXml } from "./parse-test-support";

describe("dialect table", () => {
  it("compiles the ICE Chat dialect into case-insensitive lookups", () => {
    const compiled = compileDialect();
    expect(compiled.rootNames.has("icechatexport")).toBe(true);
    expect(compiled.lookup.message.get("messageid")).toEqual({ type: "field", field: "messageId" });
    expect(compiled.lookup.message.get("id")).toEqual({ type: "field", field: "messageId" });
    expect(compiled.lookup.conversation.get("id")).toEqual({ type: "field", field: "conversationId" });
    expect(compiled.lookup.conversation.get("message")).toEqual({ type: "record", record: "message" });
    expect(compiled.lookup.message.get("attachment")).toEqual({ type: "record", record: "attachment" });
    expect(compiled.lookup.user.get("content")).toBeUndefined();
  });

  it("drops namespace prefixes and case", () => {
    expect(normalizeName("ice:MessageID")).toBe("messageid");
    expect(normalizeName("Content")).toBe("content");
  });

  it("refuses an ambiguous table", () => {
    const broken: IceChatDialect = {
      ...ICE_CHAT_DIALECT,
      records: {
        ...ICE_CHAT_DIALECT.records,
        message: { ...ICE_CHAT_DIALECT.records.message, fields: { ...ICE_CHAT_DIALECT.records.message.fields, content: ["Content", "MESSAGEID"] } },
      },
    };
    expect(() => compileDialect(broken)).toThrow(/"MESSAGEID" is ambiguous inside message/);
  });

  it("adapts the parser to another feed's names with a dialect change only", async () => {
    const other: IceChatDialect = {
      ...ICE_CHAT_DIALECT,
      records: {
        ...ICE_CHAT_DIALECT.records,
        root: { ...ICE_CHAT_DIALECT.records.root, names: ["FileDump"] },
        message: {
          ...ICE_CHAT_DIALECT.records.message,
          names: ["Msg"],
          fields: { ...ICE_CHAT_DIALECT.records.message.fields, content: ["Body"], dateTime: ["When"] },
        },
      },
    };
    const xml = `<FileDump><Conversation><ConversationID>c1</ConversationID>
      <Msg id="m1" When="2026-11-22T13:05:00Z" SenderImId="a@ice"><Body>hi</Body></Msg></Conversation></FileDump>`;
    const { items } = await parseXml(xml, { dialect: compileDialect(other) });
    expect(items.map((i) => [i.messageId, i.content])).toEqual([["m1", "hi"]]);
    await expect(parseXml(xml)).rejects.toThrow(/root element <FileDump> is not an ICE Chat export/);
  });
});
