// Test-side helpers: the REAL SDKs wired to the emulator, plus a raw HTTPS helper for the
// cases the SDK hides (exact status codes, headers, bodies it would refuse to send).

import https from "node:https";
import { ClientSecretCredential } from "@azure/identity";
import { Client } from "@microsoft/microsoft-graph-client";
import { TokenCredentialAuthenticationProvider } from "@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials";
import { createTrustingAgent, emulatorCredentialOptions, emulatorMiddlewareChain, type GraphEmulator } from "@/tests/support/graph-emulator";

export const GRAPH_SCOPE = "https://graph.microsoft.com/.default";

export function realCredential(emulator: GraphEmulator, secret = emulator.clientSecret): ClientSecretCredential {
  return new ClientSecretCredential(emulator.tenantId, emulator.clientId, secret, emulatorCredentialOptions(emulator));
}

export function realGraphClient(emulator: GraphEmulator, options: { retry?: boolean } = {}): Client {
  const authProvider = new TokenCredentialAuthenticationProvider(realCredential(emulator), { scopes: [GRAPH_SCOPE] });
  return Client.initWithMiddleware({
    baseUrl: emulator.baseUrl,
    middleware: emulatorMiddlewareChain(authProvider, emulator.caPem, { retry: options.retry ?? false }),
    customHosts: new Set([emulator.graphHostName]),
  });
}

export async function bearerToken(emulator: GraphEmulator): Promise<string> {
  const token = await realCredential(emulator).getToken(GRAPH_SCOPE);
  return token.token;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: () => Record<string, unknown>;
}

export function rawRequest(
  emulator: GraphEmulator,
  method: string,
  urlOrPath: string,
  options: { token?: string; body?: string | Buffer; headers?: Record<string, string> } = {},
): Promise<RawResponse> {
  const url = urlOrPath.startsWith("https://") ? urlOrPath : `${emulator.baseUrl}${urlOrPath}`;
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers["content-length"] = String(Buffer.byteLength(options.body));
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method, headers, ca: emulator.caPem, agent: false, timeout: 20_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) as Record<string, unknown> });
      });
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error("request timed out")));
    req.on("error", reject);
    req.end(options.body);
  });
}

export function jsonRequest(emulator: GraphEmulator, method: string, path: string, token: string, body: unknown): Promise<RawResponse> {
  return rawRequest(emulator, method, path, { token, body: JSON.stringify(body), headers: { "content-type": "application/json" } });
}

export { createTrustingAgent };
