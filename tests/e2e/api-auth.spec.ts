import { expect, request as playwrightRequest, test } from "@playwright/test";
import { TEST_ADMIN, TEST_PASSWORD, TEST_VIEWER } from "../support/test-env";
import { apiRoutes, signInApi } from "./helpers";

// The route list comes from the source tree, so a new route cannot skip these checks.
const routes = apiRoutes();
const guarded = routes.filter((r) => !r.url.startsWith("/api/auth/"));

test("the route scan finds the API", () => {
  expect(guarded.length).toBeGreaterThanOrEqual(3);
  expect(guarded.every((r) => r.methods.length > 0)).toBe(true);
});

for (const route of guarded) {
  for (const method of route.methods) {
    test(`${method} ${route.url} needs a signed-in user (401 JSON)`, async ({ request }) => {
      const res = await request.fetch(route.url, { method, data: method === "GET" ? undefined : {}, headers: { Origin: "http://127.0.0.1:3100" } });
      expect(res.status()).toBe(401);
      expect(res.headers()["content-type"]).toContain("application/json");
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("unauthorized");
    });

    test(`${method} ${route.url} refuses an invalid bearer token (401)`, async ({ request }) => {
      const res = await request.fetch(route.url, { method, headers: { Authorization: "Bearer icc_not-a-real-token" } });
      expect(res.status()).toBe(401);
    });
  }
}

test.describe("roles and CSRF on mutating routes", () => {
  const origin = "http://127.0.0.1:3100";

  test("a viewer gets 403 on every mutating route", async ({ baseURL }) => {
    const viewer = await playwrightRequest.newContext({ baseURL });
    await signInApi(viewer, TEST_VIEWER, TEST_PASSWORD);
    expect((await viewer.get("/api/v1/me")).status()).toBe(200);
    const mutating = guarded.flatMap((r) => r.methods.filter((m) => m !== "GET").map((m) => ({ ...r, method: m })));
    expect(mutating.length).toBeGreaterThan(0);
    for (const r of mutating) {
      const res = await viewer.fetch(r.url, { method: r.method, data: { name: "x" }, headers: { Origin: origin } });
      expect(res.status(), `${r.method} ${r.url}`).toBe(403);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("forbidden");
    }
    await viewer.dispose();
  });

  test("cookie-authenticated changes need a same-site Origin; bearer tokens do not", async ({ baseURL }) => {
    const admin = await playwrightRequest.newContext({ baseURL });
    await signInApi(admin, TEST_ADMIN, TEST_PASSWORD);
    const noOrigin = await admin.post("/api/v1/tokens", { data: { name: "csrf" } });
    expect(noOrigin.status()).toBe(403);
    expect(((await noOrigin.json()) as { error: { code: string } }).error.code).toBe("bad_origin");
    const evil = await admin.post("/api/v1/tokens", { data: { name: "csrf" }, headers: { Origin: "https://evil.example" } });
    expect(evil.status()).toBe(403);
    const ok = await admin.post("/api/v1/tokens", { data: { name: "automation" }, headers: { Origin: origin } });
    expect(ok.status()).toBe(201);
    const { token, tokenInfo } = (await ok.json()) as { token: string; tokenInfo: { id: string } };
    await admin.dispose();

    const bot = await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { Authorization: `Bearer ${token}` } });
    const me = (await (await bot.get("/api/v1/me")).json()) as { user: { email: string }; authenticatedBy: string };
    expect(me).toMatchObject({ user: { email: TEST_ADMIN }, authenticatedBy: "token" });
    const list = await bot.get("/api/v1/tokens");
    expect(JSON.stringify(await list.json())).not.toContain(token);
    // No Origin header at all: fine for a token.
    expect((await bot.delete(`/api/v1/tokens/${tokenInfo.id}`)).status()).toBe(204);
    expect((await bot.get("/api/v1/me")).status()).toBe(401);
    await bot.dispose();
  });

  test("validation errors are typed JSON", async ({ baseURL }) => {
    const admin = await playwrightRequest.newContext({ baseURL });
    await signInApi(admin, TEST_ADMIN, TEST_PASSWORD);
    const res = await admin.post("/api/v1/tokens", { data: { name: "" }, headers: { Origin: origin } });
    expect(res.status()).toBe(422);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("validation_failed");
    const notJson = await admin.post("/api/v1/tokens", { data: "{nope", headers: { Origin: origin, "Content-Type": "application/json" } });
    expect(notJson.status()).toBe(422);
    await admin.dispose();
  });
});
