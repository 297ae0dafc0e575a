import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, request as playwrightRequest, test, type APIRequestContext, type Page } from "@playwright/test";
import { startGraphEmulator, type GraphEmulator } from "../support/graph-emulator";
import { formatUserMappingCsv, generateDay, type GeneratedDay } from "../support/ice-chat-generator";
import { flushTestRedis } from "../support/run-fixture";
import { startSftpSimulator, type SftpSimulator } from "../support/sftp-server";
import { TEST_ADMIN, TEST_PASSWORD } from "../support/test-env";
import { graphEmulatorEnv, startWorker, type WorkerProcess } from "../support/worker-process";
import { signIn, signInApi } from "./helpers";

// What an admin does on day one, end to end: sign in, add an ICE Chat connector with the
// keys provided by this service, give ICE (the SFTP simulator) the downloaded SSH and PGP
// public keys, validate, map, finish, press Run now, watch the flyout until the run is
// done, and find every message in the right mailboxes. Once into Microsoft 365 (the Graph
// emulator, through a real worker process), once into the local archive.

test.describe.configure({ mode: "serial" });

const SIM_PORT = 2222;
const ORIGIN = "http://127.0.0.1:3100";
const SHOTS = "test-results/screenshots";
// Unique per run: the archive rightly refuses to store the same firm's item twice in a mailbox.
const FIRM = `DAY${Date.now().toString(36).toUpperCase()}`;
const SFTP_PASSWORD = "day-one-sftp-password";
// Enough for the run to be watched in progress for a few seconds.
const MESSAGES = 2000;
const NAME_PREFIX = `Day one ${Date.now().toString(36)}`;

let work: string;
let site: string;
let sim: SftpSimulator;
let emu: GraphEmulator;
let worker: WorkerProcess;
let api: APIRequestContext;

test.beforeAll(async ({ baseURL }) => {
  await flushTestRedis();
  work = mkdtempSync(path.join(tmpdir(), "day-one-"));
  site = path.join(work, "site");
  mkdirSync(site);
  emu = await startGraphEmulator({ users: [], limits: { serviceTimeMs: 2 } });
  sim = await startSftpSimulator({ root: site, firmCode: FIRM, password: SFTP_PASSWORD, requireBoth: true, port: SIM_PORT });
  worker = startWorker(
    {
      DATA_DIR: path.join(work, "data"),
      SFTP_ALLOW_PRIVATE_NETWORKS: "true",
      SFTP_ALLOWED_PORTS: `22,${SIM_PORT}`,
      WORKER_HEALTH_PORT: "0",
      LOG_LEVEL: "info",
      ...graphEmulatorEnv(emu),
    },
    path.join(work, "worker.log"),
  );
  api = await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { Origin: ORIGIN } });
  await signInApi(api, TEST_ADMIN, TEST_PASSWORD);
});

test.afterAll(async () => {
  // Leave no connector behind, even after a failure (sign-in.spec.ts expects none).
  if (api) {
    const { connectors } = (await (await api.get("/api/v1/connectors")).json()) as { connectors: { id: string; name: string }[] };
    for (const c of connectors.filter((c) => c.name.startsWith(NAME_PREFIX))) await deleteConnector(c.id, c.name);
  }
  await worker?.stop();
  await sim?.stop();
  await emu?.stop();
  await api?.dispose();
  if (work) rmSync(work, { recursive: true, force: true });
});

async function deleteConnector(id: string, name: string): Promise<void> {
  const res = await api.delete(`/api/v1/connectors/${id}`, { data: { confirmName: name } });
  expect(res.status()).toBe(204);
}

/** Wizard up to Finish; generates the day once ICE (the test) has the downloaded PGP key. */
async function addConnector(page: Page, name: string, directory: string, destination: "graph" | "local_archive"): Promise<{ id: string; day: GeneratedDay }> {
  await signIn(page, TEST_ADMIN, TEST_PASSWORD);
  await page.getByRole("link", { name: "View" }).click();
  await page.getByRole("link", { name: "Add connector" }).click();
  await page.getByRole("button", { name: "Accept" }).click();
  await expect(page.getByRole("heading", { name: "Add credentials for content source" })).toBeVisible();

  const sshDownload = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download SSH key" }).click();
  sim.setAuthorizedKeys([readFileSync((await (await sshDownload).path())!, "utf8").trim()]);
  const pgpDownload = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download PGP key" }).click();
  const pgpPublicKey = readFileSync((await (await pgpDownload).path())!, "utf8");

  // ICE drops the day's export, encrypted to the key we just gave it.
  mkdirSync(path.join(site, directory), { recursive: true });
  const day = await generateDay({
    outputDir: path.join(site, directory), seed: destination === "graph" ? 101 : 202, firmCode: FIRM,
    date: new Date().toISOString().slice(0, 10), conversations: 40, totalMessages: MESSAGES, files: 2, container: "gzip",
    users: 8, attachmentRate: 0.05, pgp: { armoredPublicKey: pgpPublicKey },
  });
  emu.setUsers([...emu.users(), ...day.manifest.users.map((u) => ({ userPrincipalName: u.email.toLowerCase() }))]);

  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Firm code").fill(FIRM);
  await page.getByLabel("Password", { exact: true }).fill(SFTP_PASSWORD);
  await page.getByLabel("SFTP URL").fill("127.0.0.1");
  await page.getByLabel("SFTP port").fill(String(SIM_PORT));
  await page.getByText("Advanced settings").click();
  await page.getByLabel("Remote directory").fill(`/${directory}`);
  await page.getByLabel(destination === "graph" ? "Microsoft 365 mailboxes (Microsoft Graph)" : "Local archive (this installation)").check();
  await page.getByRole("button", { name: "Validate connection" }).click();
  await expect(page.getByTestId("host-key-fingerprint")).toHaveText(sim.hostKeyFingerprint, { timeout: 30_000 });
  await page.getByLabel("I confirm this fingerprint matches the one ICE gave me").check();
  await page.getByRole("button", { name: "Next" }).click({ timeout: 30_000 });

  // Half the traders through the mapping file (to their own mailboxes), the rest automatically.
  const csv = formatUserMappingCsv(day.manifest.users.slice(0, 4));
  await page.getByLabel("Mapping file (CSV)").setInputFiles({ name: "mapping.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await expect(page.getByTestId("mapping-counts")).toHaveText("Valid rows: 4 · Errors: 0");
  await page.getByRole("button", { name: "Next" }).click();
  await page.getByRole("button", { name: "Finish" }).click();
  await expect(page).toHaveURL(/\/connectors\?selected=[0-9a-f-]+$/, { timeout: 30_000 });
  const id = new URL(page.url()).searchParams.get("selected")!;
  return { id, day };
}

/** Run now from the flyout, screenshots while running, and wait for the outcome there. */
async function runNowAndWatch(page: Page, shot: string): Promise<void> {
  const flyout = page.getByRole("dialog");
  await expect(flyout).toBeVisible();
  await flyout.getByRole("button", { name: "Run now" }).click();
  // Live progress: the flyout shows items being processed while the run goes on.
  const items = flyout.getByTestId("progress-items");
  const done = flyout.getByTestId("run-row").first().filter({ hasText: "Succeeded" });
  await expect(items.filter({ hasText: /^[1-9][\d,]* \/ [\d,]+$/ }).or(done)).toBeVisible({ timeout: 60_000 });
  if (await items.isVisible()) {
    await expect(flyout.getByRole("progressbar", { name: "Run progress" })).toHaveAttribute("aria-valuenow", /^(?!0$)\d+/);
    await page.screenshot({ path: `${SHOTS}/day-one-${shot}-flyout-running.png`, fullPage: true });
  }
  await expect(flyout.getByTestId("run-row").first()).toContainText("Succeeded", { timeout: 180_000 });
  await page.screenshot({ path: `${SHOTS}/day-one-${shot}-flyout-done.png`, fullPage: true });
}

interface RunJson {
  status: string;
  itemsFromSource: number;
  itemsForImport: number;
  imported: number;
  partiallyImported: number;
  skippedDuplicate: number;
  failed: { total: number };
}

async function lastRun(id: string): Promise<RunJson> {
  const runs = ((await (await api.get(`/api/v1/connectors/${id}/runs`)).json()) as { runs: RunJson[] }).runs;
  return runs[0]!;
}

function expectedUnits(day: GeneratedDay): number {
  return Object.values(day.manifest.itemsPerUser).reduce((a, b) => a + b, 0);
}

test("day one into Microsoft 365: wizard, Run now, live progress, every mailbox has its ICE Chat messages once", async ({ page }) => {
  test.setTimeout(300_000);
  const name = `${NAME_PREFIX} Microsoft 365`;
  const { id, day } = await addConnector(page, name, "m365", "graph");
  await runNowAndWatch(page, "graph");

  const run = await lastRun(id);
  const units = expectedUnits(day);
  expect(run).toMatchObject({ status: "SUCCEEDED", itemsFromSource: MESSAGES, itemsForImport: units, imported: units, skippedDuplicate: 0 });
  expect(run.failed.total).toBe(0);
  // The flyout shows the same counters.
  const row = page.getByRole("dialog").getByTestId("run-row").first();
  await expect(row).toContainText(units.toLocaleString("en-US"));

  for (const user of day.manifest.users) {
    const messages = emu.messagesOf(user.email.toLowerCase(), "ICE Chat");
    const keys = new Set(messages.map((m) => m.extendedProperties.find((p) => /Name IceChatItemKey$/.test(p.id))?.value));
    expect(messages.length, user.email).toBe(day.manifest.itemsPerUser[user.imId] ?? 0);
    expect(keys.size, `${user.email} has duplicates`).toBe(messages.length);
    expect(messages.every((m) => !m.isDraft && m.isRead)).toBe(true);
  }
  const sample = day.manifest.samples[0]!;
  const sender = day.manifest.users.find((u) => u.imId === sample.senderImId)!;
  const found = emu.messagesOf(sender.email.toLowerCase(), "ICE Chat").find((m) => m.body.content.includes(sample.messageId));
  expect(found?.sentDateTime && new Date(found.sentDateTime).getTime()).toBe(new Date(sample.timestamp).getTime());

  await page.keyboard.press("Escape");
  await page.screenshot({ path: `${SHOTS}/day-one-graph-dashboard.png`, fullPage: true });
  await expect(page.getByRole("row", { name: new RegExp(name) })).toContainText(units.toLocaleString("en-US"));
  await deleteConnector(id, name);
});

test("day one into the local archive: the imported mail is in the archive pages", async ({ page }) => {
  test.setTimeout(300_000);
  const name = `${NAME_PREFIX} local archive`;
  const { id, day } = await addConnector(page, name, "archive", "local_archive");
  await runNowAndWatch(page, "archive");
  const run = await lastRun(id);
  const units = expectedUnits(day);
  expect(run).toMatchObject({ status: "SUCCEEDED", itemsFromSource: MESSAGES, itemsForImport: units, imported: units });

  // This connector's share of each mailbox, and the mailbox totals the page shows.
  const mine = ((await (await api.get(`/api/v1/archive/mailboxes?connectorId=${id}`)).json()) as { mailboxes: { mailbox: string; count: number }[] }).mailboxes;
  const all = ((await (await api.get("/api/v1/archive/mailboxes")).json()) as { mailboxes: { mailbox: string; count: number }[] }).mailboxes;
  for (const u of day.manifest.users) {
    expect(mine.find((m) => m.mailbox === u.email.toLowerCase())?.count ?? 0, u.email).toBe(day.manifest.itemsPerUser[u.imId] ?? 0);
  }

  await page.getByRole("dialog").getByRole("link", { name: "Open the archive mailboxes" }).click({ timeout: 30_000 });
  await expect(page).toHaveURL(/\/archive$/);
  const user = day.manifest.users.find((u) => (day.manifest.itemsPerUser[u.imId] ?? 0) > 0)!;
  const mailbox = user.email.toLowerCase();
  const total = all.find((m) => m.mailbox === mailbox)!.count;
  await expect(page.getByRole("row", { name: new RegExp(mailbox.replace(/[.+]/g, "\\$&")) })).toContainText(`(${total})`);
  await page.getByRole("link", { name: mailbox, exact: true }).click({ timeout: 30_000 });
  await expect(page.getByRole("search", { name: "Search the archive" })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/day-one-archive-mailbox.png`, fullPage: true });
  const sample = day.manifest.samples.find((s) => s.senderImId === user.imId || s.recipientImIds.includes(user.imId));
  expect(sample, "the generator's samples include this user").toBeDefined();
  await page.locator('input[name="q"]').fill(sample!.messageId);
  await page.getByRole("search", { name: "Search the archive" }).getByRole("button", { name: "Search" }).click({ timeout: 30_000 });
  await expect(page).toHaveURL(/[?&]q=/);
  await page.getByRole("table").getByRole("link").first().click({ timeout: 30_000 });
  await expect(page).toHaveURL(/\/archive\/message\//);
  await expect(page.getByText(sample!.messageId).first()).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/day-one-archive-message.png`, fullPage: true });
  await deleteConnector(id, name);
});
