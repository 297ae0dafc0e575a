// The Graph SDK client for one destination: an Entra ID app credential (secret or
// certificate) and a middleware chain WITHOUT the SDK's RetryHandler, because retries of
// writes need our own rules (throttling honoured, ambiguous creates resolved by lookup).
// Tests pass credential options and a chain whose last handler trusts the emulator's CA.

import { ClientCertificateCredential, ClientSecretCredential, type ClientSecretCredentialOptions, type TokenCredential } from "@azure/identity";
import { AuthenticationHandler, Client, HTTPMessageHandler, RedirectHandler, TelemetryHandler, type AuthenticationProvider, type Middleware } from "@microsoft/microsoft-graph-client";
import { AppError } from "@/lib/errors";
import { PUBLIC_AUTHORITY_HOST, PUBLIC_GRAPH_BASE_URL, type GraphDestinationConfig } from "@/lib/graph/graph-config";

/** Name of the error thrown when no token could be obtained (wrong secret, unknown tenant...). */
export const SIGN_IN_FAILED = "GraphSignInFailed";

const PUBLIC_SCOPE = "https://graph.microsoft.com/.default";
/** Microsoft's own Entra ID hosts: instance discovery works there; anywhere else it must be off. */
const KNOWN_AUTHORITY_HOSTS = new Set(["login.microsoftonline.com", "login.microsoftonline.us", "login.chinacloudapi.cn", "login.microsoftonline.de"]);
const NATIONAL_GRAPH_HOSTS = new Set(["graph.microsoft.us", "dod-graph.microsoft.us", "microsoftgraph.chinacloudapi.cn"]);

export interface GraphClientSeam {
  /** Merged over the credential options (tests: an agent that trusts the emulator's certificate). */
  credentialOptions?: ClientSecretCredentialOptions;
  /** Builds the whole middleware chain from our authentication provider (tests: a trusting terminal handler). */
  middleware?: (authProvider: AuthenticationProvider) => Middleware[];
}

export interface GraphClientHandle {
  client: Client;
  graphBaseUrl: string;
}

export function createGraphClient(config: GraphDestinationConfig, seam: GraphClientSeam = {}): GraphClientHandle {
  const graphBaseUrl = normalizeGraphBaseUrl(config.graphBaseUrl ?? PUBLIC_GRAPH_BASE_URL);
  const graphHost = new URL(graphBaseUrl).hostname;
  const credential = createCredential(config, seam);
  const scope = config.scope ?? (NATIONAL_GRAPH_HOSTS.has(graphHost) ? `${new URL(graphBaseUrl).origin}/.default` : PUBLIC_SCOPE);
  const authProvider = createAuthProvider(credential, scope);
  const middleware = seam.middleware?.(authProvider) ?? [new AuthenticationHandler(authProvider), new RedirectHandler(), new TelemetryHandler(), new HTTPMessageHandler()];
  const client = Client.initWithMiddleware({
    baseUrl: graphBaseUrl,
    defaultVersion: "v1.0",
    // Without it the SDK sends no token to a non-Microsoft Graph host (a sovereign proxy, the emulator).
    customHosts: new Set([graphHost]),
    middleware,
  });
  return { client, graphBaseUrl };
}

function normalizeGraphBaseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppError("config_invalid", `The Microsoft Graph base URL "${raw}" is not a URL.`);
  }
  if (url.protocol !== "https:") throw new AppError("config_invalid", "The Microsoft Graph base URL must use https.");
  return `${url.origin}${url.pathname.replace(/\/+$/, "").replace(/\/(v1\.0|beta)$/i, "")}`;
}

function createCredential(config: GraphDestinationConfig, seam: GraphClientSeam): TokenCredential {
  if (!config.tenantId.trim() || !config.clientId.trim()) throw new AppError("config_invalid", "The Microsoft 365 tenant id and client id are required.");
  const authorityHost = config.authorityHost ?? PUBLIC_AUTHORITY_HOST;
  let authorityHostName: string;
  try {
    authorityHostName = new URL(authorityHost).hostname;
  } catch {
    throw new AppError("config_invalid", `The Entra ID authority host "${authorityHost}" is not a URL.`);
  }
  const options: ClientSecretCredentialOptions = {
    authorityHost,
    disableInstanceDiscovery: !KNOWN_AUTHORITY_HOSTS.has(authorityHostName),
    ...seam.credentialOptions,
  };
  if (config.certificate) {
    return new ClientCertificateCredential(config.tenantId, config.clientId, { certificate: config.certificate.pem }, { ...options, sendCertificateChain: config.certificate.sendCertificateChain });
  }
  if (config.clientSecret) return new ClientSecretCredential(config.tenantId, config.clientId, config.clientSecret, options);
  throw new AppError("config_invalid", "Microsoft 365 needs a client secret or a certificate for the app registration.");
}

/**
 * Token acquisition failures get a recognisable error name so the transport can tell
 * "cannot sign in" (the whole destination is unusable) from a lost network request.
 * Entra ID's messages (AADSTS codes) never contain the secret.
 */
function createAuthProvider(credential: TokenCredential, scope: string): AuthenticationProvider {
  return {
    getAccessToken: async () => {
      try {
        const token = await credential.getToken(scope);
        if (!token) throw new Error("Entra ID returned no access token.");
        return token.token;
      } catch (error) {
        const failure = new Error(`Could not sign in to Microsoft Entra ID with the configured app registration: ${firstLine(error)}`);
        failure.name = SIGN_IN_FAILED;
        throw failure;
      }
    },
  };
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return (text.split("\n")[0] ?? "").slice(0, 500);
}
