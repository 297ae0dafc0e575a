import { expect, request as playwrightRequest, test } from "@playwright/test";
import { TEST_ADMIN, TEST_PASSWORD, TEST_VIEWER } from "../support/test-env";
import { signIn, signInApi } from "./helpers";

// The Microsoft 365 (Graph) card: an administrator saves the app registration, the
// secret never comes back (page or API), and a viewer can only read.
const ORIGIN = "http://127.0.0.1:3100";
const TENANT = "11111111-2222-4333-8444-555555555555";
const CLIENT = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";
const SECRET = `e2e~Secret.${Date.now()}_value`;

test.describe.configure({ mode: "serial" });

test.beforeAll(async ({ baseURL }) => {
  const admin = await playwrightRequest.newContext({ baseURL });
  await signInApi(admin, TEST_ADMIN, TEST_PASSWORD);
  expect((await admin.delete("/api/v1/settings/graph", { headers: { Origin: ORIGIN } })).status()).toBe(200);
  await admin.dispose();
});

test("an administrator saves the Graph settings; neither the page nor the API shows the secret", async ({ page }) => {
  await signIn(page, TEST_ADMIN, TEST_PASSWORD);
  await expect(page).toHaveURL(/\/connectors$/);
  await page.goto("/settings");
  const card = page.getByTestId("graph-settings");
  await expect(card).toContainText("Mail.ReadWrite");
  await expect(card).toContainText("User.Read.All");
  await expect(card).toContainText("admin consent");
  await expect(page.getByTestId("graph-source")).toContainText(/Not configured|Environment/);

  await card.getByLabel("Directory (tenant) id").fill(TENANT);
  await card.getByLabel("Application (client) id").fill(CLIENT);
  await card.getByLabel("Client secret").fill(SECRET);
  await card.getByRole("button", { name: "Save" }).click();
  await expect(card.getByText("Microsoft 365 settings saved")).toBeVisible();
  await expect(page.getByTestId("graph-source")).toContainText("Settings");
  await expect(page.getByTestId("graph-tenant-id")).toHaveText(TENANT);
  await expect(page.getByTestId("graph-secret-state")).toHaveText("•••• set");
  // The form was rebuilt from the server's view: the secret field is empty again.
  await expect(card.getByLabel("Client secret")).toHaveValue("");
  expect(await page.content()).not.toContain(SECRET);

  // A fresh load renders from the server only.
  await page.reload();
  await expect(page.getByTestId("graph-secret-state")).toHaveText("•••• set");
  expect(await page.content()).not.toContain(SECRET);

  const res = await page.request.get("/api/v1/settings/graph");
  expect(res.status()).toBe(200);
  const body = await res.text();
  expect(body).not.toContain(SECRET);
  expect(JSON.parse(body)).toMatchObject({ settings: { source: "settings", tenantId: TENANT, clientId: CLIENT, hasClientSecret: true } });

  // Saving again with the secret left blank keeps it.
  await card.getByLabel("Application (client) id").fill("bbbbbbbb-bbbb-4ccc-8ddd-eeeeeeeeeeee");
  await card.getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("graph-client-id")).toHaveText("bbbbbbbb-bbbb-4ccc-8ddd-eeeeeeeeeeee");
  await expect(page.getByTestId("graph-secret-state")).toHaveText("•••• set");

  // The import method: JSON by default; the beta importMime is chosen with a radio, shown
  // with its caveats, and returned by the API. An unknown method is refused.
  const jsonRadio = card.getByRole("radio", { name: /^JSON \(Microsoft Graph v1\.0\)/ });
  const mimeRadio = card.getByRole("radio", { name: /^importMime \(beta\)/ });
  await expect(page.getByTestId("graph-import-method")).toHaveText("JSON (Microsoft Graph v1.0)");
  await expect(jsonRadio).toBeChecked();
  await expect(page.getByTestId("graph-import-method-warning")).toHaveCount(0);
  await expect(card.getByTestId("graph-import-method-choice")).toContainText("Mail-Advanced.ReadWrite.All");
  await expect(card.getByTestId("graph-import-method-choice")).toContainText("not supported by Microsoft in production");
  await mimeRadio.check();
  await card.getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("graph-import-method")).toHaveText("importMime (Microsoft Graph beta)");
  await expect(page.getByTestId("graph-import-method-warning")).toContainText("beta");
  await expect(mimeRadio).toBeChecked();
  await expect(page.getByTestId("graph-secret-state")).toHaveText("•••• set");
  const withMethod = await page.request.get("/api/v1/settings/graph");
  expect(((await withMethod.json()) as { settings: { importMethod: string } }).settings.importMethod).toBe("importMime");
  const unknownMethod = await page.request.put("/api/v1/settings/graph", {
    data: { tenantId: TENANT, clientId: "bbbbbbbb-bbbb-4ccc-8ddd-eeeeeeeeeeee", importMethod: "mime" },
    headers: { Origin: ORIGIN },
  });
  expect(unknownMethod.status()).toBe(422);
  await page.reload();
  await expect(page.getByTestId("graph-import-method")).toHaveText("importMime (Microsoft Graph beta)");

  // A bad value is refused with the server's message.
  await card.getByLabel("Directory (tenant) id").fill("not a tenant");
  await card.getByRole("button", { name: "Save" }).click();
  await expect(card.getByRole("alert")).toContainText("tenant id must be");
});

test("a viewer sees the settings read-only and cannot change them through the API", async ({ page, baseURL }) => {
  await signIn(page, TEST_VIEWER, TEST_PASSWORD);
  await expect(page).toHaveURL(/\/connectors$/);
  await page.goto("/settings");
  const card = page.getByTestId("graph-settings");
  await expect(page.getByTestId("graph-tenant-id")).toHaveText(TENANT);
  await expect(page.getByTestId("graph-secret-state")).toHaveText("•••• set");
  await expect(page.getByTestId("graph-import-method")).toHaveText("importMime (Microsoft Graph beta)");
  await expect(card).toContainText("needs the Mailbox Import Export role");
  await expect(card.getByRole("button", { name: "Save" })).toHaveCount(0);
  await expect(card.getByRole("button", { name: "Test connection" })).toHaveCount(0);
  await expect(card.getByRole("button", { name: "Remove" })).toHaveCount(0);
  await expect(card.locator("input")).toHaveCount(0);
  expect(await page.content()).not.toContain(SECRET);

  const viewer = await playwrightRequest.newContext({ baseURL });
  await signInApi(viewer, TEST_VIEWER, TEST_PASSWORD);
  const get = await viewer.get("/api/v1/settings/graph");
  expect(get.status()).toBe(200);
  expect(await get.text()).not.toContain(SECRET);
  const put = await viewer.put("/api/v1/settings/graph", { data: { tenantId: TENANT, clientId: CLIENT, clientSecret: "viewer-was-here" }, headers: { Origin: ORIGIN } });
  expect(put.status()).toBe(403);
  expect(((await put.json()) as { error: { code: string } }).error.code).toBe("forbidden");
  expect((await viewer.delete("/api/v1/settings/graph", { headers: { Origin: ORIGIN } })).status()).toBe(403);
  expect((await viewer.post("/api/v1/settings/graph/test", { data: {}, headers: { Origin: ORIGIN } })).status()).toBe(403);
  await viewer.dispose();
});

test("an administrator removes the settings", async ({ page }) => {
  await signIn(page, TEST_ADMIN, TEST_PASSWORD);
  await expect(page).toHaveURL(/\/connectors$/);
  await page.goto("/settings");
  page.once("dialog", (dialog) => void dialog.accept());
  await page.getByTestId("graph-settings").getByRole("button", { name: "Remove" }).click();
  await expect(page.getByTestId("graph-source")).not.toContainText("Settings");
  await expect(page.getByTestId("graph-settings").getByRole("button", { name: "Remove" })).toHaveCount(0);
});

test("internal or metadata endpoints are refused before the secret is stored or sent (SSRF guard)", async ({ baseURL }) => {
  const admin = await playwrightRequest.newContext({ baseURL });
  await signInApi(admin, TEST_ADMIN, TEST_PASSWORD);
  const cases = [
    { field: "graphBaseUrl", url: "https://127.0.0.1:8443", says: /Graph base URL 127\.0\.0\.1:8443 is not allowed: .*loopback.*GRAPH_ALLOW_PRIVATE_NETWORKS=true/ },
    { field: "authorityHost", url: "https://10.20.30.40", says: /authority host 10\.20\.30\.40 is not allowed: .*private/ },
    { field: "authorityHost", url: "https://169.254.169.254", says: /never allowed/ },
    { field: "graphBaseUrl", url: "https://[::ffff:7f00:1]", says: /not allowed/ },
  ];
  for (const { field, url, says } of cases) {
    const body = { tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET, [field]: url };
    const put = await admin.put("/api/v1/settings/graph", { data: body, headers: { Origin: ORIGIN } });
    expect(put.status(), `${field}=${url}`).toBe(422);
    expect(((await put.json()) as { error: { message: string } }).error.message).toMatch(says);
    // Test connection refuses before any request leaves the server.
    const probe = await admin.post("/api/v1/settings/graph/test", { data: body, headers: { Origin: ORIGIN } });
    expect(probe.status(), `test ${field}=${url}`).toBe(422);
    expect(((await probe.json()) as { error: { message: string } }).error.message).toMatch(says);
  }
  // Nothing was stored by the refused saves.
  const view = (await (await admin.get("/api/v1/settings/graph")).json()) as { settings: { source: string; graphBaseUrl: string | null; authorityHost: string | null } };
  expect(view.settings.graphBaseUrl).toBeNull();
  expect(view.settings.authorityHost).toBeNull();
  await admin.dispose();
});
