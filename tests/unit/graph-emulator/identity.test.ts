import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGraphEmulator, type GraphEmulator } from "@/tests/support/graph-emulator";
import { GRAPH_SCOPE, bearerToken, rawRequest, realCredential, realGraphClient } from "./emulator-test-client";

let emulator: GraphEmulator;

beforeAll(async () => {
  emulator = await startGraphEmulator({ users: [{ userPrincipalName: "alice@contoso.com" }] });
});
afterAll(async () => {
  await emulator.stop();
});

describe("identity endpoints", () => {
  it("issues a token to the real ClientSecretCredential with the right secret", async () => {
    const token = await realCredential(emulator).getToken(GRAPH_SCOPE);
    expect(token.token.split(".")).toHaveLength(3);
    expect(token.expiresOnTimestamp).toBeGreaterThan(Date.now());
    expect(emulator.stats().tokensIssued).toBeGreaterThan(0);
  });

  it("rejects a wrong secret with AADSTS7000215", async () => {
    await expect(realCredential(emulator, "not-the-secret").getToken(GRAPH_SCOPE)).rejects.toThrow(/AADSTS7000215/);
  });

  it("answers the raw token endpoint like Entra ID (wrong secret, unknown client, bad scope, unknown tenant)", async () => {
    const form = (fields: Record<string, string>) => ({ body: new URLSearchParams(fields).toString(), headers: { "content-type": "application/x-www-form-urlencoded" } });
    const base = { grant_type: "client_credentials", client_id: emulator.clientId, client_secret: emulator.clientSecret, scope: GRAPH_SCOPE };
    const tokenPath = `/${emulator.tenantId}/oauth2/v2.0/token`;

    const ok = await rawRequest(emulator, "POST", tokenPath, form(base));
    expect(ok.status).toBe(200);
    expect(ok.json()).toMatchObject({ token_type: "Bearer", expires_in: 3599, ext_expires_in: 3599 });

    const wrongSecret = await rawRequest(emulator, "POST", tokenPath, form({ ...base, client_secret: "x" }));
    expect(wrongSecret.status).toBe(401);
    expect(wrongSecret.json()).toMatchObject({ error: "invalid_client" });
    expect(String(wrongSecret.json().error_description)).toMatch(/^AADSTS7000215: Invalid client secret provided/);

    const unknownClient = await rawRequest(emulator, "POST", tokenPath, form({ ...base, client_id: "00000000-0000-0000-0000-000000000000" }));
    expect(unknownClient.status).toBe(400);
    expect(unknownClient.json()).toMatchObject({ error: "unauthorized_client" });

    const badScope = await rawRequest(emulator, "POST", tokenPath, form({ ...base, scope: "Mail.ReadWrite" }));
    expect(badScope.status).toBe(400);
    expect(badScope.json()).toMatchObject({ error: "invalid_scope" });

    const badGrant = await rawRequest(emulator, "POST", tokenPath, form({ ...base, grant_type: "password" }));
    expect(badGrant.json()).toMatchObject({ error: "unsupported_grant_type" });

    const unknownTenant = await rawRequest(emulator, "POST", "/11111111-1111-1111-1111-111111111111/oauth2/v2.0/token", form(base));
    expect(unknownTenant.status).toBe(400);
    expect(String(unknownTenant.json().error_description)).toMatch(/AADSTS90002/);
  });

  it("serves OpenID metadata for the tenant pointing back at the emulator", async () => {
    const res = await rawRequest(emulator, "GET", `/${emulator.tenantId}/v2.0/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
    expect(res.json().token_endpoint).toBe(`${emulator.baseUrl}/${emulator.tenantId}/oauth2/v2.0/token`);
    expect(res.json().issuer).toBe(`${emulator.baseUrl}/${emulator.tenantId}/v2.0`);
    expect((await rawRequest(emulator, "GET", "/nope/v2.0/.well-known/openid-configuration")).status).toBe(400);
  });
});

describe("Graph bearer token checks", () => {
  it("refuses Graph calls without, with a malformed, or with a forged token", async () => {
    const none = await rawRequest(emulator, "GET", "/v1.0/users/alice@contoso.com");
    expect(none.status).toBe(401);
    expect(none.json()).toMatchObject({ error: { code: "InvalidAuthenticationToken", message: "Access token is empty." } });

    const malformed = await rawRequest(emulator, "GET", "/v1.0/users/alice@contoso.com", { token: "garbage" });
    expect(malformed.status).toBe(401);

    const real = await bearerToken(emulator);
    const [header, payload] = real.split(".") as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
    const forgedPayload = Buffer.from(JSON.stringify({ ...claims, exp: 4_102_444_800 })).toString("base64url");
    const forged = await rawRequest(emulator, "GET", "/v1.0/users/alice@contoso.com", { token: `${header}.${forgedPayload}.AAAA` });
    expect(forged.status).toBe(401);

    const fine = await rawRequest(emulator, "GET", "/v1.0/users/alice@contoso.com", { token: real });
    expect(fine.status).toBe(200);
  });

  it("rejects expired tokens", async () => {
    const shortLived = await startGraphEmulator({ users: [{ userPrincipalName: "bob@contoso.com" }], limits: { tokenLifetimeSeconds: 1 } });
    try {
      const token = await bearerToken(shortLived);
      await new Promise((r) => setTimeout(r, 2100));
      const res = await rawRequest(shortLived, "GET", "/v1.0/users/bob@contoso.com", { token });
      expect(res.status).toBe(401);
      expect(res.json()).toMatchObject({ error: { code: "InvalidAuthenticationToken" } });
    } finally {
      await shortLived.stop();
    }
  });

  it("the SDK attaches the token only when customHosts names the emulator host", async () => {
    const client = realGraphClient(emulator);
    const user = (await client.api("/users/alice@contoso.com").get()) as { userPrincipalName: string };
    expect(user.userPrincipalName).toBe("alice@contoso.com");
  });

  it("/me is refused for app-only tokens", async () => {
    const res = await rawRequest(emulator, "GET", "/v1.0/me", { token: await bearerToken(emulator) });
    expect(res.status).toBe(400);
  });
});
