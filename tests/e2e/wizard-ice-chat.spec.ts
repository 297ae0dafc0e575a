import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, request as playwrightRequest, test, type APIRequestContext, type Page } from "@playwright/test";
import * as openpgp from "openpgp";
import { generatePgpKey, type GeneratedPgpKey } from "../../lib/keys/generate-pgp-key";
import { generateUsableKeyPair, startSftpSimulator, type SftpSimulator } from "../support/sftp-server";
import { TEST_ADMIN, TEST_PASSWORD, TEST_VIEWER } from "../support/test-env";
import { signIn, signInApi } from "./helpers";

// The ICE Chat connector wizard, walked like an admin against the SFTP simulator on a
// port the e2e web server's network guard allows (SFTP_ALLOWED_PORTS in playwright.config.ts).

test.describe.configure({ mode: "serial" });

const SIM_PORT = 10022;
const ORIGIN = "http://127.0.0.1:3100";
const SHOTS = "test-results/screenshots";
const run = randomUUID().slice(0, 8);
const FIRM = `FIRM${run.toUpperCase()}`;
const SFTP_PASSWORD = `sftp-pw-${run}`;
const NAME_PREFIX = `E2E wizard ${run}`;

let root: string;
let sim: SftpSimulator;
let api: APIRequestContext;
let ownPgp: GeneratedPgpKey;

interface ConnectorRow {
  id: string;
  name: string;
  keyMode: string;
  firmCode: string;
  sftpHost: string;
  sftpPort: number;
  hostKeyFingerprint: string | null;
  hostKeyAlgorithm: string | null;
  remoteDirectory: string;
  autoMapping: boolean;
  mappingRows: number;
  scheduleTime: string;
  hasPassword: boolean;
  hasPgpPrivateKey: boolean;
  hasSshPrivateKey: boolean;
  dailyItemLimit: number;
}

async function listConnectors(): Promise<ConnectorRow[]> {
  const res = await api.get("/api/v1/connectors");
  expect(res.status()).toBe(200);
  return ((await res.json()) as { connectors: ConnectorRow[] }).connectors;
}

test.beforeAll(async ({ baseURL }) => {
  root = mkdtempSync(path.join(tmpdir(), "wizard-sftp-"));
  mkdirSync(path.join(root, "platform"));
  mkdirSync(path.join(root, "own"));
  writeFileSync(path.join(root, "platform", "README.txt"), "ICE Chat exports appear here.\n");
  ownPgp = await generatePgpKey({ userId: { name: "E2E wizard firm", email: "compliance@firm.example" }, type: "ecc" });
  // A real export-like file encrypted to the firm's key, so validation can try a decryption.
  const encrypted = await openpgp.encrypt({
    message: await openpgp.createMessage({ text: "<?xml version=\"1.0\"?><Conversations/>" }),
    encryptionKeys: await openpgp.readKey({ armoredKey: ownPgp.publicKeyArmored }),
    format: "binary",
  });
  writeFileSync(path.join(root, "own", `${FIRM}_20250101.xml.gpg`), encrypted as Uint8Array);
  sim = await startSftpSimulator({ root, firmCode: FIRM, password: SFTP_PASSWORD, requireBoth: true, port: SIM_PORT });
  api = await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { Origin: ORIGIN } });
  await signInApi(api, TEST_ADMIN, TEST_PASSWORD);
});

test.afterAll(async () => {
  // Leave the e2e database as sign-in.spec.ts expects it: no connectors.
  if (api) {
    for (const c of await listConnectors().catch(() => [] as ConnectorRow[])) {
      if (c.name.startsWith(NAME_PREFIX)) {
        const res = await api.delete(`/api/v1/connectors/${c.id}`, { data: { confirmName: c.name } });
        expect(res.status(), `delete ${c.name}`).toBe(204);
      }
    }
    await api.dispose();
  }
  await sim?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

async function openWizard(page: Page): Promise<void> {
  await signIn(page, TEST_ADMIN, TEST_PASSWORD);
  await expect(page).toHaveURL(/\/connectors$/);
  await page.getByRole("link", { name: "View" }).click();
  await expect(page.getByRole("heading", { name: "ICE Chat", exact: true })).toBeVisible();
  await page.getByRole("link", { name: "Add connector" }).click();
  await expect(page).toHaveURL(/\/connectors\/ice-chat\/new\?step=terms$/);
  await expect(page.getByRole("heading", { name: "Terms of service" })).toBeVisible();
}

async function fillConnection(page: Page, name: string, password: string): Promise<void> {
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Firm code").fill(FIRM);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByLabel("SFTP URL").fill("127.0.0.1");
  await page.getByLabel("SFTP port").fill(String(SIM_PORT));
}

async function validateAndConfirm(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Validate connection" }).click();
  await expect(page.getByText("The connector reached the SFTP site and signed in.")).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId("host-key-fingerprint")).toHaveText(sim.hostKeyFingerprint);
  await expect(page.getByTestId("host-key-algorithm")).toHaveText(sim.hostKeyAlgorithm);
  const next = page.getByRole("button", { name: "Next" });
  await expect(next).toBeDisabled();
  await page.getByLabel("I confirm this fingerprint matches the one ICE gave me").check();
  await expect(next).toBeEnabled();
}

async function uploadMapping(page: Page, name: string, csv: string): Promise<void> {
  await page.getByLabel("Mapping file (CSV)").setInputFiles({ name, mimeType: "text/csv", buffer: Buffer.from(csv) });
}

async function walkMapping(page: Page, shot: string): Promise<void> {
  await expect(page.getByRole("heading", { name: "Map ICE Chat users to Microsoft 365 users" })).toBeVisible();
  await expect(page.getByText(/looked up in the mapping file first, by ImId/)).toBeVisible();
  const template = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download template" }).click();
  expect(readFileSync((await (await template).path())!, "utf8")).toMatch(/ImId/i);

  await uploadMapping(page, "bad-mapping.csv", "ImId,Mailbox\nalice@ice.example,alice@firm.example\nbob@ice.example,not-an-address\n,carol@firm.example\n");
  const errors = page.getByRole("table", { name: "Errors in the mapping file" });
  await expect(errors).toBeVisible();
  await expect(errors.getByRole("cell", { name: "3", exact: true }).first()).toBeVisible();
  await expect(errors.getByRole("cell", { name: "4", exact: true }).first()).toBeVisible();
  await expect(page.getByText(/cannot be used/)).toBeVisible();
  await expect(page.getByRole("button", { name: "Next" })).toBeDisabled();
  await page.screenshot({ path: `${SHOTS}/wizard-${shot}-mapping-errors.png`, fullPage: true });

  await uploadMapping(page, "mapping.csv", "ImId,Mailbox\nalice@ice.example,alice@firm.example\nbob@ice.example,bob@firm.example\n");
  await expect(page.getByTestId("mapping-counts")).toHaveText("Valid rows: 2 · Errors: 0");
  await expect(page.getByRole("table", { name: "Mapping preview" }).getByRole("cell", { name: "bob@firm.example" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Next" })).toBeEnabled();
  await page.screenshot({ path: `${SHOTS}/wizard-${shot}-mapping.png`, fullPage: true });
  await page.getByRole("button", { name: "Next" }).click();
}

async function finish(page: Page, name: string): Promise<ConnectorRow> {
  await page.getByRole("button", { name: "Finish" }).click();
  await expect(page).toHaveURL(/\/connectors\?selected=[0-9a-f-]+$/, { timeout: 30_000 });
  const selected = new URL(page.url()).searchParams.get("selected");
  const created = (await listConnectors()).find((c) => c.name === name);
  expect(created, `${name} is listed by GET /api/v1/connectors`).toBeDefined();
  expect(created!.id).toBe(selected);
  // Nothing of the draft stays in the tab once the connector exists.
  expect(await page.evaluate(() => window.sessionStorage.getItem("ice-chat-wizard:new"))).toBeNull();
  return created!;
}

test("platform keys: terms, key downloads, a failed then a good validation, reload, mapping, review, finish", async ({ page }) => {
  const name = `${NAME_PREFIX} platform`;
  await openWizard(page);
  await page.screenshot({ path: `${SHOTS}/wizard-terms.png`, fullPage: true });
  await page.getByRole("button", { name: "Accept" }).click();
  await expect(page).toHaveURL(/step=credentials$/);
  await expect(page.getByRole("heading", { name: "Add credentials for content source" })).toBeVisible();
  await expect(page.getByLabel("I want to use PGP and SSH public keys provided by this service")).toBeChecked();

  // The platform's SSH public key, downloaded from the wizard, is what the SFTP site trusts.
  const sshDownload = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download SSH key" }).click();
  const sshPublicKey = readFileSync((await (await sshDownload).path())!, "utf8").trim();
  expect(sshPublicKey).toMatch(/^ssh-(ed25519|rsa) /);
  sim.setAuthorizedKeys([sshPublicKey]);
  const pgpDownload = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download PGP key" }).click();
  expect(readFileSync((await (await pgpDownload).path())!, "utf8")).toContain("BEGIN PGP PUBLIC KEY BLOCK");
  await expect(page.getByRole("link", { name: "Download IP address" })).toBeVisible();

  // Inline validation before anything reaches the server.
  await page.getByRole("button", { name: "Validate connection" }).click();
  await expect(page.locator("#firmCode-error")).toHaveText("is required");
  await expect(page.locator("#password-error")).toContainText("is required");

  await fillConnection(page, name, "wrong-password");
  await expect(page.getByText("This name is available.")).toBeVisible();
  await page.getByRole("button", { name: "Validate connection" }).click();
  const auth = page.getByTestId("stage-authentication");
  await expect(auth).toHaveAttribute("data-status", "failed", { timeout: 30_000 });
  await expect(auth).toContainText("How to fix:");
  await expect(page.getByRole("button", { name: "Next" })).toBeDisabled();
  await page.screenshot({ path: `${SHOTS}/wizard-credentials-failed.png`, fullPage: true });

  await page.getByLabel("Password", { exact: true }).fill(SFTP_PASSWORD);
  await expect(page.getByText("You changed the connection details after validating.")).toBeVisible();
  await validateAndConfirm(page);
  for (const stage of ["tcp", "ssh_handshake", "authentication", "directory_listing"]) {
    await expect(page.getByTestId(`stage-${stage}`)).toHaveAttribute("data-status", "ok");
  }

  // Any edit of a connection field needs a new validation.
  await page.getByLabel("SFTP port").fill("10023");
  await expect(page.getByRole("button", { name: "Next" })).toBeDisabled();
  await page.getByLabel("SFTP port").fill(String(SIM_PORT));

  // A reload keeps the non-secret fields only; the password is never in browser storage.
  const storage = await page.evaluate(() => JSON.stringify(window.sessionStorage));
  expect(storage).toContain(name);
  expect(storage).not.toContain(SFTP_PASSWORD);
  expect(page.url()).not.toContain(SFTP_PASSWORD);
  await page.reload();
  await expect(page.getByLabel("Name")).toHaveValue(name);
  await expect(page.getByLabel("Firm code")).toHaveValue(FIRM);
  await expect(page.getByLabel("Password", { exact: true })).toHaveValue("");
  await expect(page.getByText(/never in the browser.s storage: after a reload, enter them again/)).toBeVisible();
  await expect(page.getByRole("button", { name: "Next" })).toBeDisabled();
  await page.getByLabel("Password", { exact: true }).fill(SFTP_PASSWORD);
  await validateAndConfirm(page);
  await page.screenshot({ path: `${SHOTS}/wizard-credentials-platform.png`, fullPage: true });
  await page.getByRole("button", { name: "Next" }).click();

  await expect(page).toHaveURL(/step=mapping$/);
  await walkMapping(page, "platform");

  await expect(page).toHaveURL(/step=review$/);
  await expect(page.getByTestId("review-password")).toHaveText("•••••• (set)");
  await expect(page.getByTestId("review-host-key-fingerprint")).toContainText(sim.hostKeyFingerprint);
  await expect(page.getByTestId("review-mapping-file")).toHaveText("mapping.csv: 2 users");
  await expect(page.locator("body")).not.toContainText(SFTP_PASSWORD);
  await page.screenshot({ path: `${SHOTS}/wizard-review-platform.png`, fullPage: true });

  // Edit goes back to the step; the values are still there.
  await page.getByRole("link", { name: "Edit user mapping" }).click();
  await expect(page).toHaveURL(/step=mapping$/);
  await expect(page.getByTestId("mapping-counts")).toHaveText("Valid rows: 2 · Errors: 0");
  await page.getByRole("button", { name: "Next" }).click();

  const created = await finish(page, name);
  expect(created).toMatchObject({
    keyMode: "platform",
    firmCode: FIRM,
    sftpHost: "127.0.0.1",
    sftpPort: SIM_PORT,
    hostKeyFingerprint: sim.hostKeyFingerprint,
    remoteDirectory: "/",
    autoMapping: true,
    mappingRows: 2,
    hasPassword: true,
    hasPgpPrivateKey: false,
  });
  await page.screenshot({ path: `${SHOTS}/wizard-finished.png`, fullPage: true });

  // The name is now taken: a second wizard says so while typing.
  await page.goto("/connectors/ice-chat/new?step=credentials");
  await page.getByRole("button", { name: "Accept" }).click();
  await page.getByLabel("Name").fill(name.toUpperCase());
  await expect(page.getByText("A connector with this name already exists. Choose another name.")).toBeVisible();
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(page).toHaveURL(/\/connectors\/ice-chat$/);
});

test("own keys: key checks, validation with the firm's SSH and PGP keys, mapping, review, finish, then edit", async ({ page }) => {
  const name = `${NAME_PREFIX} own keys`;
  const ssh = generateUsableKeyPair("rsa", { comment: "e2e-wizard-own" });
  sim.setAuthorizedKeys([ssh.public]);

  await openWizard(page);
  await page.getByRole("button", { name: "Accept" }).click();
  await page.getByLabel("I want to use PGP and SSH private keys").check();
  await expect(page.getByRole("link", { name: "Download IP address" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Download SSH key" })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Download PGP key" })).toHaveCount(0);

  await fillConnection(page, name, SFTP_PASSWORD);
  // Keys are checked as soon as the admin leaves the field.
  await page.getByLabel("PGP private key", { exact: true }).fill(ownPgp.privateKeyArmored);
  await page.getByLabel("PGP key passphrase").fill("not-the-passphrase");
  await page.getByLabel("PGP key passphrase").blur();
  await expect(page.getByTestId("pgp-key-check")).toHaveAttribute("data-tone", "error", { timeout: 15_000 });
  await page.getByLabel("PGP key passphrase").fill(ownPgp.passphrase);
  await page.getByLabel("PGP key passphrase").blur();
  await expect(page.getByTestId("pgp-key-check")).toHaveAttribute("data-tone", "ok", { timeout: 15_000 });
  await page.getByLabel("SSH private key", { exact: true }).fill(ssh.private);
  await page.getByLabel("SSH private key", { exact: true }).blur();
  await expect(page.getByTestId("ssh-key-check")).toHaveAttribute("data-tone", "ok", { timeout: 15_000 });

  await page.getByText("Advanced settings").click();
  await page.getByLabel("Remote directory").fill("/own");
  await page.getByLabel("Daily run time (UTC)").fill("6:30");
  await page.getByLabel("Daily run time (UTC)").blur();
  await expect(page.locator("#scheduleTime-error")).toContainText("HH:MM");
  await page.getByLabel("Daily run time (UTC)").fill("06:30");

  // A wrong password fails at the authentication stage, with a fix.
  await page.getByLabel("Password", { exact: true }).fill("wrong-password");
  await page.getByRole("button", { name: "Validate connection" }).click();
  await expect(page.getByTestId("stage-authentication")).toHaveAttribute("data-status", "failed", { timeout: 30_000 });
  await expect(page.getByTestId("stage-authentication")).toContainText("How to fix:");
  await page.getByLabel("Password", { exact: true }).fill(SFTP_PASSWORD);
  await validateAndConfirm(page);
  await expect(page.getByTestId("stage-pgp_key")).toHaveAttribute("data-status", "ok");
  await page.screenshot({ path: `${SHOTS}/wizard-credentials-own.png`, fullPage: true });
  const storage = await page.evaluate(() => JSON.stringify(window.sessionStorage));
  expect(storage).not.toContain("PRIVATE KEY");
  expect(storage).not.toContain(ownPgp.passphrase);
  await page.getByRole("button", { name: "Next" }).click();

  await walkMapping(page, "own");
  await expect(page.getByTestId("review-pgp-private-key")).toHaveText("•••••• (set)");
  await expect(page.getByTestId("review-ssh-private-key")).toHaveText("•••••• (set)");
  await expect(page.getByTestId("review-pgp-key-passphrase")).toHaveText("•••••• (set)");
  await expect(page.getByTestId("review-daily-run-time-utc-")).toHaveText("06:30");
  await expect(page.locator("body")).not.toContainText(ownPgp.passphrase);
  await page.screenshot({ path: `${SHOTS}/wizard-review-own.png`, fullPage: true });
  const created = await finish(page, name);
  expect(created).toMatchObject({
    keyMode: "own",
    remoteDirectory: "/own",
    scheduleTime: "06:30",
    hostKeyFingerprint: sim.hostKeyFingerprint,
    mappingRows: 2,
    hasPassword: true,
    hasPgpPrivateKey: true,
    hasSshPrivateKey: true,
  });

  // Edit: prefilled, secrets blank (stored ones are used for validation and kept on save).
  await page.goto(`/connectors/ice-chat/${created.id}/edit`);
  await expect(page).toHaveURL(/step=credentials$/);
  await expect(page.getByLabel("Name")).toHaveValue(name);
  await expect(page.getByLabel("PGP private key", { exact: true })).toHaveValue("");
  await expect(page.getByText("This name is available.")).toBeVisible();
  await page.getByText("Advanced settings").click();
  await page.getByLabel("Daily item limit").fill("5000");
  await validateAndConfirm(page);
  await page.screenshot({ path: `${SHOTS}/wizard-edit-credentials.png`, fullPage: true });
  await page.getByRole("button", { name: "Next" }).click();
  await expect(page.getByText(/mapping file with 2 rows; it stays/)).toBeVisible();
  await page.getByRole("button", { name: "Next" }).click();
  await expect(page.getByTestId("review-pgp-private-key")).toHaveText("•••••• (stored, unchanged)");
  await page.screenshot({ path: `${SHOTS}/wizard-edit-review.png`, fullPage: true });
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page).toHaveURL(new RegExp(`/connectors\\?selected=${created.id}$`), { timeout: 30_000 });
  const edited = (await listConnectors()).find((c) => c.id === created.id);
  expect(edited).toMatchObject({ dailyItemLimit: 5000, hasPgpPrivateKey: true, hasSshPrivateKey: true, mappingRows: 2 });
});

test("a viewer gets no Add connector button and the wizard refuses them", async ({ page }) => {
  await signIn(page, TEST_VIEWER, TEST_PASSWORD);
  await expect(page).toHaveURL(/\/connectors$/);
  await page.goto("/connectors/ice-chat");
  await expect(page.getByRole("heading", { name: "ICE Chat", exact: true })).toBeVisible();
  await expect(page.getByRole("link", { name: "Add connector" })).toHaveCount(0);
  await page.goto("/connectors/ice-chat/new");
  await expect(page.getByText("Adding a connector needs the Mailbox Import Export role.")).toBeVisible();
  await expect(page.getByTestId("ice-chat-wizard")).toHaveCount(0);
});
