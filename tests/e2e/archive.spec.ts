import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { PrismaPg } from "@prisma/adapter-pg";
import { expect, test, type Page } from "@playwright/test";
import { simpleParser } from "mailparser";
import MailComposer from "nodemailer/lib/mail-composer";
import type Mail from "nodemailer/lib/mailer";
import { PrismaClient } from "../../lib/generated/prisma/client";
import { TEST_ADMIN, TEST_PASSWORD, TEST_VIEWER } from "../support/test-env";
import { signIn } from "./helpers";

// The reviewer's view of the local archive, on rows seeded straight into the e2e
// database (playwright.config.ts applied its env). The client is built here rather than
// with lib/db's createDb because lib/db imports "server-only", which throws outside Next.

test.describe.configure({ mode: "serial" });

const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: process.env.DATABASE_URL! }) });
const run = randomUUID().slice(0, 8);
const alice = `alice.${run}@firm.example`;
const busy = `busy.${run}@firm.example`;
const hostileMessageId = `<hostile-${run}@ice.test>`;
const ids: Record<string, string> = {};
const SHOTS = "test-results/screenshots";

interface SeedMessage {
  key: string;
  mailbox?: string;
  from: string;
  to: string[];
  room: string | null;
  sentAt: string;
  subject: string;
  text: string;
  html?: string;
  attachments?: Mail.Attachment[];
}

async function rawOf(m: SeedMessage, messageId: string): Promise<Buffer> {
  return new MailComposer({
    from: m.from,
    to: m.to,
    subject: m.subject,
    date: new Date(m.sentAt),
    messageId,
    headers: [
      { key: "X-ICE-ConversationID", value: `conv-${m.key}` },
      { key: "X-ICE-MessageID", value: `ice-${m.key}` },
      ...(m.room ? [{ key: "X-ICE-RoomID", value: m.room }] : []),
    ],
    text: m.text,
    ...(m.html ? { html: m.html } : {}),
    attachments: m.attachments ?? [],
    disableFileAccess: true,
    disableUrlAccess: true,
  })
    .compile()
    .build();
}

async function insert(ownerId: string, m: SeedMessage, messageId = `<${m.key}-${run}@ice.test>`): Promise<string> {
  const raw = await rawOf(m, messageId);
  const row = await prisma.archivedMessage.create({
    data: {
      connectorId: ownerId,
      mailbox: m.mailbox ?? alice,
      folder: "ICE Chat",
      itemKey: `${m.key}-${run}`,
      internetMessageId: messageId,
      subject: m.subject,
      fromAddress: m.from,
      toAddresses: m.to,
      roomName: m.room,
      conversationId: `conv-${m.key}`,
      sentAt: new Date(m.sentAt),
      bodyText: m.text,
      size: raw.length,
      raw: new Uint8Array(raw),
    },
    select: { id: true },
  });
  return row.id;
}

let seeded = false;
let connectorId = "";
async function ensureSeeded(): Promise<void> {
  if (seeded) return;
  const connector = await prisma.connector.create({
    data: { name: `Archive e2e ${run}`, nameKey: `archive e2e ${run}`, firmCode: "E2E", sftpHost: "127.0.0.1", keyMode: "PLATFORM", scheduleTime: "02:00" },
    select: { id: true },
  });
  connectorId = connector.id;
  ids.rates = await insert(connector.id, {
    key: "rates",
    from: alice,
    to: [`bob.${run}@firm.example`],
    room: "Rates Desk",
    sentAt: "2026-01-05T10:00:00Z",
    subject: "Rates Desk: buy 50mm 10y",
    text: "Buy 50MM 10y at 4.15",
  });
  ids.fx = await insert(connector.id, {
    key: "fx",
    from: `bob.${run}@firm.example`,
    to: [alice, `carol.${run}@firm.example`],
    room: "FX Options",
    sentAt: "2026-01-06T14:30:00Z",
    subject: "FX Options: EURUSD vol",
    text: "EURUSD vol is bid",
  });
  ids.hostile = await insert(
    connector.id,
    {
      key: "hostile",
      from: `mallory.${run}@evil.example`,
      to: [alice],
      room: "Hostile room",
      sentAt: "2026-01-07T08:00:00Z",
      subject: "Hostile room: look at this",
      text: "Look at <b>this</b> offer",
      html:
        '<p id="hostile">Hostile HTML body</p>' +
        "<script>document.body.setAttribute('data-pwned','1');parent.document.title='pwned';alert('xss')</script>" +
        '<img src="http://evil.example/x.png" alt="beacon">' +
        '<img src="x" onerror="alert(2)">' +
        '<link rel="stylesheet" href="http://evil.example/s.css">' +
        '<div style="background:url(http://evil.example/bg.png)">styled</div>',
      attachments: [
        { filename: "trades.csv", content: "a,b\n1,2\n", contentType: "text/csv" },
        { filename: "evil.html", content: "<script>alert(3)</script>", contentType: "text/html" },
      ],
    },
    hostileMessageId,
  );
  ids.yearEnd = await insert(connector.id, {
    key: "year-end",
    from: alice,
    to: [`bob.${run}@firm.example`],
    room: "Rates Desk",
    sentAt: "2025-12-31T23:59:59Z",
    subject: "Rates Desk: year end",
    text: "Year end marks",
  });
  // 55 messages: one full page of 50 and a second of 5.
  for (let i = 0; i < 55; i++) {
    await insert(connector.id, {
      key: `busy-${i}`,
      mailbox: busy,
      from: busy,
      to: [alice],
      room: "Busy room",
      sentAt: new Date(Date.UTC(2026, 1, 1, 0, i)).toISOString(),
      subject: `Busy ${String(i).padStart(2, "0")}`,
      text: `message ${i}`,
    });
  }
  seeded = true;
}

// Other specs expect an installation without connectors: leave none behind.
test.afterAll(async () => {
  if (connectorId) {
    await prisma.archivedMessage.deleteMany({ where: { connectorId } });
    await prisma.connector.delete({ where: { id: connectorId } });
  }
  await prisma.$disconnect();
});

const rows = (page: Page) => page.getByTestId("archive-results").locator("tbody tr");

async function search(page: Page, fields: Partial<Record<"Participant" | "Room" | "From date (UTC)" | "To date (UTC)" | "Text", string>>): Promise<void> {
  await page.getByRole("link", { name: "Clear" }).click();
  await expect(page).not.toHaveURL(/\?/);
  for (const [label, value] of Object.entries(fields)) await page.getByLabel(label, { exact: true }).fill(value);
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/\?/);
}

test("an empty archive explains where mail comes from", async ({ page }) => {
  test.skip((await prisma.archivedMessage.count()) > 0, "the e2e database already has archived messages");
  await signIn(page, TEST_ADMIN, TEST_PASSWORD);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Archive" }).click();
  await expect(page.getByRole("heading", { name: "Archive" })).toBeVisible();
  await expect(page.getByTestId("archive-empty")).toContainText("destination is the local archive");
  await page.screenshot({ path: `${SHOTS}/archive-empty.png`, fullPage: true });
});

test("an administrator lists mailboxes, searches a folder and pages through it", async ({ page }) => {
  await ensureSeeded();
  await signIn(page, TEST_ADMIN, TEST_PASSWORD);
  await expect(page).toHaveURL(/\/connectors$/);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Archive" }).click();
  await expect(page).toHaveURL(/\/archive$/);
  const aliceRow = page.getByRole("row").filter({ has: page.getByRole("link", { name: alice, exact: true }) });
  await expect(aliceRow).toContainText("ICE Chat (4)");
  await expect(aliceRow).toContainText("2026-01-07 08:00:00 UTC");
  await page.screenshot({ path: `${SHOTS}/archive-mailboxes.png`, fullPage: true });

  await aliceRow.getByRole("link", { name: alice, exact: true }).click();
  await expect(page.getByRole("heading", { name: "ICE Chat" })).toBeVisible();
  await expect(rows(page)).toHaveCount(4);
  // Newest first.
  await expect(rows(page).nth(0)).toContainText("Hostile room: look at this");
  await expect(rows(page).nth(3)).toContainText("2025-12-31 23:59:59 UTC");
  await page.screenshot({ path: `${SHOTS}/archive-mailbox.png`, fullPage: true });

  await search(page, { Participant: `CAROL.${run}@FIRM.example` });
  await expect(page).toHaveURL(new RegExp(`participant=CAROL.${run}`));
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page).first()).toContainText("FX Options: EURUSD vol");

  await search(page, { Room: "rates" });
  await expect(rows(page)).toHaveCount(2);
  await expect(rows(page).nth(0)).toContainText("buy 50mm 10y");
  await expect(rows(page).nth(1)).toContainText("year end");

  // Both days included, UTC: the 31 Dec 23:59:59 message is outside, 6 Jan 14:30 inside.
  await search(page, { "From date (UTC)": "2026-01-01", "To date (UTC)": "2026-01-06" });
  await expect(rows(page)).toHaveCount(2);
  await expect(rows(page).nth(0)).toContainText("FX Options");
  await expect(rows(page).nth(1)).toContainText("Rates Desk: buy");

  await search(page, { Text: "50mm 10Y AT" });
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page).first()).toContainText("Rates Desk: buy 50mm 10y");
  await page.screenshot({ path: `${SHOTS}/archive-search.png`, fullPage: true });

  // The URL is the search: reloading it gives the same result.
  await page.goto(page.url());
  await expect(rows(page)).toHaveCount(1);

  await search(page, { Text: "nothing like this" });
  await expect(page.getByTestId("archive-no-results")).toContainText("No messages match");

  await search(page, { "From date (UTC)": "2026-01-01", Room: "fx" });
  await expect(rows(page)).toHaveCount(1);

  // A tampered page link is refused with a message, not a crash.
  await page.goto(`/archive/${encodeURIComponent(alice)}?cursor=bogus`);
  await expect(page.getByRole("alert").filter({ hasText: "page link is invalid" })).toBeVisible();

  // Pagination: 55 messages, 50 per page.
  await page.goto(`/archive/${encodeURIComponent(busy)}`);
  await expect(rows(page)).toHaveCount(50);
  await expect(rows(page).first()).toContainText("Busy 54");
  await expect(page.getByRole("link", { name: "← Newer" })).toHaveCount(0);
  await page.getByRole("link", { name: "Older →" }).click();
  await expect(rows(page)).toHaveCount(5);
  await expect(rows(page).first()).toContainText("Busy 04");
  await expect(rows(page).last()).toContainText("Busy 00");
  await expect(page.getByRole("link", { name: "Older →" })).toHaveCount(0);
  await page.getByRole("link", { name: "← Newer" }).click();
  await expect(rows(page)).toHaveCount(50);
  await expect(rows(page).first()).toContainText("Busy 54");
});

test("a hostile message is shown inert, and its .eml downloads intact", async ({ page }) => {
  await ensureSeeded();
  const dialogs: string[] = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  // Chromium reports a CSP-blocked fetch as a request that fails with "csp"; one that would
  // really leave the browser reaches the route handler instead (there is no network here,
  // so a DNS failure alone would prove nothing).
  const leaked: string[] = [];
  await page.route(/evil\.example/, (route) => {
    leaked.push(route.request().url());
    return route.abort();
  });
  const evilFailures: string[] = [];
  page.on("requestfailed", (r) => {
    if (r.url().includes("evil.example")) evilFailures.push(r.failure()?.errorText ?? "");
  });

  await signIn(page, TEST_ADMIN, TEST_PASSWORD);
  await expect(page).toHaveURL(/\/connectors$/);
  await page.goto(`/archive/${encodeURIComponent(alice)}`);
  await page.getByRole("link", { name: "Hostile room: look at this" }).click();
  await expect(page).toHaveURL(new RegExp(`/archive/message/${ids.hostile}$`));
  await expect(page.getByRole("heading", { name: "Hostile room: look at this" })).toBeVisible();

  const headers = page.getByTestId("message-headers");
  await expect(headers).toContainText(`mallory.${run}@evil.example`);
  await expect(headers).toContainText(hostileMessageId);
  await expect(headers).toContainText("X-ICE-ConversationID");
  await expect(headers).toContainText("conv-hostile");
  await expect(headers).toContainText("2026-01-07 08:00:00 UTC");
  // Plain text by default, markup shown as text.
  await expect(page.getByTestId("text-body")).toHaveText("Look at <b>this</b> offer");
  await expect(page.getByTestId("text-body").locator("b")).toHaveCount(0);
  await expect(page.getByTestId("html-body")).toHaveCount(0);
  await expect(page.getByTestId("attachments")).toContainText("trades.csv");
  await page.screenshot({ path: `${SHOTS}/archive-message-text.png`, fullPage: true });

  await page.getByRole("link", { name: "HTML (sandboxed)" }).click();
  await expect(page).toHaveURL(/\?view=html$/);
  const iframe = page.getByTestId("html-body");
  await expect(iframe).toHaveAttribute("sandbox", "");
  const srcdoc = (await iframe.getAttribute("srcdoc")) ?? "";
  expect(srcdoc).toMatch(/^<!DOCTYPE html><meta http-equiv="Content-Security-Policy" content="default-src 'none';/);
  const frame = page.frameLocator('[data-testid="html-body"]');
  await expect(frame.locator("#hostile")).toHaveText("Hostile HTML body");
  await page.waitForLoadState("load");
  await expect(frame.locator("body")).not.toHaveAttribute("data-pwned", "1");
  await expect(page).not.toHaveTitle("pwned");
  await page.screenshot({ path: `${SHOTS}/archive-message-html.png`, fullPage: true });

  // The .eml is the stored message: it parses back with the same Message-ID.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download .eml" }).click()]);
  expect(download.suggestedFilename()).toBe("2026-01-07-hostile-room-look-at-this.eml");
  const eml = await readFile((await download.path())!);
  const parsed = await simpleParser(eml);
  expect(parsed.messageId).toBe(hostileMessageId);
  expect(parsed.subject).toBe("Hostile room: look at this");
  const stored = await prisma.archivedMessage.findUniqueOrThrow({ where: { id: ids.hostile! }, select: { raw: true } });
  expect(Buffer.compare(eml, Buffer.from(stored.raw))).toBe(0);

  // Attachments: always a download, nosniff, and HTML never served as HTML.
  const csv = await page.request.get(`/api/v1/archive/messages/${ids.hostile}/attachments/0`);
  expect(csv.status()).toBe(200);
  expect(csv.headers()["content-type"]).toBe("text/csv");
  expect(csv.headers()["content-disposition"]).toContain('attachment; filename="trades.csv"');
  expect(await csv.text()).toBe("a,b\n1,2\n");
  const html = await page.request.get(`/api/v1/archive/messages/${ids.hostile}/attachments/1`);
  expect(html.headers()["content-type"]).toBe("application/octet-stream");
  expect(html.headers()["x-content-type-options"]).toBe("nosniff");
  expect(html.headers()["content-disposition"]).toMatch(/^attachment;/);
  expect((await page.request.get(`/api/v1/archive/messages/${ids.hostile}/attachments/2`)).status()).toBe(404);
  expect((await page.request.get(`/api/v1/archive/messages/${ids.hostile}/attachments/-1`)).status()).toBe(404);
  expect((await page.request.get(`/api/v1/archive/messages/${randomUUID()}/eml`)).status()).toBe(404);
  expect((await page.request.get(`/api/v1/archive/messages/not-an-id/eml`)).status()).toBe(404);

  // Downloads are audited.
  const audits = await prisma.auditLog.findMany({ where: { targetId: ids.hostile!, action: { startsWith: "archive." } }, select: { action: true, actorLabel: true } });
  expect(audits).toContainEqual({ action: "archive.message.download", actorLabel: TEST_ADMIN });
  expect(audits).toContainEqual({ action: "archive.attachment.download", actorLabel: TEST_ADMIN });

  // Nothing ran and nothing was fetched from the hostile origin, at any point.
  expect(dialogs).toEqual([]);
  expect(leaked).toEqual([]);
  expect(evilFailures.every((e) => e === "csp")).toBe(true);
});

test("the JSON search API answers the same search", async ({ page }) => {
  await ensureSeeded();
  await signIn(page, TEST_ADMIN, TEST_PASSWORD);
  await expect(page).toHaveURL(/\/connectors$/);
  const res = await page.request.get(`/api/v1/archive/search?mailbox=${encodeURIComponent(alice)}&room=fx&from=2026-01-06&to=2026-01-06`);
  expect(res.status()).toBe(200);
  const body = (await res.json()) as { messages: { id: string; subject: string }[]; older: string | null };
  expect(body.messages.map((m) => m.id)).toEqual([ids.fx]);
  expect(JSON.stringify(body)).not.toContain('"raw"');
  const bad = await page.request.get(`/api/v1/archive/search?mailbox=${encodeURIComponent(alice)}&from=06/01/2026`);
  expect(bad.status()).toBe(422);
  const boxes = (await (await page.request.get("/api/v1/archive/mailboxes")).json()) as { mailboxes: { mailbox: string; count: number }[] };
  expect(boxes.mailboxes).toContainEqual(expect.objectContaining({ mailbox: busy, count: 55 }));
});

test("a viewer can read the archive too", async ({ page }) => {
  await ensureSeeded();
  await signIn(page, TEST_VIEWER, TEST_PASSWORD);
  await expect(page).toHaveURL(/\/connectors$/);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Archive" }).click();
  await page.getByRole("link", { name: alice, exact: true }).click();
  await expect(rows(page)).toHaveCount(4);
  await page.getByRole("link", { name: "Rates Desk: buy 50mm 10y" }).click();
  await expect(page.getByTestId("text-body")).toHaveText("Buy 50MM 10y at 4.15");
  const eml = await page.request.get(`/api/v1/archive/messages/${ids.rates}/eml`);
  expect(eml.status()).toBe(200);
  expect(eml.headers()["content-type"]).toBe("message/rfc822");
  expect((await simpleParser(await eml.body())).messageId).toBe(`<rates-${run}@ice.test>`);
  await page.screenshot({ path: `${SHOTS}/archive-viewer.png`, fullPage: true });
});
