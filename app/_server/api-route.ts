import "server-only";
import { randomUUID } from "node:crypto";
import type { ZodType } from "zod";
import { requestUser, type AuthMethod } from "@/lib/auth/current-user";
import { canManageConnectors, type AuthUser } from "@/lib/auth/roles";
import { env } from "@/lib/env";
import { AppError, isAppError, type AppErrorCode } from "@/lib/errors";
import { logger } from "@/lib/log";

// Every API route goes through here: authentication (cookie or bearer token), the
// Origin check for cookie-authenticated changes (CSRF), the role check, and error
// mapping. Middleware is not relied on for any of it (CVE-2025-29927).

const STATUS: Record<AppErrorCode, number> = {
  unauthorized: 401,
  forbidden: 403,
  bad_origin: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  validation_failed: 422,
  config_invalid: 500,
  crypto_failed: 500,
  source_invalid: 422,
  connection_failed: 502,
  destination_failed: 502,
  internal: 500,
};

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export interface ApiContext<P> {
  req: Request;
  user: AuthUser;
  method: AuthMethod;
  params: P;
}

export interface ApiRouteOptions {
  /** "manage" needs the Mailbox Import Export role; mutating methods always need it. */
  access?: "read" | "manage";
}

export function jsonError(code: AppErrorCode, message: string, extra?: Record<string, unknown>): Response {
  return Response.json({ error: { code, message, ...extra } }, { status: STATUS[code] });
}

function originAllowed(req: Request): boolean {
  const origin = req.headers.get("origin");
  if (!origin) return false;
  if (origin === new URL(env().NEXTAUTH_URL).origin) return true;
  const host = req.headers.get("host");
  try {
    return host !== null && new URL(origin).host === host;
  } catch {
    return false;
  }
}

export function apiRoute<P = Record<string, never>>(
  handler: (ctx: ApiContext<P>) => Promise<Response>,
  options: ApiRouteOptions = {},
) {
  return async (req: Request, segment?: { params?: Promise<P> }): Promise<Response> => {
    try {
      const auth = await requestUser(req);
      if (!auth) return jsonError("unauthorized", "Sign in or send a valid API token.");
      const mutating = MUTATING.has(req.method.toUpperCase());
      if (mutating && auth.method === "session" && !originAllowed(req)) {
        return jsonError("bad_origin", "Cross-site request refused: the Origin header does not match this site.");
      }
      if ((mutating || options.access === "manage") && !canManageConnectors(auth.user)) {
        return jsonError("forbidden", "This needs the Mailbox Import Export role.");
      }
      const params = ((await segment?.params) ?? {}) as P;
      return await handler({ req, user: auth.user, method: auth.method, params });
    } catch (err) {
      // Details are structured, admin-facing (e.g. per-line CSV errors); never raw input.
      if (isAppError(err)) return jsonError(err.code, err.message, err.details === undefined ? undefined : { details: err.details });
      const errorId = randomUUID();
      logger().error({ err, errorId, path: new URL(req.url).pathname }, "unexpected API error");
      return jsonError("internal", `Unexpected error. Reference: ${errorId}`);
    }
  };
}

/** Parses a JSON body with a size cap; malformed input is a 422 with the first problem. */
export async function readJson<T>(req: Request, schema: ZodType<T>, maxBytes = 256 * 1024): Promise<T> {
  const text = await readBodyText(req, maxBytes);
  let raw: unknown;
  try {
    raw = text ? JSON.parse(text) : {};
  } catch {
    throw new AppError("validation_failed", "Request body is not valid JSON.");
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new AppError("validation_failed", `${issue.path.join(".") || "body"}: ${issue.message}`);
  }
  return parsed.data;
}

export async function readBodyText(req: Request, maxBytes: number): Promise<string> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw new AppError("payload_too_large", `Request body exceeds ${maxBytes} bytes.`);
  const reader = req.body?.getReader();
  if (!reader) return "";
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new AppError("payload_too_large", `Request body exceeds ${maxBytes} bytes.`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}
