import { expect, test } from "@playwright/test";
import { TEST_ADMIN, TEST_PASSWORD, TEST_VIEWER } from "../support/test-env";
import { pageUrls, signIn } from "./helpers";

test("every page sends a signed-out visitor to sign-in", async ({ page }) => {
  const urls = pageUrls().filter((u) => u !== "/signin");
  expect(urls.length).toBeGreaterThanOrEqual(3);
  for (const url of urls) {
    await page.goto(url);
    await expect(page, url).toHaveURL(/\/signin$/);
  }
});

test("a wrong password is refused with a message and no session", async ({ page }) => {
  await signIn(page, TEST_ADMIN, "not-the-password");
  await expect(page.getByRole("alert").filter({ hasText: "Sign-in failed" })).toBeVisible();
  await expect(page).toHaveURL(/\/signin$/);
  await page.goto("/connectors");
  await expect(page).toHaveURL(/\/signin$/);
});

test("an unknown user is refused the same way", async ({ page }) => {
  await signIn(page, "nobody@test.example", TEST_PASSWORD);
  await expect(page.getByRole("alert").filter({ hasText: "Sign-in failed" })).toBeVisible();
});

test("an administrator signs in, sees the portal shell and signs out", async ({ page }) => {
  await signIn(page, TEST_ADMIN, TEST_PASSWORD);
  await expect(page).toHaveURL(/\/connectors$/);
  await expect(page.getByRole("heading", { name: "Data connectors" })).toBeVisible();
  await expect(page.getByTestId("signed-in-user")).toContainText("Mailbox Import Export");
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Data connectors" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByTestId("connectors-empty")).toBeVisible();
  await page.screenshot({ path: "test-results/screenshots/data-connectors-empty.png", fullPage: true });

  await page.getByRole("link", { name: "View" }).click();
  await expect(page.getByRole("heading", { name: "ICE Chat" })).toBeVisible();

  await page.getByRole("link", { name: "Settings" }).click();
  const tokenName = `from the browser ${Date.now()}`;
  await page.getByLabel("Token name").fill(tokenName);
  await page.getByRole("button", { name: "Create token" }).click();
  await expect(page.getByTestId("new-token")).toHaveText(/^icc_/);
  await expect(page.getByRole("cell", { name: tokenName })).toBeVisible();
  await page.screenshot({ path: "test-results/screenshots/settings-tokens.png", fullPage: true });

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin$/);
  await page.goto("/settings");
  await expect(page).toHaveURL(/\/signin$/);
});

test("a viewer sees the portal read-only", async ({ page }) => {
  await signIn(page, TEST_VIEWER, TEST_PASSWORD);
  await expect(page).toHaveURL(/\/connectors$/);
  await page.getByRole("link", { name: "Settings" }).click();
  await expect(page.getByTestId("role")).toHaveText("Viewer (read-only)");
  await expect(page.getByText("Creating tokens needs the Mailbox Import Export role.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Create token" })).toHaveCount(0);
});
