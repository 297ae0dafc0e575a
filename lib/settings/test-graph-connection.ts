// "Test connection" for the Microsoft 365 app registration: get a token (proves tenant,
// client id and secret), then list one user (proves Graph accepts the token and the app
// has User.Read.All). Each failure comes with what an administrator should change.

import "server-only";
import { AuthenticationHandler, HTTPMessageHandler, RedirectHandler, TelemetryHandler, type AuthenticationProvider } from "@microsoft/microsoft-graph-client";
import { isAppError } from "@/lib/errors";
import { createGraphClient, type GraphClientHandle, type GraphClientSeam } from "@/lib/graph/create-graph-client";
import type { GraphDestinationConfig } from "@/lib/graph/graph-config";
import { describeReply, graphErrorOf } from "@/lib/graph/graph-reply";
import { createSdkTransport } from "@/lib/graph/graph-transport";

export type GraphTestStage = "token" | "users";

export interface GraphTestStageResult {
  stage: GraphTestStage;
  ok: boolean;
  detail: string;
  /** What to change, for an administrator; only on failures we recognise. */
  fix?: string;
}

export interface GraphTestResult {
  ok: boolean;
  stages: GraphTestStageResult[];
}

export interface GraphTestOptions {
  /** Bound on each stage, so a black-holed host cannot hang the request. */
  timeoutMs?: number;
}

export const USERS_PROBE = "/users?$top=1&$select=id";
const PERMISSIONS_FIX = "In Entra ID, grant the app registration the Microsoft Graph application permissions Mail.ReadWrite and User.Read.All and admin consent (API permissions → Grant admin consent).";
const IMPORT_MIME_PERMISSIONS_FIX =
  "In Entra ID, grant the app registration the Microsoft Graph application permissions Mail.ReadWrite, User.Read.All and (for the beta importMime import method) Mail-Advanced.ReadWrite.All, and admin consent (API permissions → Grant admin consent).";
/** The probe lists users; it cannot prove the importMime permission without importing a message. */
const IMPORT_MIME_NOTE = " The beta importMime import method also needs Mail-Advanced.ReadWrite.All, which this test cannot check: the first import run reports it if it is missing.";

const TOKEN_FIXES: { codes: string[]; fix: string }[] = [
  { codes: ["7000215", "7000222"], fix: "The client secret is wrong or expired: create a new client secret under Certificates & secrets of the app registration and enter its Value (not the Secret ID)." },
  { codes: ["700016"], fix: "No application with this client id exists in the tenant: check the Application (client) ID, and that the app registration belongs to this tenant." },
  { codes: ["90002", "900023", "90023"], fix: "The tenant was not found: check the Directory (tenant) ID, and that the authority host matches the tenant's cloud." },
  { codes: ["7000112"], fix: "The application is disabled in this tenant: enable it (Enterprise applications → Properties → Enabled for users to sign in)." },
  { codes: ["53003"], fix: "A Conditional Access policy blocked the sign-in: exclude this application (workload identity) from the policy or allow this server's address." },
];

export function tokenFailureFix(message: string): string {
  for (const { codes, fix } of TOKEN_FIXES) if (codes.some((code) => message.includes(`AADSTS${code}`))) return fix;
  // MSAL's word for "the tenant's sign-in metadata could not be loaded": an unreachable host or an unknown tenant.
  if (message.includes("endpoints_resolution_error")) {
    return "The tenant's sign-in endpoints could not be reached or loaded: check the tenant id and the authority host, and that this server can reach it (DNS, proxy, firewall, TLS inspection).";
  }
  if (/ENOTFOUND|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EAI_AGAIN|certificate|self[- ]signed|getaddrinfo|timed out|no answer/i.test(message)) {
    return "The authority host could not be reached: check the authority host, and that this server can reach it (DNS, proxy, firewall, TLS inspection).";
  }
  return "Check the tenant id, client id and client secret of the app registration.";
}

export function usersFailureFix(status: number | "lost", importMethod?: GraphDestinationConfig["importMethod"]): string {
  if (status === "lost") return "Microsoft Graph could not be reached: check the Graph base URL, and that this server can reach it (DNS, proxy, firewall).";
  if (status === 403) return permissionsFix(importMethod);
  if (status === 401) return "Microsoft Graph rejected the token: check that the Graph base URL belongs to the same cloud as the authority host.";
  return "Check the Microsoft Graph base URL; if it is right, try again later.";
}

function permissionsFix(importMethod: GraphDestinationConfig["importMethod"]): string {
  return importMethod === "importMime" ? IMPORT_MIME_PERMISSIONS_FIX : PERMISSIONS_FIX;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${Math.round(ms / 1000)} s (timed out)`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return (text.split("\n")[0] ?? "").slice(0, 600);
}

export async function testGraphConnection(config: GraphDestinationConfig, seam: GraphClientSeam = {}, options: GraphTestOptions = {}): Promise<GraphTestResult> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  // Entra ID does not echo secrets, but a detail must never carry one whatever the server says.
  const scrub = (text: string): string => (config.clientSecret ? text.split(config.clientSecret).join("[secret]") : text);
  const stages: GraphTestStageResult[] = [];
  const fail = (stage: GraphTestStageResult): GraphTestResult => {
    stages.push({ ...stage, detail: scrub(stage.detail) });
    return { ok: false, stages };
  };

  let authProvider: AuthenticationProvider | undefined;
  let handle: GraphClientHandle;
  try {
    handle = createGraphClient(config, {
      ...seam,
      middleware: (provider) => {
        authProvider = provider;
        return seam.middleware?.(provider) ?? [new AuthenticationHandler(provider), new RedirectHandler(), new TelemetryHandler(), new HTTPMessageHandler()];
      },
    });
  } catch (error) {
    if (!isAppError(error)) throw error;
    return fail({ stage: "token", ok: false, detail: error.message, fix: "Correct the Microsoft 365 settings." });
  }
  if (!authProvider) throw new Error("createGraphClient did not build the middleware chain");

  try {
    await withTimeout(authProvider.getAccessToken(), timeoutMs, "Entra ID");
    stages.push({ stage: "token", ok: true, detail: "Signed in to Microsoft Entra ID with the app registration." });
  } catch (error) {
    const detail = messageOf(error);
    return fail({ stage: "token", ok: false, detail, fix: tokenFailureFix(detail) });
  }

  let reply;
  try {
    reply = await createSdkTransport(handle.client).send({ method: "GET", url: USERS_PROBE, timeoutMs });
  } catch (error) {
    const detail = messageOf(error);
    return fail({ stage: "users", ok: false, detail, fix: tokenFailureFix(detail) });
  }
  if (reply.kind === "lost") return fail({ stage: "users", ok: false, detail: describeReply(reply), fix: usersFailureFix("lost") });
  if (reply.status !== 200) {
    const { code } = graphErrorOf(reply);
    const fix = code === "Authorization_RequestDenied" ? permissionsFix(config.importMethod) : usersFailureFix(reply.status, config.importMethod);
    return fail({ stage: "users", ok: false, detail: `Microsoft Graph answered ${describeReply(reply)}.`, fix });
  }
  stages.push({ stage: "users", ok: true, detail: `Microsoft Graph listed users (User.Read.All is granted).${config.importMethod === "importMime" ? IMPORT_MIME_NOTE : ""}` });
  return { ok: true, stages };
}
