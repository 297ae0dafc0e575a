import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { PrismaPg } from "@prisma/adapter-pg";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { createConnector } from "../../lib/connectors/create-connector";
import { PrismaClient } from "../../lib/generated/prisma/client";
import type { RunStatus, RunTrigger } from "../../lib/generated/prisma/enums";
import { createKeyring } from "../../lib/secrets/keyring";
import { TEST_ADMIN, TEST_PASSWORD, TEST_VIEWER } from "../support/test-env";
import { signIn } from "./helpers";

// The Data connectors dashboard and flyout on rows seeded straight into the e2e database
// (playwright.config.ts applied its env). lib/db imports "server-only", so the client is
// built here; createConnector itself is plain lib code and seals the secrets for real.

test.describe.configure({ mode: "serial" });

const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: process.env.DATABASE_URL! }) });
const keyring = createKeyring(process.env.APP_ENCRYPTION_KEY!);
const run = randomUUID().slice(0, 8);
const SHOTS = "test-results/screenshots";
const DAY = 24 * 3600 * 1000;

const names = { main: `Dashboard e2e ${run}`, alpha: `Alpha desk ${run}`, zulu: `Zulu desk ${run}` };
const PASSWORD = `Sup3r-Secret-${run}`;
const FINGERPRINT = "SHA256:" + "Ab3dEfGh1jKlMn0pQrStUvWxYz0123456789+/AbCd".padEnd(43, "x").slice(0, 43);
const ids = { main: "", alpha: "", zulu: "", runB: "", runD: "" };
const HOSTILE_DETAIL = `<img src=x onerror="document.body.dataset.pwned='1'"> =HYPERLINK("http://evil.example")`;

interface SeedRun {
  connectorId: string;
  trigger: RunTrigger;
  status: RunStatus;
  startedAt: Date;
  finishedAt: Date | null;
  counters?: Partial<Record<
    | "filesFound" | "filesProcessed" | "filesFailed" | "itemsFromSource" | "itemsForImport" | "itemsProcessed"
    | "imported" | "partiallyImported" | "skippedDuplicate" | "failedUserMapping" | "failedTooLarge" | "failedDestination" | "failedOther",
    number
  >>;
  message?: string;
  error?: string;
  currentFile?: string;
}

async function seedRun(r: SeedRun): Promise<string> {
  const active = r.status === "RUNNING" || r.status === "QUEUED";
  const row = await prisma.importRun.create({
    data: {
      connectorId: r.connectorId,
      trigger: r.trigger,
      status: r.status,
      activeRunKey: active ? r.connectorId : null,
      queuedAt: new Date(r.startedAt.getTime() - 1000),
      startedAt: r.startedAt,
      finishedAt: r.finishedAt,
      attempts: 1,
      currentFile: r.currentFile ?? null,
      message: r.message ?? null,
      error: r.error ?? null,
      ...r.counters,
    },
    select: { id: true },
  });
  return row.id;
}

async function seed(): Promise<void> {
  const actor = { id: null, label: "e2e-dashboard" };
  const main = await createConnector(
    prisma,
    keyring,
    {
      name: names.main,
      firmCode: "E2EFIRM",
      password: PASSWORD,
      sftpHost: "sftp.ice.example",
      sftpPort: 2222,
      keyMode: "platform",
      hostKeyFingerprint: FINGERPRINT,
      hostKeyAlgorithm: "ssh-ed25519",
      remoteDirectory: "/exports/chat",
      autoMapping: true,
      mappingCsv: `ImId,Mailbox\njdoe1@ice.example,john.doe.${run}@firm.example\nasmith2@ice.example,anna.smith.${run}@firm.example\n`,
      scheduleTime: "03:30",
      destination: "local_archive",
    },
    actor,
  );
  ids.main = main.id;
  ids.alpha = (await createConnector(prisma, keyring, { name: names.alpha, firmCode: "ALPHA", sftpHost: "alpha.ice.example", keyMode: "platform", scheduleTime: "01:00" }, actor)).id;
  ids.zulu = (await createConnector(prisma, keyring, { name: names.zulu, firmCode: "ZULU", sftpHost: "zulu.ice.example", keyMode: "platform", scheduleTime: "05:00" }, actor)).id;

  const now = Date.now();
  await seedRun({
    connectorId: ids.main,
    trigger: "SCHEDULED",
    status: "SUCCEEDED",
    startedAt: new Date(now - 4 * DAY),
    finishedAt: new Date(now - 4 * DAY + 600_000),
    counters: { filesFound: 2, filesProcessed: 2, itemsFromSource: 125, itemsForImport: 122, itemsProcessed: 122, imported: 120, skippedDuplicate: 2 },
  });
  await seedRun({
    connectorId: ids.main,
    trigger: "MANUAL",
    status: "LIMIT_EXCEEDED",
    startedAt: new Date(now - 3 * DAY),
    finishedAt: new Date(now - 3 * DAY + 60_000),
    counters: { filesFound: 3, itemsFromSource: 9000 },
    message: "Limit exceeded: 9000 items, the daily limit is 5000.",
  });
  ids.runB = await seedRun({
    connectorId: ids.main,
    trigger: "SCHEDULED",
    status: "PARTIALLY_SUCCEEDED",
    startedAt: new Date(now - DAY),
    finishedAt: new Date(now - DAY + 900_000),
    counters: {
      filesFound: 2, filesProcessed: 1, filesFailed: 1, itemsFromSource: 90, itemsForImport: 87, itemsProcessed: 87,
      imported: 80, partiallyImported: 3, skippedDuplicate: 1, failedUserMapping: 2, failedTooLarge: 1,
    },
    message: "Imported 80 items; 3 failed.",
  });
  await prisma.failedItem.createMany({
    data: [
      { runId: ids.runB, connectorId: ids.main, itemId: `fail-${run}-1`, sourceImId: "ghost1@ice.example", reason: "USER_MAPPING", detail: "No mailbox for ImId ghost1", createdAt: new Date(now - DAY + 1000) },
      { runId: ids.runB, connectorId: ids.main, itemId: `fail-${run}-2`, sourceImId: "ghost2@ice.example", reason: "USER_MAPPING", detail: HOSTILE_DETAIL, createdAt: new Date(now - DAY + 2000) },
      { runId: ids.runB, connectorId: ids.main, itemId: `fail-${run}-3`, sourceImId: "jdoe1@ice.example", mailbox: `john.doe.${run}@firm.example`, reason: "ITEM_TOO_LARGE", detail: "Message is 160 MB; the limit is 150 MB", createdAt: new Date(now - DAY + 3000) },
    ],
  });
  await prisma.unmappedParticipant.createMany({
    data: [
      { runId: ids.runB, imId: "ghost1@ice.example", email: null, reason: "No mapping row and no e-mail in the export" },
      { runId: ids.runB, imId: "ghost2@ice.example", email: "ghost2@other.example", reason: "Address outside the tenant" },
    ],
  });
  await prisma.delivery.create({
    data: { connectorId: ids.main, runId: ids.runB, itemKey: `partial-${run}`, mailbox: `anna.smith.${run}@firm.example`, status: "PARTIAL", note: "1 of 2 attachments too large" },
  });
  await prisma.sourceFile.createMany({
    data: [
      { connectorId: ids.main, lastRunId: ids.runB, path: "/exports/chat/E2EFIRM.20260110.xml.pgp", size: 48_213n, mtime: new Date(now - DAY - 3600_000), status: "PROCESSED", itemCount: 90 },
      { connectorId: ids.main, lastRunId: ids.runB, path: "/exports/chat/E2EFIRM.20260110b.xml.pgp", size: 1_024n, mtime: new Date(now - DAY - 3600_000), status: "FAILED", error: "Not a PGP message" },
    ],
  });
  ids.runD = await seedRun({
    connectorId: ids.main,
    trigger: "SCHEDULED",
    status: "RUNNING",
    startedAt: new Date(now - 5 * 60_000),
    finishedAt: null,
    counters: { filesFound: 4, filesProcessed: 1, itemsFromSource: 200, itemsForImport: 200, itemsProcessed: 50, imported: 48, skippedDuplicate: 2 },
    currentFile: "/exports/chat/E2EFIRM.20260113.xml.pgp",
  });
  await prisma.connectorAlert.create({ data: { connectorId: ids.main, kind: "MISSED_DAY", message: `No export was found for ${new Date(now - 2 * DAY).toISOString().slice(0, 10)}.` } });

  // Zulu's last run failed: its status is Error.
  await seedRun({
    connectorId: ids.zulu,
    trigger: "SCHEDULED",
    status: "FAILED",
    startedAt: new Date(now - 2 * DAY),
    finishedAt: new Date(now - 2 * DAY + 30_000),
    error: "Authentication failed: the SFTP server refused the password.",
  });
}

// Other specs expect an installation without connectors: leave none behind.
test.afterAll(async () => {
  const connectorIds = Object.entries(ids)
    .filter(([k, v]) => !k.startsWith("run") && v)
    .map(([, v]) => v);
  if (connectorIds.length > 0) {
    const where = { connectorId: { in: connectorIds } };
    await prisma.failedItem.deleteMany({ where });
    await prisma.delivery.deleteMany({ where });
    await prisma.sourceFile.deleteMany({ where });
    await prisma.unmappedParticipant.deleteMany({ where: { run: where } });
    await prisma.importRun.deleteMany({ where });
    await prisma.connectorAlert.deleteMany({ where });
    await prisma.userMapping.deleteMany({ where });
    await prisma.archivedMessage.deleteMany({ where });
    await prisma.connector.deleteMany({ where: { id: { in: connectorIds } } });
  }
  await prisma.$disconnect();
});

test.beforeAll(async () => {
  await seed();
});

const table = (page: Page) => page.getByTestId("connector-table");
const rowOf = (page: Page, name: string) => table(page).getByTestId("connector-row").filter({ hasText: name });
const flyout = (page: Page) => page.getByRole("dialog", { name: names.main });

async function rowNames(page: Page): Promise<string[]> {
  return table(page)
    .getByTestId("connector-row")
    .locator("td:first-child button")
    .allTextContents();
}

async function openRunDetail(scope: Locator, runId: string): Promise<Locator> {
  const row = scope.locator(`[data-testid="run-row"][data-run-id="${runId}"]`);
  await row.getByRole("button", { name: /Show details/ }).click();
  const detail = scope.locator(`#run-detail-${runId}`);
  await expect(detail).toBeVisible();
  return detail;
}

test("the table shows live status, sorts and filters", async ({ page }) => {
  await signIn(page, TEST_ADMIN, TEST_PASSWORD);
  await expect(page).toHaveURL(/\/connectors$/);
  await expect(page.getByRole("heading", { name: "Connector types" })).toBeVisible();
  await expect(page.getByRole("link", { name: "View" })).toHaveAttribute("href", "/connectors/ice-chat");

  const main = rowOf(page, names.main);
  await expect(main.getByTestId("connector-status")).toHaveText("Running");
  await expect(main).toContainText("Partially succeeded");
  await expect(main.locator("td").nth(3)).toHaveText("80");
  await expect(main.locator("td").nth(4)).toContainText(/03:30 UTC$/);
  await expect(rowOf(page, names.zulu).getByTestId("connector-status")).toHaveText("Error");
  await expect(rowOf(page, names.alpha).getByTestId("connector-status")).toHaveText("Active");
  await expect(rowOf(page, names.alpha)).toContainText("Never run");

  // Only this spec's connectors from here on.
  await page.getByLabel("Filter", { exact: true }).fill(run);
  await expect(table(page).getByTestId("connector-row")).toHaveCount(3);
  await page.screenshot({ path: `${SHOTS}/dashboard-table.png`, fullPage: true });

  const nameHeader = table(page).getByRole("columnheader", { name: "Name" });
  await expect(nameHeader).toHaveAttribute("aria-sort", "ascending");
  expect(await rowNames(page)).toEqual([names.alpha, names.main, names.zulu]);
  await nameHeader.getByRole("button").click();
  await expect(nameHeader).toHaveAttribute("aria-sort", "descending");
  expect(await rowNames(page)).toEqual([names.zulu, names.main, names.alpha]);

  const statusHeader = table(page).getByRole("columnheader", { name: "Status" });
  await statusHeader.getByRole("button").click();
  await expect(statusHeader).toHaveAttribute("aria-sort", "ascending");
  await expect(nameHeader).toHaveAttribute("aria-sort", "none");
  // Problems first: Error, then Running, then Active.
  expect(await rowNames(page)).toEqual([names.zulu, names.main, names.alpha]);

  const importedHeader = table(page).getByRole("columnheader", { name: "Imported last run" });
  await importedHeader.getByRole("button").click();
  await importedHeader.getByRole("button").click();
  await expect(importedHeader).toHaveAttribute("aria-sort", "descending");
  // Zulu imported 0 in its failed run; Alpha never ran and always goes last.
  expect(await rowNames(page)).toEqual([names.main, names.zulu, names.alpha]);

  await page.getByLabel("Status", { exact: true }).selectOption("Running");
  await expect(table(page).getByTestId("connector-row")).toHaveCount(1);
  await expect(table(page).getByTestId("connector-row")).toContainText(names.main);
  await page.getByLabel("Status", { exact: true }).selectOption("Paused");
  await expect(page.getByTestId("connectors-no-match")).toHaveText("No connectors match the filter.");
  await page.getByLabel("Status", { exact: true }).selectOption("");
  await page.getByLabel("Filter", { exact: true }).fill(`ALPHA DESK ${run}`);
  expect(await rowNames(page)).toEqual([names.alpha]);
  await page.getByLabel("Filter", { exact: true }).fill("zulu.ice.example");
  expect(await rowNames(page)).toEqual([names.zulu]);
});

test("the flyout shows details without secrets, live progress, history, failed items, the log and the chart", async ({ page }) => {
  const dialogs: string[] = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.setViewportSize({ width: 1440, height: 1000 });
  await signIn(page, TEST_ADMIN, TEST_PASSWORD);
  await expect(page).toHaveURL(/\/connectors$/);
  await rowOf(page, names.main).click();
  const panel = flyout(page);
  await expect(panel).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`\\?selected=${ids.main}$`));

  // Connection details; secrets only as flags.
  const details = panel.getByTestId("connection-details");
  await expect(details).toContainText("sftp.ice.example");
  await expect(details).toContainText("2222");
  await expect(details).toContainText("E2EFIRM");
  await expect(details).toContainText("Platform keys");
  await expect(details).toContainText(FINGERPRINT);
  await expect(details).toContainText("(ssh-ed25519)");
  await expect(details).toContainText("/exports/chat");
  await expect(details).toContainText("Local archive");
  await expect(panel.getByTestId("credential-flags")).toHaveText(/Password set/);
  await expect(panel.getByTestId("auto-mapping")).toContainText("On");
  await expect(panel.getByTestId("mapping-rows")).toHaveText("2 rows");
  await expect(panel.getByRole("link", { name: "Open the archive mailboxes" })).toHaveAttribute("href", "/archive");
  await expect(panel.getByRole("link", { name: "Edit" })).toHaveAttribute("href", `/connectors/ice-chat/${ids.main}/edit`);
  expect(await panel.textContent()).not.toContain(PASSWORD);
  const apiBody = await (await page.request.get(`/api/v1/connectors/${ids.main}`)).text();
  expect(apiBody).toContain(names.main);
  expect(apiBody).not.toContain(PASSWORD);
  const stored = await prisma.connector.findUniqueOrThrow({ where: { id: ids.main }, select: { passwordEnc: true } });
  expect(apiBody).not.toContain(stored.passwordEnc!);

  // Alerts at a glance: the open MISSED_DAY alert.
  await expect(panel.getByTestId("connector-alerts")).toContainText("Missed day");

  // Live progress: 1 of 4 files, then the worker moves on and the bar follows.
  const bar = panel.getByRole("progressbar", { name: "Run progress" });
  await expect(bar).toHaveAttribute("aria-valuenow", "25");
  await expect(panel.getByTestId("progress-files")).toHaveText("1 / 4");
  await expect(panel.getByTestId("progress-items")).toHaveText("50 / 200");
  await expect(panel).toContainText("E2EFIRM.20260113.xml.pgp");
  await prisma.importRun.update({ where: { id: ids.runD }, data: { filesProcessed: 2, itemsProcessed: 100, currentFile: "/exports/chat/E2EFIRM.20260113c.xml.pgp" } });
  await expect(bar).toHaveAttribute("aria-valuenow", "50", { timeout: 10_000 });
  await expect(panel.getByTestId("progress-items")).toHaveText("100 / 200");

  // Run now while a run is in progress: the server's 409 message is shown.
  await panel.getByRole("button", { name: "Run now" }).click();
  await expect(panel.getByTestId("connector-actions").getByRole("alert")).toBeVisible();
  expect(await prisma.importRun.count({ where: { connectorId: ids.main } })).toBe(4);

  // Chart: 30 days, bars for the days with imports.
  const chart = panel.getByTestId("daily-imports-chart");
  await expect(chart.locator("svg.recharts-surface")).toBeVisible();
  await expect(chart.locator(".recharts-bar-rectangle path").first()).toBeVisible();
  expect(await chart.locator(".recharts-bar-rectangle path").count()).toBeGreaterThanOrEqual(2);
  await expect(chart).toContainText("203 items imported in the last 30 days");

  // History with counters, newest first.
  const history = panel.getByTestId("run-history");
  await expect(history.getByTestId("run-row")).toHaveCount(4);
  await expect(history.getByTestId("run-row").first()).toContainText("Running");
  const runB = history.locator(`[data-testid="run-row"][data-run-id="${ids.runB}"]`);
  await expect(runB).toContainText("Partially succeeded");
  await expect(runB.locator("td")).toHaveText(["▸", /UTC→ .*UTC/, "Scheduled", "Partially succeeded", "90", "87", "80", "3", "1", /^3mapping 2 · too large 1$/]);
  await expect(history.getByTestId("run-row").filter({ hasText: "Limit exceeded" })).toContainText("9,000");
  await page.screenshot({ path: `${SHOTS}/dashboard-flyout.png`, fullPage: false });
  await chart.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/dashboard-flyout-history.png`, fullPage: false });

  // A run's failed items, unmapped users, partial items and files.
  const detail = await openRunDetail(history, ids.runB);
  const failed = detail.getByTestId("failed-items");
  await expect(failed).toContainText("Failed items (3)");
  await expect(failed.locator("tbody tr")).toHaveCount(3);
  await expect(failed.locator("tbody tr").first()).toContainText(`fail-${run}-1`);
  await expect(failed.locator("tbody tr").first()).toContainText("ghost1");
  await expect(failed.locator("tbody tr").first()).toContainText("User mapping");
  await expect(failed.locator("tbody tr").nth(2)).toContainText(`john.doe.${run}@firm.example`);
  // Source-controlled text is shown as text, never markup.
  await expect(failed.locator("tbody tr").nth(1).locator("td").last()).toHaveText(HOSTILE_DETAIL);
  await expect(failed.locator("img")).toHaveCount(0);
  await expect(detail.getByTestId("unmapped-users").locator("tbody tr")).toHaveCount(2);
  await expect(detail.getByTestId("unmapped-users")).toContainText("ghost2@other.example");
  await expect(detail.getByTestId("partial-items")).toContainText(`partial-${run}`);
  await expect(detail.getByTestId("run-files")).toContainText("Not a PGP message");
  await expect(detail.getByTestId("run-files")).toContainText("47.1 KB");
  await detail.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/dashboard-run-detail.png`, fullPage: false });

  // Download log: the admin log CSV with every failed item, formulas neutralised.
  const [download] = await Promise.all([page.waitForEvent("download"), detail.getByRole("link", { name: "Download log" }).click()]);
  expect(download.suggestedFilename()).toMatch(/\.csv$/);
  const csv = await readFile((await download.path())!, "utf8");
  for (const n of [1, 2, 3]) expect(csv).toContain(`fail-${run}-${n}`);
  expect(csv).toContain("ghost2@other.example");
  expect(csv).not.toMatch(/(^|,)=HYPERLINK/m);

  // The mapping download.
  const [mapping] = await Promise.all([page.waitForEvent("download"), panel.getByRole("link", { name: "Download current mapping" }).click()]);
  const mappingCsv = await readFile((await mapping.path())!, "utf8");
  expect(mappingCsv).toContain(`john.doe.${run}@firm.example`);

  // Esc closes the flyout and the URL forgets it.
  await page.keyboard.press("Escape");
  await expect(panel).toBeHidden();
  await expect(page).toHaveURL(/\/connectors$/);

  // The run finishes: the table switches from Running without a reload.
  await prisma.importRun.update({
    where: { id: ids.runD },
    data: { status: "SUCCEEDED", activeRunKey: null, finishedAt: new Date(), filesProcessed: 4, itemsProcessed: 200, imported: 198, currentFile: null },
  });
  await expect(rowOf(page, names.main).getByTestId("connector-status")).toHaveText("Active", { timeout: 10_000 });
  await expect(rowOf(page, names.main).locator("td").nth(3)).toHaveText("198");
  expect(dialogs).toEqual([]);
  expect(await page.evaluate(() => document.body.dataset.pwned ?? null)).toBeNull();
});

test("?selected= opens the flyout on load; an unknown id shows an error, not a crash", async ({ page }) => {
  await signIn(page, TEST_ADMIN, TEST_PASSWORD);
  await expect(page).toHaveURL(/\/connectors$/);
  await page.goto(`/connectors?selected=${ids.main}`);
  const panel = flyout(page);
  await expect(panel).toBeVisible();
  await expect(panel.getByTestId("no-active-run")).toContainText("No run in progress");
  await expect(panel.getByRole("button", { name: "Close" })).toBeVisible();
  // The focus stays inside the panel.
  for (let i = 0; i < 5; i++) await page.keyboard.press("Tab");
  expect(await panel.evaluate((el) => el.contains(document.activeElement))).toBe(true);
  await panel.getByRole("button", { name: "Close" }).click();
  await expect(panel).toBeHidden();

  await page.goto(`/connectors?selected=${randomUUID()}`);
  await expect(page.getByTestId("connector-flyout").getByRole("alert")).toBeVisible();
  await page.keyboard.press("Escape");
  await page.goto(`/connectors?selected=not-an-id`);
  await expect(page.getByTestId("connector-flyout")).toHaveCount(0);
  await expect(rowOf(page, names.main)).toBeVisible();
});

test("pause and resume change the status; delete needs the exact name", async ({ page }) => {
  await signIn(page, TEST_ADMIN, TEST_PASSWORD);
  await expect(page).toHaveURL(/\/connectors$/);
  await rowOf(page, names.alpha).click();
  const panel = page.getByRole("dialog", { name: names.alpha });
  await expect(panel).toBeVisible();
  await panel.getByRole("button", { name: "Pause" }).click();
  await expect(panel.getByRole("button", { name: "Resume" })).toBeVisible();
  await expect(panel.getByTestId("connector-status")).toHaveText("Paused");
  await expect(panel.getByRole("button", { name: "Run now" })).toBeDisabled();
  await expect(rowOf(page, names.alpha).getByTestId("connector-status")).toHaveText("Paused");
  await expect(rowOf(page, names.alpha).locator("td").nth(4)).toHaveText("Paused");
  expect((await prisma.connector.findUniqueOrThrow({ where: { id: ids.alpha } })).state).toBe("PAUSED");
  await panel.getByRole("button", { name: "Resume" }).click();
  await expect(panel.getByRole("button", { name: "Pause" })).toBeVisible();
  await expect(panel.getByTestId("connector-status")).toHaveText("Active");
  await expect(rowOf(page, names.alpha).getByTestId("connector-status")).toHaveText("Active");
  await page.keyboard.press("Escape");
  await expect(panel).toBeHidden();

  await rowOf(page, names.zulu).click();
  const zulu = page.getByRole("dialog", { name: names.zulu });
  await expect(zulu.getByTestId("connector-alerts")).toContainText("Authentication failed");
  await zulu.getByRole("button", { name: "Delete…" }).click();
  const confirm = page.getByRole("dialog", { name: "Delete connector" });
  await expect(confirm).toBeVisible();
  const submit = confirm.getByRole("button", { name: "Delete connector" });
  await expect(submit).toBeDisabled();
  await confirm.getByLabel(/to confirm/).fill(names.zulu.toUpperCase());
  await expect(submit).toBeDisabled();
  await confirm.getByLabel(/to confirm/).fill(names.zulu);
  await expect(submit).toBeEnabled();
  await page.screenshot({ path: `${SHOTS}/dashboard-delete-dialog.png`, fullPage: false });
  await submit.click();
  await expect(confirm).toBeHidden();
  await expect(zulu).toBeHidden();
  await expect(page.getByRole("status").filter({ hasText: `Connector "${names.zulu}" was deleted` })).toBeVisible();
  await expect(rowOf(page, names.zulu)).toHaveCount(0);
  const deleted = await prisma.connector.findUniqueOrThrow({ where: { id: ids.zulu }, select: { state: true, passwordEnc: true } });
  expect(deleted.state).toBe("DELETED");
  // Its run history stays.
  expect(await prisma.importRun.count({ where: { connectorId: ids.zulu } })).toBe(1);
});

test("a viewer sees everything but no actions", async ({ page }) => {
  await signIn(page, TEST_VIEWER, TEST_PASSWORD);
  await expect(page).toHaveURL(/\/connectors$/);
  await expect(rowOf(page, names.main)).toBeVisible();
  await page.goto(`/connectors?selected=${ids.main}`);
  const panel = flyout(page);
  await expect(panel.getByTestId("connection-details")).toContainText("sftp.ice.example");
  await expect(panel.getByTestId("run-history").getByTestId("run-row")).toHaveCount(4);
  await expect(panel.getByTestId("connector-actions")).toHaveCount(0);
  for (const name of ["Run now", "Pause", "Resume", "Backfill range…", "Delete…", "Approve limit and run"]) {
    await expect(panel.getByRole("button", { name })).toHaveCount(0);
  }
  await expect(panel.getByRole("link", { name: "Edit" })).toHaveCount(0);
  const detail = await openRunDetail(panel.getByTestId("run-history"), ids.runB);
  await expect(detail.getByTestId("failed-items").locator("tbody tr")).toHaveCount(3);
  await expect(detail.getByRole("link", { name: "Download log" })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/dashboard-viewer.png`, fullPage: false });
});
