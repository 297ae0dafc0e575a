// How code in an ALREADY RUNNING Node 20 process (a vitest worker) trusts the emulator's
// self-signed certificate without NODE_EXTRA_CA_CERTS (read only at process start) and without
// tls.setDefaultCACertificates (Node 22+):
//  - @azure/identity: a per-call pipeline policy that sets an https.Agent carrying the CA;
//  - Graph SDK: its global fetch (undici) ignores `agent`, so the chain's last middleware is
//    replaced by one that sends the request with node:https and that agent.
// Child processes can instead start with NODE_EXTRA_CA_CERTS=<emulator.certPath>.

import https from "node:https";
import type { ClientSecretCredentialOptions } from "@azure/identity";
import type { AuthenticationProvider, Context, Middleware } from "@microsoft/microsoft-graph-client";
import { AuthenticationHandler, RedirectHandler, RetryHandler, RetryHandlerOptions, TelemetryHandler } from "@microsoft/microsoft-graph-client";

export interface EmulatorTrust {
  authorityHost: string;
  caPem: string;
}

export function createTrustingAgent(caPem: string): https.Agent {
  return new https.Agent({ ca: caPem, keepAlive: true, maxSockets: 64 });
}

/** Options for `new ClientSecretCredential(tenantId, clientId, secret, options)` against the emulator. */
export function emulatorCredentialOptions(emulator: EmulatorTrust, agent = createTrustingAgent(emulator.caPem)): ClientSecretCredentialOptions {
  return {
    authorityHost: emulator.authorityHost,
    disableInstanceDiscovery: true,
    additionalPolicies: [
      {
        position: "perCall",
        policy: {
          name: "trustGraphEmulatorCertificate",
          sendRequest: (request, next) => {
            request.agent = agent;
            return next(request);
          },
        },
      },
    ],
  };
}

async function bodyToBuffer(body: unknown): Promise<Buffer | undefined> {
  if (body === undefined || body === null) return undefined;
  if (typeof body === "string") return Buffer.from(body, "utf8");
  if (Buffer.isBuffer(body)) return body;
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (body instanceof Blob) return Buffer.from(await body.arrayBuffer());
  throw new Error(`Unsupported request body type: ${Object.prototype.toString.call(body)}`);
}

function headerRecord(headers: HeadersInit | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  new Headers(headers).forEach((value, key) => {
    out[key] = value;
  });
  return out;
}

/** The Graph SDK's final middleware (in place of HTTPMessageHandler), sending over node:https with the emulator CA. */
export class TrustingHttpMessageHandler implements Middleware {
  constructor(private readonly agent: https.Agent) {}

  async execute(context: Context): Promise<void> {
    const request = context.request;
    const url = typeof request === "string" ? request : request.url;
    const options = context.options ?? {};
    const body = await bodyToBuffer(options.body);
    const headers = headerRecord(options.headers);
    if (body && !Object.keys(headers).some((k) => k.toLowerCase() === "content-length")) headers["content-length"] = String(body.length);
    context.response = await new Promise<Response>((resolve, reject) => {
      const req = https.request(url, { method: options.method ?? "GET", headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", reject);
        res.on("end", () => {
          const responseHeaders = new Headers();
          for (const [key, value] of Object.entries(res.headers)) {
            if (typeof value === "string") responseHeaders.set(key, value);
            else if (Array.isArray(value)) for (const v of value) responseHeaders.append(key, v);
          }
          const status = res.statusCode ?? 500;
          const payload = status === 204 || status === 304 ? null : Buffer.concat(chunks);
          resolve(new Response(payload, { status, statusText: res.statusMessage ?? "", headers: responseHeaders }));
        });
      });
      req.on("error", reject);
      if (options.signal) options.signal.addEventListener("abort", () => req.destroy(new Error("aborted")), { once: true });
      req.end(body);
    });
  }
}

/**
 * The SDK's default middleware chain (auth, retry, redirect, telemetry) ending in the trusting
 * handler. Pass to Client.initWithMiddleware({ middleware, customHosts: new Set(["127.0.0.1"]) }).
 * `retry: false` leaves 429/503/504 to the caller (useful to observe throttling).
 */
export function emulatorMiddlewareChain(authProvider: AuthenticationProvider, caPem: string, options: { retry?: boolean; agent?: https.Agent } = {}): Middleware[] {
  const agent = options.agent ?? createTrustingAgent(caPem);
  const chain: Middleware[] = [new AuthenticationHandler(authProvider)];
  if (options.retry !== false) chain.push(new RetryHandler(new RetryHandlerOptions()));
  chain.push(new RedirectHandler(), new TelemetryHandler(), new TrustingHttpMessageHandler(agent));
  return chain;
}
