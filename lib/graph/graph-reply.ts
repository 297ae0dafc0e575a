// Reading Graph answers: the {error:{code,message}} body, a short description for outcome
// details and admin messages, and the tenant-wide access failures that end a run.

import { AppError } from "@/lib/errors";
import type { GraphReply } from "@/lib/graph/graph-transport";

export interface GraphErrorInfo {
  code: string;
  message: string;
}

export function graphErrorOf(reply: GraphReply): GraphErrorInfo {
  if (reply.kind === "lost") return { code: "NoResponse", message: reply.detail };
  const body = reply.body;
  if (typeof body === "object" && body !== null && "error" in body) {
    const error = (body as { error?: unknown }).error;
    if (typeof error === "object" && error !== null) {
      const { code, message } = error as { code?: unknown; message?: unknown };
      return { code: typeof code === "string" ? code : `HTTP${reply.status}`, message: typeof message === "string" ? message.slice(0, 500) : "" };
    }
  }
  return { code: `HTTP${reply.status}`, message: typeof body === "string" ? body.slice(0, 200) : "" };
}

export function describeReply(reply: GraphReply): string {
  if (reply.kind === "lost") return `no answer from Microsoft Graph (${reply.detail})`;
  const { code, message } = graphErrorOf(reply);
  return `${reply.status} ${code}${message ? `: ${message}` : ""}`;
}

export function isStatus(reply: GraphReply, ...statuses: number[]): reply is Extract<GraphReply, { kind: "response" }> {
  return reply.kind === "response" && statuses.includes(reply.status);
}

/** 401/403: the app cannot use Graph at all (token rejected, permission missing). */
export function isAccessFailure(reply: GraphReply): boolean {
  return reply.kind === "response" && (reply.status === 401 || reply.status === 403);
}

/** `permissionHint` replaces the 403 advice for requests that need more than Mail.ReadWrite (importMime). */
export function accessFailureError(reply: GraphReply, what: string, permissionHint?: string): AppError {
  const hint =
    reply.kind === "response" && reply.status === 403
      ? (permissionHint ?? "Grant the app registration the Microsoft Graph application permissions Mail.ReadWrite and User.Read.All (with admin consent), and check any Exchange application access policy.")
      : "Check the tenant id, client id and client secret or certificate of the app registration.";
  return new AppError("destination_failed", `Microsoft Graph refused ${what} (${describeReply(reply)}). ${hint}`);
}
