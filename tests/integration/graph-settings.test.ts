import { randomBytes } from "node:crypto";
import type { Context, Middleware } from "@microsoft/microsoft-graph-client";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createDb } from "@/lib/db";
import type { GraphClientSeam } from "@/lib/graph";
import { createKeyring } from "@/lib/secrets/keyring";
import { clearGraphSettings, getGraphSettingsView, GRAPH_SETTING_KEY, resolveGraphConfig, resolveGraphTestConfig, saveGraphSettings, type GraphEnvValues } from "@/lib/settings/graph-settings";
import { testGraphConnection } from "@/lib/settings/test-graph-connection";
import { emulatorCredentialOptions, emulatorMiddlewareChain, startGraphEmulator, type GraphEmulator } from "@/tests/support/graph-emulator";

// The Microsoft 365 app registration in Settings: sealed secret, views without it,
// precedence over the environment, and the connection test against the Graph emulator.
const db = createDb(process.env.DATABASE_URL!);
const keyring = createKeyring(process.env.APP_ENCRYPTION_KEY!);
const actor = { id: null, label: "graph-settings-test" };
const TENANT = "11111111-2222-4333-8444-555555555555";
const CLIENT = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";
const SECRET = "s3cr3t~" + randomBytes(12).toString("base64url");
const ENV: GraphEnvValues = {
  GRAPH_TENANT_ID: "99999999-2222-4333-8444-555555555555",
  GRAPH_CLIENT_ID: "99999999-bbbb-4ccc-8ddd-eeeeeeeeeeee",
  GRAPH_CLIENT_SECRET: "env-secret-value",
};
const USER = "alice@contoso.com";
/** The emulator listens on 127.0.0.1: the endpoint guard must allow internal hosts for it. */
const EMULATOR_ENDPOINTS = { allowPrivateNetworks: true };
let emulator: GraphEmulator;

beforeAll(async () => {
  emulator = await startGraphEmulator({ users: [{ userPrincipalName: USER }] });
});
afterAll(async () => {
  await emulator.stop();
  await db.setting.deleteMany({ where: { key: GRAPH_SETTING_KEY } });
  await db.$disconnect();
});
beforeEach(async () => {
  await db.setting.deleteMany({ where: { key: GRAPH_SETTING_KEY } });
});

async function lastAudit(action: string) {
  return db.auditLog.findFirst({ where: { action }, orderBy: { seq: "desc" } });
}

describe("stored Graph settings", () => {
  it("reports none, then env, when nothing is stored", async () => {
    expect((await getGraphSettingsView(db, {})).source).toBe("none");
    expect(await resolveGraphConfig(db, keyring, {})).toBeNull();
    // Incomplete env is not a configuration.
    expect(await resolveGraphConfig(db, keyring, { GRAPH_TENANT_ID: TENANT })).toBeNull();
    const view = await getGraphSettingsView(db, ENV);
    expect(view).toMatchObject({ source: "env", tenantId: ENV.GRAPH_TENANT_ID, clientId: ENV.GRAPH_CLIENT_ID, hasClientSecret: true });
    expect(JSON.stringify(view)).not.toContain(ENV.GRAPH_CLIENT_SECRET);
  });

  it("round-trips, stores the secret as ciphertext only, and never returns it in the view or the audit log", async () => {
    const saved = await saveGraphSettings(db, keyring, { tenantId: ` ${TENANT.toUpperCase()} `, clientId: CLIENT, clientSecret: SECRET }, actor);
    expect(saved).toMatchObject({ source: "settings", tenantId: TENANT, clientId: CLIENT, hasClientSecret: true, authorityHost: null, graphBaseUrl: null, updatedBy: actor.label });
    expect(JSON.stringify(saved)).not.toContain(SECRET);

    const row = await db.setting.findUniqueOrThrow({ where: { key: GRAPH_SETTING_KEY } });
    expect(row.secretEnc).toBeTruthy();
    expect(row.secretsDataKey).toBeTruthy();
    expect(row.secretEnc).not.toContain(SECRET);
    expect(Buffer.from(row.secretEnc ?? "", "base64").toString("latin1")).not.toContain(SECRET);
    expect(JSON.stringify(row.value)).not.toContain(SECRET);
    expect(row.value).toMatchObject({ tenantId: TENANT, clientId: CLIENT, updatedBy: actor.label });

    const view = await getGraphSettingsView(db, ENV);
    expect(view.source).toBe("settings");
    expect(Object.keys(view)).not.toContain("clientSecret");
    expect(JSON.stringify(view)).not.toContain(SECRET);

    expect(await resolveGraphConfig(db, keyring, {})).toEqual({ tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET });

    const audit = await lastAudit("settings.graph_updated");
    expect(audit?.details).toMatchObject({ fields: ["tenantId", "clientId", "clientSecret"], created: true });
    expect(JSON.stringify(audit?.details)).not.toContain(SECRET);
  });

  it("keeps the stored secret when the secret is left blank", async () => {
    await saveGraphSettings(db, keyring, { tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET }, actor);
    const before = await db.setting.findUniqueOrThrow({ where: { key: GRAPH_SETTING_KEY } });
    const otherClient = "bbbbbbbb-bbbb-4ccc-8ddd-eeeeeeeeeeee";
    await saveGraphSettings(db, keyring, { tenantId: "contoso.onmicrosoft.com", clientId: otherClient, clientSecret: "" }, actor);
    const after = await db.setting.findUniqueOrThrow({ where: { key: GRAPH_SETTING_KEY } });
    expect(after.secretEnc).toBe(before.secretEnc);
    expect(await resolveGraphConfig(db, keyring, ENV)).toEqual({ tenantId: "contoso.onmicrosoft.com", clientId: otherClient, clientSecret: SECRET });
    expect((await lastAudit("settings.graph_updated"))?.details).toMatchObject({ fields: ["tenantId", "clientId"], created: false });
  });

  it("requires a secret on the first save and when the endpoints change (no redirecting the stored secret)", async () => {
    await expect(saveGraphSettings(db, keyring, { tenantId: TENANT, clientId: CLIENT }, actor)).rejects.toMatchObject({ code: "validation_failed" });
    expect(await db.setting.findUnique({ where: { key: GRAPH_SETTING_KEY } })).toBeNull();

    await saveGraphSettings(db, keyring, { tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET }, actor);
    await expect(saveGraphSettings(db, keyring, { tenantId: TENANT, clientId: CLIENT, authorityHost: "https://login.evil.example" }, actor)).rejects.toThrow(/client secret again/);
    await expect(resolveGraphTestConfig(db, keyring, { tenantId: TENANT, clientId: CLIENT, graphBaseUrl: "https://graph.evil.example" }, {})).rejects.toThrow(/client secret again/);
    // Spelling out the public defaults is not a change.
    await saveGraphSettings(db, keyring, { tenantId: TENANT, clientId: CLIENT, authorityHost: "https://login.microsoftonline.com/", graphBaseUrl: "https://graph.microsoft.com" }, actor);
    expect(await resolveGraphConfig(db, keyring, {})).toMatchObject({ clientSecret: SECRET, authorityHost: "https://login.microsoftonline.com" });
    // With the secret typed again, the move is allowed.
    await saveGraphSettings(db, keyring, { tenantId: TENANT, clientId: CLIENT, clientSecret: "new-secret", graphBaseUrl: "https://graph.microsoft.us" }, actor);
    expect(await resolveGraphConfig(db, keyring, {})).toMatchObject({ clientSecret: "new-secret", graphBaseUrl: "https://graph.microsoft.us" });
  });

  it("refuses hostile or malformed input without storing anything", async () => {
    const bad = [
      { tenantId: "../../evil", clientId: CLIENT, clientSecret: SECRET },
      { tenantId: TENANT, clientId: "not-a-guid", clientSecret: SECRET },
      { tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET, authorityHost: "http://login.microsoftonline.com" },
      { tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET, graphBaseUrl: "javascript:alert(1)" },
      { tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET, graphBaseUrl: "https://user:pw@graph.microsoft.com" },
      { tenantId: TENANT, clientId: CLIENT, clientSecret: "line\nbreak" },
      { tenantId: TENANT, clientId: CLIENT, clientSecret: "x".repeat(5000) },
      { tenantId: "", clientId: CLIENT, clientSecret: SECRET },
    ];
    for (const input of bad) {
      const error = await saveGraphSettings(db, keyring, input, actor).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error, JSON.stringify(input).slice(0, 80)).toMatchObject({ code: "validation_failed" });
      expect(String((error as Error).message)).not.toContain(SECRET);
    }
    expect(await db.setting.findUnique({ where: { key: GRAPH_SETTING_KEY } })).toBeNull();
  });

  it("takes Settings over the environment, and falls back to it once cleared", async () => {
    await saveGraphSettings(db, keyring, { tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET }, actor);
    expect(await resolveGraphConfig(db, keyring, ENV)).toMatchObject({ tenantId: TENANT, clientSecret: SECRET });
    expect(await clearGraphSettings(db, actor)).toBe(true);
    expect((await lastAudit("settings.graph_removed"))?.targetId).toBe(GRAPH_SETTING_KEY);
    expect(await resolveGraphConfig(db, keyring, ENV)).toMatchObject({ tenantId: ENV.GRAPH_TENANT_ID, clientSecret: ENV.GRAPH_CLIENT_SECRET });
    expect(await clearGraphSettings(db, actor)).toBe(false);
    expect(await resolveGraphConfig(db, keyring, {})).toBeNull();
  });

  it("round-trips the import method (json default, importMime), audits changes by field name, and falls back to GRAPH_IMPORT_METHOD", async () => {
    const created = await saveGraphSettings(db, keyring, { tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET, importMethod: "importMime" }, actor);
    expect(created.importMethod).toBe("importMime");
    expect((await lastAudit("settings.graph_updated"))?.details).toMatchObject({ fields: ["tenantId", "clientId", "importMethod", "clientSecret"], created: true });
    const row = await db.setting.findUniqueOrThrow({ where: { key: GRAPH_SETTING_KEY } });
    expect(row.value).toMatchObject({ importMethod: "importMime" });
    expect((await getGraphSettingsView(db, ENV)).importMethod).toBe("importMime");
    expect(await resolveGraphConfig(db, keyring, ENV)).toEqual({ tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET, importMethod: "importMime" });

    // Saving the same again changes nothing; leaving it out means the default, JSON.
    await saveGraphSettings(db, keyring, { tenantId: TENANT, clientId: CLIENT, importMethod: "importMime" }, actor);
    expect((await lastAudit("settings.graph_updated"))?.details).toMatchObject({ fields: [], created: false });
    const back = await saveGraphSettings(db, keyring, { tenantId: TENANT, clientId: CLIENT }, actor);
    expect(back.importMethod).toBe("json");
    expect((await lastAudit("settings.graph_updated"))?.details).toMatchObject({ fields: ["importMethod"], created: false });
    expect(await resolveGraphConfig(db, keyring, ENV)).toEqual({ tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET });

    // An unknown method is refused and nothing changes.
    await expect(saveGraphSettings(db, keyring, { tenantId: TENANT, clientId: CLIENT, importMethod: "smtp" as "json" }, actor)).rejects.toMatchObject({ code: "validation_failed", message: expect.stringMatching(/^importMethod: /) });
    expect((await getGraphSettingsView(db, ENV)).importMethod).toBe("json");

    // The connection test takes the typed method; the method alone is not "values to test".
    expect(await resolveGraphTestConfig(db, keyring, { tenantId: TENANT, clientId: CLIENT, importMethod: "importMime" }, ENV)).toMatchObject({ clientSecret: SECRET, importMethod: "importMime" });
    expect(await resolveGraphTestConfig(db, keyring, { importMethod: "importMime" }, ENV)).toEqual({ tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET });

    // Without stored settings the environment decides, GRAPH_IMPORT_METHOD included.
    await clearGraphSettings(db, actor);
    const env: GraphEnvValues = { ...ENV, GRAPH_IMPORT_METHOD: "importMime" };
    expect(await getGraphSettingsView(db, env)).toMatchObject({ source: "env", importMethod: "importMime" });
    expect(await resolveGraphConfig(db, keyring, env)).toMatchObject({ tenantId: ENV.GRAPH_TENANT_ID, importMethod: "importMime" });
    expect((await getGraphSettingsView(db, ENV)).importMethod).toBe("json");
    expect((await getGraphSettingsView(db, {})).importMethod).toBe("json");
  });

  it("reads a row saved before the import method existed as JSON, and does not report it as changed", async () => {
    await saveGraphSettings(db, keyring, { tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET }, actor);
    const row = await db.setting.findUniqueOrThrow({ where: { key: GRAPH_SETTING_KEY } });
    const { importMethod: _dropped, ...legacy } = row.value as Record<string, unknown>;
    expect(_dropped).toBe("json");
    await db.setting.update({ where: { key: GRAPH_SETTING_KEY }, data: { value: legacy as object } });
    expect((await getGraphSettingsView(db, {})).importMethod).toBe("json");
    expect(await resolveGraphConfig(db, keyring, {})).toEqual({ tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET });
    await saveGraphSettings(db, keyring, { tenantId: TENANT, clientId: CLIENT, importMethod: "json" }, actor);
    expect((await lastAudit("settings.graph_updated"))?.details).toMatchObject({ fields: [], created: false });
  });

  it("cannot open the secret with another master key", async () => {
    await saveGraphSettings(db, keyring, { tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET }, actor);
    const other = createKeyring(randomBytes(32).toString("base64"));
    await expect(resolveGraphConfig(db, other, {})).rejects.toMatchObject({ code: "crypto_failed" });
  });
});

/**
 * Watches the connection test's users probe (after the authentication handler, so the
 * token is attached) and, when told to, answers 403 as Graph does when User.Read.All is
 * missing; otherwise the emulator's own user list answers it.
 */
class UsersListShim implements Middleware {
  private next: Middleware | undefined;
  deny = false;
  probes = 0;

  setNext(next: Middleware): void {
    this.next = next;
  }

  async execute(context: Context): Promise<void> {
    const url = new URL(typeof context.request === "string" ? context.request : context.request.url);
    const isList = url.pathname.replace(/\/+$/, "").endsWith("/v1.0/users") && (context.options?.method ?? "GET") === "GET";
    if (!isList) return this.next!.execute(context);
    this.probes += 1;
    expect(url.searchParams.get("$top")).toBe("1");
    expect(url.searchParams.get("$select")).toBe("id");
    if (this.deny) {
      const body = { error: { code: "Authorization_RequestDenied", message: "Insufficient privileges to complete the operation." } };
      context.response = new Response(JSON.stringify(body), { status: 403, headers: { "content-type": "application/json" } });
      return;
    }
    await this.next!.execute(context);
  }
}

describe("testGraphConnection against the Graph emulator", () => {
  let shim: UsersListShim;
  const seam = (): GraphClientSeam => ({
    credentialOptions: emulatorCredentialOptions(emulator),
    middleware: (authProvider) => {
      const chain = emulatorMiddlewareChain(authProvider, emulator.caPem, { retry: false });
      chain.splice(1, 0, shim);
      return chain;
    },
  });
  beforeEach(() => {
    shim = new UsersListShim();
  });

  async function saveEmulatorSettings(secret: string) {
    await saveGraphSettings(db, keyring, { tenantId: emulator.tenantId, clientId: emulator.clientId, clientSecret: secret, authorityHost: emulator.authorityHost, graphBaseUrl: emulator.baseUrl }, actor, EMULATOR_ENDPOINTS);
    const config = await resolveGraphConfig(db, keyring, ENV, EMULATOR_ENDPOINTS);
    expect(config).not.toBeNull();
    return config!;
  }

  it("passes both stages with the right secret (saved in Settings, read back through resolveGraphConfig)", async () => {
    const config = await saveEmulatorSettings(emulator.clientSecret);
    const result = await testGraphConnection(config, seam());
    expect(result.stages.map((s) => [s.stage, s.ok])).toEqual([
      ["token", true],
      ["users", true],
    ]);
    expect(result.ok).toBe(true);
    expect(shim.probes).toBe(1);
  });

  it("fails the token stage with the admin fix when the secret is wrong, and never echoes the secret", async () => {
    const wrong = "wrong~" + randomBytes(16).toString("base64url");
    const config = await saveEmulatorSettings(wrong);
    const result = await testGraphConnection(config, seam());
    expect(result.ok).toBe(false);
    expect(result.stages).toHaveLength(1);
    const [token] = result.stages;
    expect(token).toMatchObject({ stage: "token", ok: false });
    expect(token?.detail).toContain("AADSTS7000215");
    expect(token?.fix).toMatch(/client secret is wrong or expired/);
    expect(JSON.stringify(result)).not.toContain(wrong);
    expect(shim.probes).toBe(0);
  });

  it("names the unknown application when the client id is wrong", async () => {
    const config = await saveEmulatorSettings(emulator.clientSecret);
    const result = await testGraphConnection({ ...config, clientId: "00000000-0000-4000-8000-000000000001" }, seam());
    expect(result.stages[0]).toMatchObject({ stage: "token", ok: false });
    expect(result.stages[0]?.fix).toMatch(/client id/);
  });

  it("fails the users stage with the permissions fix on 403", async () => {
    const config = await saveEmulatorSettings(emulator.clientSecret);
    shim.deny = true;
    const result = await testGraphConnection(config, seam());
    expect(result.ok).toBe(false);
    expect(result.stages.map((s) => [s.stage, s.ok])).toEqual([
      ["token", true],
      ["users", false],
    ]);
    expect(result.stages[1]?.detail).toContain("403");
    expect(result.stages[1]?.fix).toMatch(/Mail\.ReadWrite and User\.Read\.All and admin consent/);
  });

  it("reminds that the importMime method needs Mail-Advanced.ReadWrite.All, which the probe cannot check", async () => {
    const config = await saveEmulatorSettings(emulator.clientSecret);
    const json = await testGraphConnection(config, seam());
    expect(json.stages[1]?.detail).not.toMatch(/Mail-Advanced/);
    const mime = await testGraphConnection({ ...config, importMethod: "importMime" }, seam());
    expect(mime.ok).toBe(true);
    expect(mime.stages[1]?.detail).toMatch(/Mail-Advanced\.ReadWrite\.All/);
    shim.deny = true;
    const denied = await testGraphConnection({ ...config, importMethod: "importMime" }, seam());
    expect(denied.stages[1]?.fix).toMatch(/Mail-Advanced\.ReadWrite\.All/);
  });

  it("refuses internal endpoints unless the policy allows them: on save, for each run, and for a test of what will be contacted", async () => {
    const internal = { tenantId: emulator.tenantId, clientId: emulator.clientId, clientSecret: emulator.clientSecret, authorityHost: emulator.authorityHost, graphBaseUrl: emulator.baseUrl };
    await expect(saveGraphSettings(db, keyring, internal, actor)).rejects.toThrow(/authority host 127\.0\.0\.1:\d+ is not allowed: .*loopback.*GRAPH_ALLOW_PRIVATE_NETWORKS=true/);
    expect(await db.setting.findUnique({ where: { key: GRAPH_SETTING_KEY } })).toBeNull();
    await saveEmulatorSettings(emulator.clientSecret);
    // Stored while allowed; a strict worker refuses to use it.
    await expect(resolveGraphConfig(db, keyring, ENV)).rejects.toMatchObject({ code: "validation_failed" });
    await expect(resolveGraphTestConfig(db, keyring, {}, ENV)).rejects.toThrow(/not allowed/);
    // Typed public endpoints are tested even though the stored ones are refused.
    const typed = await resolveGraphTestConfig(db, keyring, { tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET, authorityHost: "https://login.microsoftonline.us", graphBaseUrl: "https://graph.microsoft.us" }, ENV);
    expect(typed).toMatchObject({ authorityHost: "https://login.microsoftonline.us", graphBaseUrl: "https://graph.microsoft.us" });
  });

  it("tests unsaved values, with a blank secret meaning the stored one on the same endpoints", async () => {
    await saveEmulatorSettings(emulator.clientSecret);
    const config = await resolveGraphTestConfig(db, keyring, { tenantId: emulator.tenantId, clientId: emulator.clientId, clientSecret: "", authorityHost: emulator.authorityHost, graphBaseUrl: emulator.baseUrl }, ENV, EMULATOR_ENDPOINTS);
    expect(config.clientSecret).toBe(emulator.clientSecret);
    expect((await testGraphConnection(config, seam())).ok).toBe(true);
    const typed = await resolveGraphTestConfig(db, keyring, { tenantId: emulator.tenantId, clientId: emulator.clientId, clientSecret: "typed-but-wrong", authorityHost: emulator.authorityHost, graphBaseUrl: emulator.baseUrl }, ENV, EMULATOR_ENDPOINTS);
    expect((await testGraphConnection(typed, seam())).stages[0]?.fix).toMatch(/wrong or expired/);
    // Nothing given: what is in use.
    expect((await resolveGraphTestConfig(db, keyring, {}, ENV, EMULATOR_ENDPOINTS)).clientSecret).toBe(emulator.clientSecret);
  });

  it("reports an unreachable authority host as a token failure with a network fix", async () => {
    const result = await testGraphConnection(
      { tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET, authorityHost: "https://127.0.0.1:9", graphBaseUrl: emulator.baseUrl },
      { credentialOptions: { ...emulatorCredentialOptions(emulator), authorityHost: "https://127.0.0.1:9", retryOptions: { maxRetries: 0 } } },
      { timeoutMs: 20_000 },
    );
    expect(result.stages[0]).toMatchObject({ stage: "token", ok: false });
    expect(result.stages[0]?.fix, result.stages[0]?.detail).toMatch(/could not be reached/);
    expect(JSON.stringify(result)).not.toContain(SECRET);
  });
});
