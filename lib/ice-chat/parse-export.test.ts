import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { parseIceChatExport } from "./parse-export";
import {
  chunkBytes,
  entered,
  exportOf,
  formatDocSample,
  left,
  message,
  parseChunks,
  parseXml,
  serializeRecords,
  toBytes,
} from "./parse-test-support";
import { itemKeyOf } from "./types";

describe("parseIceChatExport: the format document's sample", () => {
  it("yields both messages with their fields, context and attachment", async () => {
    const { items, errors, stats } = await parseXml(formatDocSample());
    expect(errors).toEqual([]);
    expect(items.map((i) => i.messageId)).toEqual(["m-000001", "m-000002"]);

    const [first, second] = items as [(typeof items)[0], (typeof items)[0]];
    expect(first.conversationId).toBe("c-20261122-88412");
    expect(first.timestamp.toISOString()).toBe("2026-11-22T13:03:40.125Z");
    expect(first.sender).toEqual({
      imId: "jsmith@ice.acme",
      loginName: "jsmith17",
      firstName: "John",
      lastName: "Smith",
      companyName: "ACME Energy",
      email: "john.smith@acme.example",
    });
    expect(first.recipients).toEqual([{ imId: "alee@ice.broker", email: "ann.lee@broker.example" }]);
    expect(first.content).toBe("Bid 2.85 Jun, 10k/day?");
    expect(first.attachments).toEqual([]);
    expect(first.context).toMatchObject({
      conversationId: "c-20261122-88412",
      roomId: "R-88412",
      roomName: "NatGas Brokers",
      roomType: "GROUP",
      firmCode: "ACME01",
      disclaimers: ["This conversation is recorded for compliance purposes."],
    });
    expect(first.context.startTime?.toISOString()).toBe("2026-11-22T13:02:11.000Z");
    expect(first.context.participants.map((p) => p.imId)).toEqual(["jsmith@ice.acme"]);

    expect(second.timestamp.toISOString()).toBe("2026-11-22T13:04:02.000Z");
    // Recipient details come from the participant list, the e-mail from the message.
    expect(second.recipients).toEqual([first.sender]);
    expect(second.attachments).toHaveLength(1);
    expect(second.attachments[0]).toMatchObject({ fileName: "curve.csv", contentType: "text/csv", declaredSize: 24 });
    expect(second.attachments[0]!.data.toString("utf8")).toBe("month,price\nJun,2.87\n");

    expect(stats).toMatchObject({
      conversations: 1,
      messages: 2,
      items: 2,
      itemErrors: 0,
      participantEvents: 2,
      disclaimers: 1,
      attachments: 1,
      firmCode: "ACME01",
      exportDate: "2026-11-22",
    });
    expect(stats.unknownElements.size).toBe(0);
    // The sample declares Size 24 for 21 bytes: kept, but reported.
    expect(stats.warnings).toBe(1);
    expect(stats.warningSamples[0]).toMatch(/declares Size 24 but holds 21 bytes/);
    expect(stats.bytesRead).toBe(Buffer.byteLength(formatDocSample()));
  });

  it("keys items by conversation and message", async () => {
    const { items } = await parseXml(formatDocSample());
    expect(new Set(items.map(itemKeyOf)).size).toBe(2);
  });
});

describe("tolerant reading", () => {
  const elementForm = exportOf(`
    <Conversation>
      <ConversationID>c1</ConversationID><RoomID>r1</RoomID><RoomType>P2P</RoomType>
      ${entered("a@ice", "<Email>a@x.example</Email>")}
      <Message>
        <MessageID>m1</MessageID><DateTime>2026-11-22T13:05:00Z</DateTime>
        <SenderImId>a@ice</SenderImId><SenderEmail>a@x.example</SenderEmail>
        <RecipientImId>b@ice</RecipientImId><RecipientEmail>b@x.example</RecipientEmail>
        <Content>hello</Content>
      </Message>
    </Conversation>`);
  const attributeForm = exportOf(`
    <Conversation id="c1" RoomID="r1" roomtype="P2P">
      <ParticipantEntered DateTime="2026-11-22T13:00:00Z"><User ImId="a@ice" Email="a@x.example"/></ParticipantEntered>
      <Message id="m1" DateTime="2026-11-22T13:05:00Z" SenderImId="a@ice" SenderEmail="a@x.example"
               RecipientImId="b@ice" RecipientEmail="b@x.example" Content="hello"/>
    </Conversation>`);

  it("reads a field as an attribute exactly as the child element", async () => {
    const a = await parseXml(elementForm);
    const b = await parseXml(attributeForm);
    expect(a.items).toHaveLength(1);
    expect(serializeRecords(b.records)).toBe(serializeRecords(a.records));
  });

  it("matches element and attribute names case-insensitively and ignores namespace prefixes", async () => {
    const shouting = elementForm
      .replace(/<(\/?)([A-Za-z]+)/g, (_m, slash: string, name: string) => `<${slash}${name.toUpperCase()}`)
      .replace("<?XML", "<?xml");
    const prefixed = elementForm
      .replace(/<(\/?)([A-Za-z]+)/g, (_m, slash: string, name: string) => `<${slash}ice:${name.toLowerCase()}`)
      .replace("<?ice:xml", "<?xml")
      .replace("<ice:icechatexport ", '<ice:icechatexport xmlns:ice="urn:ice" ');
    const base = serializeRecords((await parseXml(elementForm)).records);
    const upper = await parseXml(shouting);
    const ns = await parseXml(prefixed);
    expect(serializeRecords(upper.records)).toBe(base);
    expect(serializeRecords(ns.records)).toBe(base);
    expect(ns.stats.unknownAttributes.size).toBe(0); // xmlns:ice is plumbing, not data
  });

  it("decodes entities and CDATA, and keeps Content whitespace as typed", async () => {
    const { items } = await parseXml(
      exportOf(`<Conversation><ConversationID> c1 </ConversationID>
        ${message(" m1 ", "<SenderImId> a@ice </SenderImId><Content>  a &amp; b &lt;c&gt; &#x1F600; <![CDATA[<raw> & ]]>\n  line 2</Content>")}
      </Conversation>`),
    );
    expect(items[0]!.conversationId).toBe("c1");
    expect(items[0]!.messageId).toBe("m1");
    expect(items[0]!.sender.imId).toBe("a@ice");
    expect(items[0]!.content).toBe("  a & b <c> 😀 <raw> & \n  line 2");
  });

  it("keeps text inside markup nested in Content, counting the markup as unknown", async () => {
    const { items, stats } = await parseXml(
      exportOf(`<Conversation><ConversationID>c1</ConversationID>
        ${message("m1", "<SenderImId>a@ice</SenderImId><Content>Hello <b>bold</b> world</Content>")}
      </Conversation>`),
    );
    expect(items[0]!.content).toBe("Hello bold world");
    expect(stats.unknownElements.get("b")).toBe(1);
  });

  it("counts unknown elements and attributes, and reads known records inside unknown wrappers", async () => {
    const { items, stats } = await parseXml(
      exportOf(
        `<Header><Generator>ICE</Generator></Header>
        <Conversation Colour="blue"><ConversationID>c1</ConversationID><Mood>calm</Mood>
          <Participants>${entered("a@ice")}</Participants>
          <Messages>
            ${message("m1", "<SenderImId>a@ice</SenderImId><Priority>high</Priority><Content>x</Content>")}
            ${message("m2", "<SenderImId>a@ice</SenderImId><Priority>low</Priority><Content>y</Content>")}
          </Messages>
        </Conversation>`,
        'firmCode="F1" xmlns="urn:x" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="urn:x x.xsd" extra="1"',
      ),
    );
    expect(items.map((i) => i.messageId)).toEqual(["m1", "m2"]);
    expect(items[0]!.context.participants.map((p) => p.imId)).toEqual(["a@ice"]);
    expect(Object.fromEntries(stats.unknownElements)).toEqual({
      Header: 1,
      Generator: 1,
      Mood: 1,
      Participants: 1,
      Messages: 1,
      Priority: 2,
    });
    expect(Object.fromEntries(stats.unknownAttributes)).toEqual({ Colour: 1, extra: 1 });
  });
});

describe("timestamps in messages", () => {
  it.each([
    ["2026-11-22T13:05:00.250Z", "2026-11-22T13:05:00.250Z"],
    ["2026-11-22T14:05:00+01:00", "2026-11-22T13:05:00.000Z"],
    ["2026-11-22T13:05:00", "2026-11-22T13:05:00.000Z"],
    ["1795352700", "2026-11-22T13:05:00.000Z"],
    ["1795352700250", "2026-11-22T13:05:00.250Z"],
    ["11/22/2026 13:05:00", "2026-11-22T13:05:00.000Z"],
  ])("reads %s", async (raw, expected) => {
    const { items } = await parseXml(
      exportOf(`<Conversation><ConversationID>c1</ConversationID>${message("m1", "<SenderImId>a@ice</SenderImId>", raw)}</Conversation>`),
    );
    expect(items[0]!.timestamp.toISOString()).toBe(expected);
  });
});

describe("item errors: a bad message is reported and the file goes on", () => {
  it("reports invalid timestamp, missing MessageID, DateTime and sender, and keeps the good messages", async () => {
    const { records, items, errors, stats } = await parseXml(
      exportOf(`<Conversation><ConversationID>c1</ConversationID>
        ${message("m1", "<SenderImId>a@ice</SenderImId>", "yesterday at noon")}
        <Message><DateTime>2026-11-22T13:05:00Z</DateTime><SenderImId>a@ice</SenderImId></Message>
        <Message><MessageID>m3</MessageID><SenderImId>a@ice</SenderImId></Message>
        ${message("m4", "<Content>who sent this?</Content>")}
        ${message("m5", "<SenderImId>a@ice</SenderImId><Content>fine</Content>")}
      </Conversation>`),
    );
    expect(records.map((r) => r.kind)).toEqual(["error", "error", "error", "error", "item"]);
    expect(items.map((i) => i.messageId)).toEqual(["m5"]);
    expect(errors[0]).toMatchObject({ conversationId: "c1", messageId: "m1" });
    expect(errors[0]!.reason).toMatch(/invalid timestamp "yesterday at noon"/);
    expect(errors[1]).toEqual({ conversationId: "c1", reason: "message has no MessageID", line: 5 });
    expect(errors[2]).toMatchObject({ messageId: "m3", reason: "message has no DateTime" });
    expect(errors[3]).toMatchObject({ messageId: "m4" });
    expect(errors[3]!.reason).toMatch(/no SenderImId/);
    expect(stats).toMatchObject({ messages: 5, items: 1, itemErrors: 4 });
  });

  it("reports a message outside any conversation and one before its ConversationID", async () => {
    const { errors } = await parseXml(
      exportOf(`${message("m0", "<SenderImId>a@ice</SenderImId>")}
        <Conversation>${message("m1", "<SenderImId>a@ice</SenderImId>")}<ConversationID>late</ConversationID></Conversation>`),
    );
    expect(errors.map((e) => e.reason)).toEqual([
      "Message outside a Conversation",
      "conversation has no ConversationID before this message",
    ]);
    expect(errors[0]!.messageId).toBe("m0");
  });

  it("identifies a sender given only by e-mail from the participant list", async () => {
    const { items } = await parseXml(
      exportOf(`<Conversation><ConversationID>c1</ConversationID>
        ${entered("a@ice", "<FirstName>Ann</FirstName><Email>Ann@X.example</Email>")}
        ${message("m1", "<SenderEmail>ann@x.example</SenderEmail>")}
      </Conversation>`),
    );
    expect(items[0]!.sender).toEqual({ imId: "a@ice", firstName: "Ann", email: "ann@x.example" });
  });

  it("takes the sender from a User block inside the message, and SenderName as display name", async () => {
    const { items } = await parseXml(
      exportOf(`<Conversation><ConversationID>c1</ConversationID>
        ${message("m1", "<User><ImId>z@ice</ImId><FirstName>Zoë</FirstName><Email>z@x.example</Email></User><SenderName>Zoë Z.</SenderName>")}
      </Conversation>`),
    );
    expect(items[0]!.sender).toEqual({ imId: "z@ice", firstName: "Zoë", email: "z@x.example", displayName: "Zoë Z." });
  });
});

describe("recipients", () => {
  const conv = (body: string): string =>
    exportOf(`<Conversation><ConversationID>c1</ConversationID>
      ${entered("a@ice", "<FirstName>Ann</FirstName><Email>a@x.example</Email>")}
      ${entered("b@ice", "<FirstName>Bob</FirstName><Email>b@x.example</Email>")}
      ${entered("c@ice", "<FirstName>Cy</FirstName><Email>c@x.example</Email>")}
      ${message("m1", `<SenderImId>a@ice</SenderImId>${body}`)}
    </Conversation>`);

  it("pairs several RecipientImId/RecipientEmail elements positionally", async () => {
    const { items } = await parseXml(
      conv(
        "<RecipientImId>b@ice</RecipientImId><RecipientEmail>bob@other.example</RecipientEmail>" +
          "<RecipientImId>d@ice</RecipientImId><RecipientEmail>d@x.example</RecipientEmail>",
      ),
    );
    expect(items[0]!.recipients).toEqual([
      { imId: "b@ice", firstName: "Bob", email: "bob@other.example" },
      { imId: "d@ice", email: "d@x.example" },
    ]);
  });

  it.each([";", ",", " ; ", ", "])("splits one element holding addresses separated by %j", async (sep) => {
    const { items } = await parseXml(
      conv(`<RecipientImId>b@ice${sep}c@ice</RecipientImId><RecipientEmail>b@x.example${sep}c@x.example${sep}</RecipientEmail>`),
    );
    expect(items[0]!.recipients).toEqual([
      { imId: "b@ice", firstName: "Bob", email: "b@x.example" },
      { imId: "c@ice", firstName: "Cy", email: "c@x.example" },
    ]);
  });

  it("pairs by participant list when the counts differ, never dropping an address", async () => {
    const { items, stats } = await parseXml(
      conv(
        "<RecipientImId>b@ice;c@ice</RecipientImId>" +
          "<RecipientEmail>C@x.example;b@x.example;stranger@else.example</RecipientEmail>",
      ),
    );
    expect(items[0]!.recipients).toEqual([
      { imId: "b@ice", firstName: "Bob", email: "b@x.example" },
      { imId: "c@ice", firstName: "Cy", email: "c@x.example" },
      { imId: "stranger@else.example", email: "stranger@else.example" },
    ]);
    expect(stats.warningSamples.join("\n")).toMatch(/2 RecipientImId value\(s\) but 3 RecipientEmail/);
    expect(stats.warningSamples.join("\n")).toMatch(/stranger@else.example" has no known ImId/);
  });

  it("finds the ImId of an e-mail-only recipient in the participant list", async () => {
    const { items } = await parseXml(conv("<RecipientEmail>c@x.example</RecipientEmail>"));
    expect(items[0]!.recipients).toEqual([{ imId: "c@ice", firstName: "Cy", email: "c@x.example" }]);
  });

  it("lists a recipient once even if named twice", async () => {
    const { items } = await parseXml(conv("<RecipientImId>b@ice;B@ICE</RecipientImId>"));
    expect(items[0]!.recipients.map((r) => r.imId)).toEqual(["b@ice"]);
  });

  it("addresses a message without recipients to the participants present, unless told not to", async () => {
    const inferred = await parseXml(conv(""));
    expect(inferred.items[0]!.recipients.map((r) => r.imId)).toEqual(["b@ice", "c@ice"]);
    expect(inferred.stats.recipientsInferred).toBe(1);
    const notInferred = await parseXml(conv(""), { inferRecipientsFromParticipants: false });
    expect(notInferred.items[0]!.recipients).toEqual([]);
    expect(notInferred.stats.recipientsInferred).toBe(0);
  });
});

describe("conversation context", () => {
  it("carries the participants present at each message, and the disclaimers", async () => {
    const { items, stats } = await parseXml(
      exportOf(`<Conversation><ConversationID>c1</ConversationID><RoomName>Desk</RoomName>
        ${entered("a@ice", "<FirstName>Ann</FirstName>")}
        <Disclaimer><Content>Recorded.</Content></Disclaimer>
        ${message("m1", "<SenderImId>a@ice</SenderImId>")}
        ${entered("b@ice")}
        ${message("m2", "<SenderImId>b@ice</SenderImId>")}
        <Disclaimer><DateTime>2026-11-22T13:10:00Z</DateTime><Content>  Second notice.  </Content></Disclaimer>
        ${left("a@ice")}
        ${message("m3", "<SenderImId>b@ice</SenderImId>")}
        ${entered("a@ice")}
        ${message("m4", "<SenderImId>a@ice</SenderImId>")}
        ${left("nobody@ice")}
        <ParticipantLeft><User><ImId>carol@ice</ImId><FirstName>Carol</FirstName></User></ParticipantLeft>
        ${message("m5", "<SenderImId>carol@ice</SenderImId>")}
      </Conversation>`),
    );
    const present = items.map((i) => i.context.participants.map((p) => p.imId));
    expect(present).toEqual([["a@ice"], ["a@ice", "b@ice"], ["b@ice"], ["b@ice", "a@ice"], ["b@ice", "a@ice"]]);
    expect(items.map((i) => i.context.disclaimers)).toEqual([
      ["Recorded."],
      ["Recorded."],
      ["Recorded.", "Second notice."],
      ["Recorded.", "Second notice."],
      ["Recorded.", "Second notice."],
    ]);
    // Someone leaving who entered in an earlier file: no fuss, and their details are used.
    expect(items[4]!.sender).toEqual({ imId: "carol@ice", firstName: "Carol" });
    expect(stats.warnings).toBe(0);
    // A re-entry without details keeps what was known; a sender who left is still described.
    expect(items[3]!.sender.firstName).toBe("Ann");
    expect(items[3]!.context.participants[1]!.firstName).toBe("Ann");
    expect(items[0]!.context.roomName).toBe("Desk");
  });

  it("shares one frozen context between messages until something changes", async () => {
    const { items } = await parseXml(
      exportOf(`<Conversation><ConversationID>c1</ConversationID>${entered("a@ice")}
        ${message("m1", "<SenderImId>a@ice</SenderImId>")}${message("m2", "<SenderImId>a@ice</SenderImId>")}
        ${entered("b@ice")}${message("m3", "<SenderImId>a@ice</SenderImId>")}</Conversation>`),
    );
    expect(items[0]!.context).toBe(items[1]!.context);
    expect(items[2]!.context).not.toBe(items[1]!.context);
    expect(Object.isFrozen(items[0]!.context)).toBe(true);
    expect(Object.isFrozen(items[0]!.context.participants)).toBe(true);
    expect(() => items[0]!.context.participants.push({ imId: "x" })).toThrow(TypeError);
  });

  it("starts each conversation afresh in a multi-conversation file", async () => {
    const { items, stats } = await parseXml(
      exportOf(`
        <Conversation><ConversationID>c1</ConversationID><RoomID>r1</RoomID>${entered("a@ice")}
          <Disclaimer><Content>D1</Content></Disclaimer>${message("m1", "<SenderImId>a@ice</SenderImId>")}</Conversation>
        <Conversation><ConversationID>c2</ConversationID>${entered("b@ice")}${message("m1", "<SenderImId>b@ice</SenderImId>")}</Conversation>
        <Conversation><ConversationID>c1</ConversationID>${message("m2", "<SenderImId>a@ice</SenderImId>")}</Conversation>`),
    );
    expect(items.map((i) => [i.conversationId, i.messageId])).toEqual([
      ["c1", "m1"],
      ["c2", "m1"],
      ["c1", "m2"],
    ]);
    expect(items[1]!.context.roomId).toBeUndefined();
    expect(items[1]!.context.disclaimers).toEqual([]);
    expect(items[1]!.context.participants.map((p) => p.imId)).toEqual(["b@ice"]);
    expect(items.map((i) => i.context.firmCode)).toEqual(["ACME01", "ACME01", "ACME01"]);
    expect(new Set(items.map(itemKeyOf)).size).toBe(3);
    expect(stats.conversations).toBe(3);
  });

  it("reads the firm code given as a child element of the root", async () => {
    const { items, stats } = await parseXml(
      exportOf(`<FirmCode>F9</FirmCode><Conversation><ConversationID>c1</ConversationID>${message("m1", "<SenderImId>a@ice</SenderImId>")}</Conversation>`, ""),
    );
    expect(items[0]!.context.firmCode).toBe("F9");
    expect(stats.firmCode).toBe("F9");
  });
});

describe("attachments", () => {
  const withAttachments = (attachments: string): string =>
    exportOf(`<Conversation><ConversationID>c1</ConversationID>${message("m1", `<SenderImId>a@ice</SenderImId>${attachments}`)}${message("m2", "<SenderImId>a@ice</SenderImId>")}</Conversation>`);
  const b64 = (text: string): string => Buffer.from(text).toString("base64");

  it("decodes several attachments, with wrapped base64 and defaults for missing fields", async () => {
    const long = "x".repeat(200);
    const wrapped = b64(long).replace(/.{1,76}/g, "$&\n");
    const { items, stats } = await parseXml(
      withAttachments(
        `<Attachment><FileName>a.txt</FileName><ContentType>text/plain</ContentType><Size>5</Size><Data encoding="base64">${b64("hello")}</Data></Attachment>` +
          `<Attachment><Data>${wrapped}</Data></Attachment>` +
          `<Attachment FileName="empty.bin"/>`,
      ),
    );
    const attachments = items[0]!.attachments;
    expect(attachments.map((a) => [a.fileName, a.contentType, a.declaredSize, a.data.toString()])).toEqual([
      ["a.txt", "text/plain", 5, "hello"],
      ["attachment-2", "application/octet-stream", undefined, long],
      ["empty.bin", "application/octet-stream", undefined, ""],
    ]);
    expect(stats.attachments).toBe(3);
    expect(stats.warningSamples.join("\n")).toMatch(/"empty.bin" of message "m1" has no Data/);
  });

  it.each([
    ["not base64 at all!", /invalid base64/],
    ["aGVsbG8", null], // unpadded is accepted
    ["aGVsbG8=x", /invalid base64/],
    ["aGVs*bG8=", /invalid base64/],
    ["a", /invalid base64/],
  ])("base64 %j", async (data, expected) => {
    const { items, errors } = await parseXml(withAttachments(`<Attachment><FileName>f</FileName><Data>${data}</Data></Attachment>`));
    if (expected === null) {
      expect(items[0]!.attachments[0]!.data.toString()).toBe("hello");
    } else {
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ conversationId: "c1", messageId: "m1" });
      expect(errors[0]!.reason).toMatch(expected);
      expect(items.map((i) => i.messageId)).toEqual(["m2"]); // the file goes on
    }
  });

  it("refuses a transfer encoding other than base64 for that message", async () => {
    const { errors } = await parseXml(withAttachments(`<Attachment><FileName>f</FileName><Data encoding="uuencode">abc</Data></Attachment>`));
    expect(errors[0]!.reason).toMatch(/unsupported encoding "uuencode"/);
  });

  it("makes a message an item error when its attachments exceed the per-message cap", async () => {
    const data = b64("x".repeat(3000));
    const { errors } = await parseXml(
      withAttachments(`<Attachment><Data>${data}</Data></Attachment><Attachment><Data>${data}</Data></Attachment>`),
      { maxAttachmentBytesPerMessage: 5000 },
    );
    expect(errors[0]!.reason).toBe("attachments exceed 5000 bytes");
  });
});

describe("streaming", () => {
  const doc = exportOf(`
    <Conversation><ConversationID>c-ünïcödé</ConversationID><RoomName>市场 — سوق — שוק</RoomName>
      ${entered("a@ice", "<FirstName>Zoë</FirstName><LastName>王</LastName>")}
      ${message("m1", "<SenderImId>a@ice</SenderImId><Content>Deal done 🎉📈 交易完成 &amp; &#128512;</Content><Attachment><FileName>prix-été.csv</FileName><Data>" + Buffer.from("é,€\n").toString("base64") + "</Data></Attachment>")}
      ${message("m2", "<SenderImId>a@ice</SenderImId><Content><![CDATA[x<y]]></Content>", "11/22/2026 13:05:00")}
      ${message("bad", "<SenderImId>a@ice</SenderImId>", "never")}
    </Conversation>`);

  it("gives the same records one byte at a time and in random chunks", async () => {
    const bytes = toBytes(doc);
    const whole = await parseXml(bytes);
    expect(whole.items).toHaveLength(2);
    expect(whole.errors).toHaveLength(1);
    const expected = serializeRecords(whole.records);

    const oneByte = await parseChunks(chunkBytes(bytes, [1]));
    expect(serializeRecords(oneByte.records)).toBe(expected);

    let seed = 12345;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let round = 0; round < 25; round++) {
      const sizes = Array.from({ length: 50 }, () => 1 + Math.floor(random() * 40));
      const result = await parseChunks(chunkBytes(bytes, sizes));
      expect(serializeRecords(result.records)).toBe(expected);
      expect(result.stats.bytesRead).toBe(bytes.length);
    }
  });

  it("accepts a Node Readable and rejects one that yields strings", async () => {
    const fromReadable = await parseChunks(Readable.from(chunkBytes(toBytes(doc), [7])));
    expect(fromReadable.items).toHaveLength(2);
    await expect(parseChunks(Readable.from([doc]))).rejects.toThrow(/must be bytes/);
  });

  it("reads no further input until the consumer takes the records already produced", async () => {
    const body = Array.from({ length: 50 }, (_, i) => message(`m${i}`, "<SenderImId>a@ice</SenderImId>")).join("\n");
    const chunks = chunkBytes(toBytes(exportOf(`<Conversation><ConversationID>c1</ConversationID>${body}</Conversation>`)), [200]);
    let pulled = 0;
    let closed = false;
    async function* source(): AsyncGenerator<Buffer> {
      try {
        for (const chunk of chunks) {
          pulled++;
          yield chunk;
        }
      } finally {
        closed = true;
      }
    }
    const parse = parseIceChatExport(source());
    const iterator = parse[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.done).toBe(false);
    const pulledAtFirstItem = pulled;
    expect(pulledAtFirstItem).toBeLessThan(chunks.length / 4);
    await iterator.next();
    await iterator.next();
    expect(pulled).toBeLessThanOrEqual(pulledAtFirstItem + 2);
    // Stopping early releases the input.
    await iterator.return?.();
    expect(closed).toBe(true);
    expect(pulled).toBeLessThan(chunks.length);
  });

  it("can be iterated only once", async () => {
    const parse = parseIceChatExport([toBytes(doc)]);
    for await (const _record of parse) {
      // drain
    }
    expect(() => parse[Symbol.asyncIterator]()).toThrow(AppError);
  });

  it("validates its options", () => {
    expect(() => parseIceChatExport([], { maxDepth: 0 })).toThrow(/maxDepth must be a positive integer/);
  });
});
