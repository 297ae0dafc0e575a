import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getArchivedAttachment, getArchivedMessage, getArchivedMessageEml } from "@/lib/archive/get-archived-message";
import { listArchiveMailboxes } from "@/lib/archive/list-archive-mailboxes";
import { searchArchivedMessages } from "@/lib/archive/search-archived-messages";
import { createDb } from "@/lib/db";

const db = createDb(process.env.DATABASE_URL!);
const run = randomUUID().slice(0, 8);
const mailbox = `alice-${run}@firm.example`;
const other = `zed-${run}@firm.example`;
let connectorId = "";
let otherConnectorId = "";

function raw(subject: string): Buffer {
  return Buffer.from(
    `From: x@y.example\r\nTo: z@y.example\r\nSubject: ${subject}\r\nMessage-ID: <${subject}@t>\r\nMIME-Version: 1.0\r\n` +
      `Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nbody ${subject}\r\n` +
      `--b\r\nContent-Type: text/html; name="p.html"\r\nContent-Disposition: attachment; filename="p.html"\r\n\r\n<script>1</script>\r\n--b--\r\n`,
  );
}

interface Seed {
  n: number;
  from?: string;
  to?: string[];
  room?: string | null;
  body?: string;
  subject?: string;
  sentAt: string;
  folder?: string;
  connector?: "main" | "other";
  box?: string;
}

async function seed(s: Seed): Promise<string> {
  const subject = s.subject ?? `msg ${s.n}`;
  const bytes = raw(`m${s.n}-${run}`);
  const row = await db.archivedMessage.create({
    data: {
      connectorId: s.connector === "other" ? otherConnectorId : connectorId,
      mailbox: s.box ?? mailbox,
      folder: s.folder ?? "ICE Chat",
      itemKey: `item-${s.n}`,
      internetMessageId: `<m${s.n}-${run}@t>`,
      subject,
      fromAddress: s.from ?? "bob@firm.example",
      toAddresses: s.to ?? [mailbox],
      roomName: s.room === undefined ? "Rates Desk" : s.room,
      conversationId: "conv",
      sentAt: new Date(s.sentAt),
      bodyText: s.body ?? `hello ${s.n}`,
      size: bytes.length,
      raw: new Uint8Array(bytes),
    },
    select: { id: true },
  });
  return row.id;
}

const ids: Record<number, string> = {};

beforeAll(async () => {
  const make = async (label: string) =>
    (
      await db.connector.create({
        data: { name: `archive ${label} ${run}`, nameKey: `archive ${label} ${run}`, firmCode: "F1", sftpHost: "127.0.0.1", keyMode: "PLATFORM", scheduleTime: "02:00" },
        select: { id: true },
      })
    ).id;
  connectorId = await make("main");
  otherConnectorId = await make("other");
  ids[1] = await seed({ n: 1, sentAt: "2026-01-01T09:00:00Z", from: "Bob@Firm.Example", body: "Buy 100% of EUR_USD" });
  ids[2] = await seed({ n: 2, sentAt: "2026-01-02T09:00:00Z", to: [mailbox, "CAROL@other.example"], room: "FX Options" });
  ids[3] = await seed({ n: 3, sentAt: "2026-01-03T09:00:00Z", room: null, subject: "Quarterly numbers" });
  ids[4] = await seed({ n: 4, sentAt: "2026-01-03T09:00:00Z", room: "fx spot", connector: "other" });
  ids[5] = await seed({ n: 5, sentAt: "2026-01-04T23:59:59.999Z", folder: "Other" });
  ids[6] = await seed({ n: 6, sentAt: "2026-01-05T00:00:00Z", box: other });
});

afterAll(async () => {
  await db.archivedMessage.deleteMany({ where: { mailbox: { in: [mailbox, other] } } });
  await db.connector.deleteMany({ where: { id: { in: [connectorId, otherConnectorId] } } });
  await db.$disconnect();
});

const idsOf = (page: { messages: { id: string }[] }) => page.messages.map((m) => m.id);

describe("searchArchivedMessages", () => {
  it("lists the ICE Chat folder newest first, ties broken by id, never returning raw bytes", async () => {
    const page = await searchArchivedMessages(db, { mailbox });
    const tied = [ids[3]!, ids[4]!].sort().reverse();
    expect(idsOf(page)).toEqual([...tied, ids[2]!, ids[1]!]);
    expect(page.older).toBeNull();
    expect(page.newer).toBeNull();
    expect(Object.keys(page.messages[0]!)).not.toContain("raw");
    expect(Object.keys(page.messages[0]!)).not.toContain("bodyText");
    expect(page.messages[0]!.sentAt).toBeInstanceOf(Date);
  });

  it("matches a participant case-insensitively in From or any To, exactly", async () => {
    expect(idsOf(await searchArchivedMessages(db, { mailbox, participant: "bob@FIRM.example" }))).toHaveLength(4);
    expect(idsOf(await searchArchivedMessages(db, { mailbox, participant: " carol@Other.Example " }))).toEqual([ids[2]]);
    expect(idsOf(await searchArchivedMessages(db, { mailbox, participant: "carol" }))).toEqual([]);
    expect(idsOf(await searchArchivedMessages(db, { mailbox, participant: "%" }))).toEqual([]);
  });

  it("filters by room substring, text in body or subject, and connector", async () => {
    expect(idsOf(await searchArchivedMessages(db, { mailbox, room: "FX" }))).toEqual([ids[4], ids[2]]);
    expect(idsOf(await searchArchivedMessages(db, { mailbox, text: "100% of eur_usd" }))).toEqual([ids[1]]);
    // Wildcards are literal: "_" must not match any character.
    expect(idsOf(await searchArchivedMessages(db, { mailbox, text: "eur_usd" }))).toEqual([ids[1]]);
    expect(idsOf(await searchArchivedMessages(db, { mailbox, text: "eur%usd" }))).toEqual([]);
    expect(idsOf(await searchArchivedMessages(db, { mailbox, text: "QUARTERLY" }))).toEqual([ids[3]]);
    expect(idsOf(await searchArchivedMessages(db, { mailbox, connectorId: otherConnectorId }))).toEqual([ids[4]]);
    expect(idsOf(await searchArchivedMessages(db, { mailbox, folder: "Other" }))).toEqual([ids[5]]);
  });

  it("filters by a UTC date range, from inclusive and before exclusive", async () => {
    const page = await searchArchivedMessages(db, { mailbox, sentFrom: new Date("2026-01-02T09:00:00Z"), sentBefore: new Date("2026-01-03T09:00:00Z") });
    expect(idsOf(page)).toEqual([ids[2]]);
    await expect(searchArchivedMessages(db, { mailbox, sentFrom: new Date("nope") })).rejects.toThrow(/not a valid date/);
  });

  it("pages older and back newer with keyset cursors", async () => {
    const all = idsOf(await searchArchivedMessages(db, { mailbox }));
    const p1 = await searchArchivedMessages(db, { mailbox, pageSize: 1 });
    expect(idsOf(p1)).toEqual([all[0]]);
    expect(p1.newer).toBeNull();
    const p2 = await searchArchivedMessages(db, { mailbox, pageSize: 1, cursor: p1.older! });
    expect(idsOf(p2)).toEqual([all[1]]);
    const p3 = await searchArchivedMessages(db, { mailbox, pageSize: 2, cursor: p2.older! });
    expect(idsOf(p3)).toEqual([all[2], all[3]]);
    expect(p3.older).toBeNull();
    const back = await searchArchivedMessages(db, { mailbox, pageSize: 1, cursor: p3.newer! });
    expect(idsOf(back)).toEqual([all[1]]);
    expect(back.older).not.toBeNull();
    const top = await searchArchivedMessages(db, { mailbox, pageSize: 1, cursor: back.newer! });
    expect(idsOf(top)).toEqual([all[0]]);
    expect(top.newer).toBeNull();
    await expect(searchArchivedMessages(db, { mailbox, cursor: "garbage" })).rejects.toThrow(/page link is invalid/);
  });

  it("refuses absurdly long terms", async () => {
    await expect(searchArchivedMessages(db, { mailbox, text: "x".repeat(501) })).rejects.toThrow(/too long/);
  });
});

describe("listArchiveMailboxes", () => {
  it("counts per folder with the newest date, optionally per connector", async () => {
    const boxes = (await listArchiveMailboxes(db)).filter((b) => b.mailbox === mailbox || b.mailbox === other);
    expect(boxes.map((b) => b.mailbox)).toEqual([mailbox, other]);
    expect(boxes[0]).toEqual({
      mailbox,
      count: 5,
      newestSentAt: new Date("2026-01-04T23:59:59.999Z"),
      folders: [
        { folder: "ICE Chat", count: 4, newestSentAt: new Date("2026-01-03T09:00:00Z") },
        { folder: "Other", count: 1, newestSentAt: new Date("2026-01-04T23:59:59.999Z") },
      ],
    });
    const onlyOther = await listArchiveMailboxes(db, { connectorId: otherConnectorId });
    expect(onlyOther).toEqual([{ mailbox, count: 1, newestSentAt: new Date("2026-01-03T09:00:00Z"), folders: [{ folder: "ICE Chat", count: 1, newestSentAt: new Date("2026-01-03T09:00:00Z") }] }]);
  });
});

describe("getArchivedMessage and downloads", () => {
  it("returns the parsed message, the exact bytes and safe attachments", async () => {
    const view = await getArchivedMessage(db, { id: ids[1]! });
    expect(view.messageId).toBe(`<m1-${run}@t>`);
    expect(view.text?.trim()).toBe(`body m1-${run}`);
    expect(view.attachments).toEqual([{ index: 0, fileName: "p.html", contentType: "text/html", size: expect.any(Number) }]);
    const eml = await getArchivedMessageEml(db, { id: ids[1]! });
    expect(eml.content.equals(raw(`m1-${run}`))).toBe(true);
    expect(eml.fileName).toBe("2026-01-01-msg-1.eml");
    const att = await getArchivedAttachment(db, { id: ids[1]!, index: 0 });
    expect(att.contentType).toBe("application/octet-stream");
    expect(att.content.toString()).toContain("<script>1</script>");
    await expect(getArchivedAttachment(db, { id: ids[1]!, index: 1 })).rejects.toThrow(/no attachment/);
    await expect(getArchivedAttachment(db, { id: ids[1]!, index: -1 })).rejects.toThrow(/no attachment/);
    await expect(getArchivedMessage(db, { id: "not-a-uuid" })).rejects.toMatchObject({ code: "not_found" });
    await expect(getArchivedMessage(db, { id: randomUUID() })).rejects.toMatchObject({ code: "not_found" });
  });
});
