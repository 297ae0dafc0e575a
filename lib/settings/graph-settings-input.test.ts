import { describe, expect, it } from "vitest";
import { isClientId, isTenantId, normalizeHttpsUrl, validateGraphSettingsInput } from "@/lib/settings/graph-settings-input";
import { sameEndpoints } from "@/lib/settings/graph-settings";
import { tokenFailureFix, usersFailureFix } from "@/lib/settings/test-graph-connection";

const TENANT = "11111111-2222-4333-8444-555555555555";
const CLIENT = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";

describe("validateGraphSettingsInput", () => {
  it("accepts GUIDs and tenant domains, trims and lower-cases ids, and normalises URLs", () => {
    expect(validateGraphSettingsInput({ tenantId: ` ${TENANT.toUpperCase()} `, clientId: CLIENT, clientSecret: " keep spaces ", authorityHost: "https://login.microsoftonline.us/", graphBaseUrl: "https://graph.microsoft.us/v1.0" })).toEqual({
      tenantId: TENANT,
      clientId: CLIENT,
      clientSecret: " keep spaces ",
      authorityHost: "https://login.microsoftonline.us",
      graphBaseUrl: "https://graph.microsoft.us/v1.0",
    });
    expect(validateGraphSettingsInput({ tenantId: "Contoso.onmicrosoft.com", clientId: CLIENT }).tenantId).toBe("contoso.onmicrosoft.com");
  });

  it("treats a blank secret and blank URLs as not given", () => {
    expect(validateGraphSettingsInput({ tenantId: TENANT, clientId: CLIENT, clientSecret: "", authorityHost: "  ", graphBaseUrl: "" })).toEqual({ tenantId: TENANT, clientId: CLIENT, clientSecret: undefined, authorityHost: undefined, graphBaseUrl: undefined });
  });

  it.each([
    [{ clientId: CLIENT }, /tenant id is required/],
    [{ tenantId: "../../etc/passwd", clientId: CLIENT }, /tenant id must be/],
    [{ tenantId: "localhost", clientId: CLIENT }, /tenant id must be/],
    [{ tenantId: `${TENANT}/oauth2`, clientId: CLIENT }, /tenant id must be/],
    [{ tenantId: TENANT }, /client id is required/],
    [{ tenantId: TENANT, clientId: "contoso.onmicrosoft.com" }, /client id must be/],
    [{ tenantId: TENANT, clientId: `${CLIENT}x` }, /client id must be/],
    [{ tenantId: TENANT, clientId: CLIENT, authorityHost: "http://login.microsoftonline.com" }, /must use https/],
    [{ tenantId: TENANT, clientId: CLIENT, authorityHost: "not a url" }, /not a URL/],
    [{ tenantId: TENANT, clientId: CLIENT, graphBaseUrl: "file:///etc/passwd" }, /must use https/],
    [{ tenantId: TENANT, clientId: CLIENT, graphBaseUrl: "https://a:b@graph.microsoft.com" }, /credentials/],
    [{ tenantId: TENANT, clientId: CLIENT, graphBaseUrl: "https://graph.microsoft.com/?x=1" }, /query/],
    [{ tenantId: TENANT, clientId: CLIENT, clientSecret: "   " }, /must not be blank/],
    [{ tenantId: TENANT, clientId: CLIENT, clientSecret: "a\r\nb" }, /line breaks/],
    [{ tenantId: TENANT, clientId: CLIENT, clientSecret: "x".repeat(2000) }, /clientSecret/],
  ])("refuses %j", (input, message) => {
    expect(() => validateGraphSettingsInput(input)).toThrow(message);
  });

  it("takes the import method json or importMime; omitted means not given (the JSON default)", () => {
    expect(validateGraphSettingsInput({ tenantId: TENANT, clientId: CLIENT }).importMethod).toBeUndefined();
    expect(validateGraphSettingsInput({ tenantId: TENANT, clientId: CLIENT, importMethod: "json" }).importMethod).toBe("json");
    expect(validateGraphSettingsInput({ tenantId: TENANT, clientId: CLIENT, importMethod: "importMime" }).importMethod).toBe("importMime");
  });

  it.each(["mime", "importmime", "IMPORTMIME", "", "beta"])("refuses the import method %j, naming the field", (importMethod) => {
    expect(() => validateGraphSettingsInput({ tenantId: TENANT, clientId: CLIENT, importMethod: importMethod as "json" })).toThrow(/^importMethod: /);
  });

  it("refuses wrong types without echoing them", () => {
    expect(() => validateGraphSettingsInput({ tenantId: 42 as unknown as string, clientId: CLIENT })).toThrow(/tenantId/);
  });

  it("recognises ids", () => {
    expect(isTenantId(TENANT)).toBe(true);
    expect(isTenantId("contoso.com")).toBe(true);
    expect(isTenantId("contoso")).toBe(false);
    expect(isClientId(CLIENT)).toBe(true);
    expect(isClientId("")).toBe(false);
    expect(() => normalizeHttpsUrl("https://x.example/#frag", "URL")).toThrow(/fragment/);
  });
});

describe("sameEndpoints", () => {
  it("treats the public defaults and their spelled-out forms as equal, and any other host as a change", () => {
    expect(sameEndpoints({}, { authorityHost: "https://login.microsoftonline.com/", graphBaseUrl: "https://GRAPH.microsoft.com" })).toBe(true);
    expect(sameEndpoints({}, { authorityHost: "https://login.evil.example" })).toBe(false);
    expect(sameEndpoints({ graphBaseUrl: "https://graph.microsoft.us" }, {})).toBe(false);
  });
});

describe("connection test fixes", () => {
  it("maps Entra ID codes and network failures to admin fixes", () => {
    expect(tokenFailureFix("ClientSecretCredential authentication failed: AADSTS7000215: Invalid client secret provided.")).toMatch(/client secret is wrong or expired/);
    expect(tokenFailureFix("AADSTS7000222: The provided client secret keys are expired.")).toMatch(/wrong or expired/);
    expect(tokenFailureFix("AADSTS700016: Application not found in the directory")).toMatch(/client id/);
    expect(tokenFailureFix("AADSTS90002: Tenant not found")).toMatch(/tenant was not found/);
    expect(tokenFailureFix("getaddrinfo ENOTFOUND login.example")).toMatch(/could not be reached/);
    expect(tokenFailureFix("Could not sign in: endpoints_resolution_error: See https://aka.ms/msal.js.errors")).toMatch(/could not be reached/);
    expect(tokenFailureFix("something new")).toMatch(/tenant id, client id and client secret/);
    expect(usersFailureFix(403)).toMatch(/Mail\.ReadWrite and User\.Read\.All and admin consent/);
    expect(usersFailureFix(401)).toMatch(/same cloud/);
    expect(usersFailureFix("lost")).toMatch(/could not be reached/);
    expect(usersFailureFix(403, "json")).not.toMatch(/Mail-Advanced/);
    expect(usersFailureFix(403, "importMime")).toMatch(/Mail\.ReadWrite, User\.Read\.All and \(for the beta importMime import method\) Mail-Advanced\.ReadWrite\.All/);
  });
});
