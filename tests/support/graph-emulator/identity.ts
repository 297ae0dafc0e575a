// The Microsoft identity platform as far as a confidential client needs it: OpenID metadata
// and the client-credentials token endpoint, with AADSTS-style errors for bad credentials.

import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import type { EmulatorState } from "./emulator-state";

export const GRAPH_DEFAULT_SCOPE = "https://graph.microsoft.com/.default";
const GRAPH_AUDIENCE = "https://graph.microsoft.com";

export interface IdentityResponse {
  status: number;
  json: unknown;
}

interface TokenClaims {
  aud: string;
  iss: string;
  tid: string;
  appid: string;
  roles: string[];
  iat: number;
  nbf: number;
  exp: number;
  jti: string;
}

function aadError(status: number, error: string, code: number, description: string): IdentityResponse {
  const traceId = randomUUID();
  return {
    status,
    json: {
      error,
      error_description: `AADSTS${code}: ${description} Trace ID: ${traceId} Correlation ID: ${randomUUID()} Timestamp: ${new Date().toISOString()}`,
      error_codes: [code],
      timestamp: new Date().toISOString(),
      trace_id: traceId,
      correlation_id: randomUUID(),
      error_uri: `https://login.microsoftonline.com/error?code=${code}`,
    },
  };
}

function tenantMatches(state: EmulatorState, tenant: string): boolean {
  return tenant.toLowerCase() === state.app.tenantId.toLowerCase();
}

function unknownTenant(tenant: string): IdentityResponse {
  return aadError(400, "invalid_tenant", 90002, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`);
}

export function answerOpenIdConfiguration(state: EmulatorState, tenant: string): IdentityResponse {
  if (!tenantMatches(state, tenant)) return unknownTenant(tenant);
  const base = `${state.baseUrl}/${state.app.tenantId}`;
  return {
    status: 200,
    json: {
      token_endpoint: `${base}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
      jwks_uri: `${base}/discovery/v2.0/keys`,
      response_modes_supported: ["query", "fragment", "form_post"],
      subject_types_supported: ["pairwise"],
      id_token_signing_alg_values_supported: ["RS256"],
      response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
      scopes_supported: ["openid", "profile", "email", "offline_access"],
      issuer: `${base}/v2.0`,
      request_uri_parameter_supported: false,
      userinfo_endpoint: `${state.baseUrl}/oidc/userinfo`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      claims_supported: ["sub", "iss", "aud", "exp", "iat", "nbf", "tid"],
      kerberos_endpoint: `${base}/kerberos`,
      tenant_region_scope: "EU",
      cloud_instance_name: "microsoftonline.com",
      cloud_graph_host_name: "graph.windows.net",
      msgraph_host: "graph.microsoft.com",
    },
  };
}

function secretMatches(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function base64url(input: Buffer | string): string {
  return Buffer.from(input).toString("base64url");
}

function signToken(state: EmulatorState, claims: TokenClaims): string {
  const header = base64url(JSON.stringify({ typ: "JWT", alg: "HS256", kid: "graph-emulator" }));
  const payload = base64url(JSON.stringify(claims));
  const signature = createHmac("sha256", state.signingKey).update(`${header}.${payload}`).digest("base64url");
  return `${header}.${payload}.${signature}`;
}

/** Parses a client's Basic auth header (client_secret_basic) into id and secret. */
function basicCredentials(authorization: string | undefined): { id: string; secret: string } | undefined {
  if (!authorization?.toLowerCase().startsWith("basic ")) return undefined;
  const decoded = Buffer.from(authorization.slice(6), "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;
  return { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
}

export function answerTokenRequest(state: EmulatorState, tenant: string, contentType: string | undefined, body: Buffer, authorization?: string): IdentityResponse {
  if (!tenantMatches(state, tenant)) return unknownTenant(tenant);
  if (!contentType?.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
    return aadError(400, "invalid_request", 900144, "The request body must contain the following parameter: 'grant_type'.");
  }
  const form = new URLSearchParams(body.toString("utf8"));
  const grantType = form.get("grant_type");
  if (!grantType) return aadError(400, "invalid_request", 900144, "The request body must contain the following parameter: 'grant_type'.");
  if (grantType !== "client_credentials") {
    return aadError(400, "unsupported_grant_type", 70003, `The app requested an unsupported grant type '${grantType}'.`);
  }
  const basic = basicCredentials(authorization);
  const clientId = form.get("client_id") ?? basic?.id;
  if (!clientId) return aadError(400, "invalid_request", 900144, "The request body must contain the following parameter: 'client_id'.");
  if (clientId.toLowerCase() !== state.app.clientId.toLowerCase()) {
    return aadError(400, "unauthorized_client", 700016, `Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`);
  }
  const secret = form.get("client_secret") ?? basic?.secret;
  if (secret === null || secret === undefined) {
    if (form.get("client_assertion")) return aadError(401, "invalid_client", 700027, "Client assertion failed signature validation.");
    return aadError(401, "invalid_client", 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
  }
  if (!secretMatches(secret, state.app.clientSecret)) {
    return aadError(401, "invalid_client", 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${state.app.clientId}'.`);
  }
  const scopes = (form.get("scope") ?? "").split(" ").filter((s) => s.length > 0);
  const resourceScopes = scopes.filter((s) => !["openid", "profile", "offline_access", "email"].includes(s));
  if (resourceScopes.length !== 1 || resourceScopes[0] !== GRAPH_DEFAULT_SCOPE) {
    return aadError(400, "invalid_scope", 1002012, `The provided value for scope ${scopes.join(" ") || "(empty)"} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`);
  }
  const now = Math.floor(Date.now() / 1000);
  const lifetime = state.limits.tokenLifetimeSeconds;
  const accessToken = signToken(state, {
    aud: GRAPH_AUDIENCE,
    iss: `https://sts.windows.net/${state.app.tenantId}/`,
    tid: state.app.tenantId,
    appid: state.app.clientId,
    roles: ["Mail.ReadWrite", "User.Read.All"],
    iat: now,
    nbf: now,
    exp: now + lifetime,
    jti: randomUUID(),
  });
  state.stats.tokensIssued += 1;
  return { status: 200, json: { token_type: "Bearer", expires_in: lifetime, ext_expires_in: lifetime, access_token: accessToken } };
}

export type TokenCheck = { ok: true } | { ok: false; message: string };

/** Validates "Authorization: Bearer <token>" the way Graph's front door does (signature, audience, expiry, tenant). */
export function verifyBearer(state: EmulatorState, authorization: string | undefined): TokenCheck {
  if (!authorization) return { ok: false, message: "Access token is empty." };
  const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  if (!match?.[1]) return { ok: false, message: "Access token is empty." };
  const parts = match[1].split(".");
  if (parts.length !== 3) return { ok: false, message: "IDX14100: JWT is not well formed, there are no dots (.)." };
  const [header, payload, signature] = parts as [string, string, string];
  const expected = createHmac("sha256", state.signingKey).update(`${header}.${payload}`).digest("base64url");
  if (!secretMatches(signature, expected)) return { ok: false, message: "Access token validation failure. Invalid signature." };
  let claims: Partial<TokenClaims>;
  try {
    claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Partial<TokenClaims>;
  } catch {
    return { ok: false, message: "IDX14102: Unable to decode the payload." };
  }
  if (claims.aud !== GRAPH_AUDIENCE) return { ok: false, message: "Access token validation failure. Invalid audience." };
  if (claims.tid !== state.app.tenantId || claims.appid !== state.app.clientId) return { ok: false, message: "Access token validation failure. Invalid issuer." };
  if (typeof claims.exp !== "number" || claims.exp * 1000 <= Date.now()) return { ok: false, message: "Lifetime validation failed, the token is expired." };
  return { ok: true };
}
