import { describe, expect, it } from "vitest";
import { fakeResolver, refusal } from "@/tests/support/fake-resolver";
import { vetGraphEndpoints } from "./vet-graph-endpoints";

const resolver = fakeResolver({
  "login.microsoftonline.us": ["20.140.232.1"],
  "graph.microsoft.us": ["2606:4700::1"],
  "graph.corp.example": ["10.1.2.3"],
  "login.rebind.example": ["20.140.232.2", "127.0.0.1"],
  "metadata.example": ["169.254.169.254"],
});

describe("vetGraphEndpoints", () => {
  it("does not look anything up for Microsoft's default endpoints", async () => {
    const quiet = fakeResolver({});
    await vetGraphEndpoints({}, { allowPrivateNetworks: false, resolver: quiet });
    expect(quiet.calls).toEqual([]);
  });

  it("accepts public endpoints on 443", async () => {
    await expect(
      vetGraphEndpoints({ authorityHost: "https://login.microsoftonline.us", graphBaseUrl: "https://graph.microsoft.us/v1.0" }, { allowPrivateNetworks: false, resolver }),
    ).resolves.toBeUndefined();
  });

  it("refuses an internal Graph base URL and names the endpoint and the setting", async () => {
    const err = await refusal(vetGraphEndpoints({ graphBaseUrl: "https://graph.corp.example" }, { allowPrivateNetworks: false, resolver }));
    expect(err.code).toBe("validation_failed");
    expect(err.message).toBe(
      "The Microsoft Graph base URL graph.corp.example is not allowed: graph.corp.example resolves to 10.1.2.3, a private address; set GRAPH_ALLOW_PRIVATE_NETWORKS=true to allow it.",
    );
  });

  it("refuses loopback IP literals and names that mix public and internal answers", async () => {
    const literal = await refusal(vetGraphEndpoints({ authorityHost: "https://127.0.0.1:8443" }, { allowPrivateNetworks: false, resolver }));
    expect(literal.message).toMatch(/^The authority host 127\.0\.0\.1:8443 is not allowed: /);
    const mapped = await refusal(vetGraphEndpoints({ graphBaseUrl: "https://[::ffff:7f00:1]/v1.0" }, { allowPrivateNetworks: false, resolver }));
    expect(mapped.message).toContain("127.0.0.1");
    const mixed = await refusal(vetGraphEndpoints({ authorityHost: "https://login.rebind.example" }, { allowPrivateNetworks: false, resolver }));
    expect(mixed.message).toContain("resolves to 127.0.0.1, a loopback address");
  });

  it("refuses ports other than 443 unless private networks are allowed", async () => {
    const err = await refusal(vetGraphEndpoints({ graphBaseUrl: "https://graph.microsoft.us:8443" }, { allowPrivateNetworks: false, resolver }));
    expect(err.message).toBe(
      "The Microsoft Graph base URL graph.microsoft.us:8443 is not allowed: Microsoft 365 endpoints use port 443, not 8443; set GRAPH_ALLOW_PRIVATE_NETWORKS=true to allow other ports (emulators and tests only).",
    );
    await expect(vetGraphEndpoints({ graphBaseUrl: "https://graph.microsoft.us:8443" }, { allowPrivateNetworks: true, resolver })).resolves.toBeUndefined();
  });

  it("allows internal hosts on any port when the operator turns it on (emulators, tests)", async () => {
    await expect(
      vetGraphEndpoints({ authorityHost: "https://127.0.0.1:40123", graphBaseUrl: "https://graph.corp.example:9443" }, { allowPrivateNetworks: true, resolver }),
    ).resolves.toBeUndefined();
  });

  it("never allows cloud metadata addresses, even with private networks allowed", async () => {
    const err = await refusal(vetGraphEndpoints({ authorityHost: "https://metadata.example" }, { allowPrivateNetworks: true, resolver }));
    expect(err.message).toContain("169.254.169.254");
    expect(err.message).toContain("never allowed");
  });

  it("leaves a name that does not resolve to the connection test (nothing can be reached through it)", async () => {
    await expect(vetGraphEndpoints({ graphBaseUrl: "https://graph.nowhere.example" }, { allowPrivateNetworks: false, resolver })).resolves.toBeUndefined();
  });

  it("refuses URLs that are not https", async () => {
    expect((await refusal(vetGraphEndpoints({ graphBaseUrl: "http://graph.microsoft.us" }, { allowPrivateNetworks: true, resolver }))).message).toBe(
      "The Microsoft Graph base URL must use https.",
    );
    expect((await refusal(vetGraphEndpoints({ authorityHost: "not a url" }, { allowPrivateNetworks: true, resolver }))).message).toBe("The authority host is not a URL.");
  });
});
