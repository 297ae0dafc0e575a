import { describe, expect, it } from "vitest";
import { isValidEmailAddress, normalizeEmailAddress } from "@/lib/mapping/email-address";
import { parseMappingCsv } from "@/lib/mapping/parse-mapping-csv";
import { createParticipantResolver, planItemDeliveries, type ParticipantResolver } from "@/lib/mapping/resolve-participants";
import { createUnmappedTracker } from "@/lib/mapping/track-unmapped-participants";
import type { ChatUser } from "@/lib/ice-chat/types";

const john: ChatUser = { imId: "jsmith@ice.acme", email: "john.smith@acme.example" };
const ann: ChatUser = { imId: "alee@ice.broker", email: "ann.lee@broker.example" };
const ghost: ChatUser = { imId: "ghost@ice.acme" };

function mailboxOf(resolver: ParticipantResolver, user: ChatUser): string | undefined {
  const r = resolver.resolve(user);
  return "mailbox" in r ? r.mailbox : undefined;
}

function reasonOf(resolver: ParticipantResolver, user: ChatUser): string | undefined {
  const r = resolver.resolve(user);
  return "unmapped" in r ? r.unmapped : undefined;
}

describe("email addresses", () => {
  it.each([
    ["jsmith@ice.acme", true],
    ["o'brien+tag@contoso.example", true],
    ["John <j@contoso.example>", false],
    ["j@contoso", false],
    [" j@contoso.example", false],
    ["a..b@contoso.example", false],
    ["j@contoso.example\r\nBcc: x@y.example", false],
    [`${"a".repeat(65)}@contoso.example`, false],
    [`a@${"b".repeat(250)}.example`, false],
  ])("isValidEmailAddress(%j) = %s", (value, expected) => {
    expect(isValidEmailAddress(value)).toBe(expected);
  });

  it("normalises to trimmed lower case", () => {
    expect(normalizeEmailAddress("  John.Smith@Contoso.Example ")).toBe("john.smith@contoso.example");
    expect(normalizeEmailAddress("nope")).toBeUndefined();
    expect(normalizeEmailAddress(undefined)).toBeUndefined();
  });
});

describe("createParticipantResolver: precedence", () => {
  const mapping = new Map([
    ["JSMITH@ICE.ACME", "John.Mailbox@Contoso.example"],
    ["alee@ice.broker", "not an address"],
  ]);

  it("custom mapping wins over automatic mapping, matched case-insensitively", () => {
    const resolver = createParticipantResolver({ customMapping: mapping, autoMapping: true });
    expect(mailboxOf(resolver, john)).toBe("john.mailbox@contoso.example");
  });

  it("an invalid mapping address falls back to the source e-mail when automatic mapping is on", () => {
    const resolver = createParticipantResolver({ customMapping: mapping, autoMapping: true });
    expect(mailboxOf(resolver, ann)).toBe("ann.lee@broker.example");
  });

  it("an invalid mapping address with automatic mapping off is unmapped, saying why", () => {
    const resolver = createParticipantResolver({ customMapping: mapping, autoMapping: false });
    expect(reasonOf(resolver, ann)).toBe(
      `the mapping file's address "not an address" is not a valid e-mail address and automatic mapping is off`,
    );
  });

  it("automatic mapping alone uses SenderEmail/RecipientEmail, lower-cased", () => {
    const resolver = createParticipantResolver({ autoMapping: true });
    expect(mailboxOf(resolver, { imId: "x@ice.acme", email: " X.Y@Acme.Example " })).toBe("x.y@acme.example");
  });

  it("custom mapping alone ignores the source e-mail", () => {
    const resolver = createParticipantResolver({ customMapping: parseRows(), autoMapping: false });
    expect(mailboxOf(resolver, john)).toBe("john@contoso.example");
    expect(reasonOf(resolver, ann)).toBe("not in the custom mapping file and automatic mapping is off");
  });

  it("gives a reason for every way of failing", () => {
    const withMapping = createParticipantResolver({ customMapping: new Map(), autoMapping: true });
    expect(reasonOf(withMapping, ghost)).toBe("no e-mail address in the source and not in the custom mapping file");
    expect(reasonOf(withMapping, { imId: "q@ice.acme", email: "bogus" })).toBe(
      'address "bogus" is not a valid e-mail address and not in the custom mapping file',
    );
    const autoOnly = createParticipantResolver({ autoMapping: true });
    expect(reasonOf(autoOnly, ghost)).toBe("no e-mail address in the source");
    expect(reasonOf(autoOnly, { imId: "q@ice.acme", email: "bogus\r\nx" })).toBe('address "bogus  x" is not a valid e-mail address');
    const nothing = createParticipantResolver({ autoMapping: false });
    expect(reasonOf(nothing, john)).toBe("no custom mapping file is set and automatic mapping is off");
  });

  it("is stable across repeated calls (cached) and per user", () => {
    const resolver = createParticipantResolver({ customMapping: mapping, autoMapping: true });
    expect(resolver.resolve(john)).toEqual(resolver.resolve({ ...john }));
    expect(mailboxOf(resolver, { imId: "jsmith@ice.acme", email: "other@acme.example" })).toBe("john.mailbox@contoso.example");
  });
});

function parseRows() {
  const parsed = parseMappingCsv("ImId,Mailbox\njsmith@ice.acme,john@contoso.example\n");
  if (!parsed.ok) throw new Error("fixture must parse");
  return parsed.rows;
}

describe("planItemDeliveries", () => {
  it("delivers to sender first, then each mapped recipient", () => {
    const resolver = createParticipantResolver({ autoMapping: true });
    const plan = planItemDeliveries({ sender: ann, recipients: [john, ghost] }, resolver);
    expect(plan.mailboxes).toEqual(["ann.lee@broker.example", "john.smith@acme.example"]);
    expect(plan.unmapped).toEqual([{ imId: "ghost@ice.acme", role: "recipient", reason: "no e-mail address in the source" }]);
  });

  it("delivers once when participants share a mailbox or a user messages themself", () => {
    const resolver = createParticipantResolver({
      customMapping: new Map([
        ["jsmith@ice.acme", "desk@contoso.example"],
        ["alee@ice.broker", "DESK@contoso.example"],
      ]),
      autoMapping: false,
    });
    expect(planItemDeliveries({ sender: john, recipients: [ann, john] }, resolver).mailboxes).toEqual(["desk@contoso.example"]);
  });

  it("reports an unmapped participant once per item even if listed twice", () => {
    const resolver = createParticipantResolver({ autoMapping: false, customMapping: new Map() });
    const plan = planItemDeliveries({ sender: ghost, recipients: [{ imId: "GHOST@ice.acme" }, ann] }, resolver);
    expect(plan.mailboxes).toEqual([]);
    expect(plan.unmapped.map((u) => [u.imId, u.role])).toEqual([
      ["ghost@ice.acme", "sender"],
      ["alee@ice.broker", "recipient"],
    ]);
    expect(plan.unmapped[1]?.email).toBe("ann.lee@broker.example");
  });
});

describe("createUnmappedTracker", () => {
  it("records each participant once per run, by ImId (case-insensitive), counting occurrences", () => {
    const tracker = createUnmappedTracker();
    const reason = "not in the custom mapping file and automatic mapping is off";
    expect(tracker.record({ imId: "ghost@ice.acme", role: "sender", reason })).toBe(true);
    expect(tracker.record({ imId: "GHOST@ice.acme", role: "recipient", reason })).toBe(false);
    expect(tracker.record({ imId: "other@ice.acme", role: "recipient", reason })).toBe(true);
    expect(tracker.record({ imId: "", email: "x@acme.example", role: "recipient", reason })).toBe(true);
    expect(tracker.record({ imId: "", email: "X@acme.example", role: "recipient", reason })).toBe(false);
    expect(tracker.size).toBe(3);
    expect(tracker.list().map((e) => [e.imId || e.email, e.occurrences, e.role])).toEqual([
      ["ghost@ice.acme", 2, "sender"],
      ["other@ice.acme", 1, "recipient"],
      ["x@acme.example", 2, "recipient"],
    ]);
  });

  it("bounds memory for a hostile number of distinct ids", () => {
    const tracker = createUnmappedTracker({ maxTracked: 3 });
    for (let i = 0; i < 10; i++) tracker.record({ imId: `u${i}@ice.acme`, role: "recipient", reason: "r" });
    expect(tracker.size).toBe(3);
    expect(tracker.overflowCount).toBe(7);
    expect(tracker.record({ imId: "u9@ice.acme", role: "recipient", reason: "r" })).toBe(false);
  });

  it("works end to end with a plan", () => {
    const resolver = createParticipantResolver({ autoMapping: true });
    const tracker = createUnmappedTracker();
    for (let i = 0; i < 5; i++) {
      for (const u of planItemDeliveries({ sender: john, recipients: [ghost] }, resolver).unmapped) tracker.record(u);
    }
    expect(tracker.list()).toEqual([
      { imId: "ghost@ice.acme", role: "recipient", reason: "no e-mail address in the source", occurrences: 5 },
    ]);
  });
});
