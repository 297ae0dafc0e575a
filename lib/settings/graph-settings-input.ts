// What an administrator may type for the Microsoft 365 app registration, checked before
// anything is stored: ids that Entra ID could accept, and https-only endpoints (the
// client secret and the access token travel to them).

import { z } from "zod";
import { AppError } from "@/lib/errors";
import { GRAPH_IMPORT_METHODS, type GraphImportMethod } from "@/lib/graph/graph-config";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// A verified domain such as contoso.onmicrosoft.com stands for the tenant as well as its GUID.
const DOMAIN = /^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

export const MAX_SECRET_LENGTH = 1024;

export function isTenantId(value: string): boolean {
  return GUID.test(value) || DOMAIN.test(value);
}

export function isClientId(value: string): boolean {
  return GUID.test(value);
}

/** An https origin (optionally with a path), no credentials, query or fragment. */
export function normalizeHttpsUrl(raw: string, label: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppError("validation_failed", `${label} is not a URL.`);
  }
  if (url.protocol !== "https:") throw new AppError("validation_failed", `${label} must use https.`);
  if (url.username || url.password || url.search || url.hash) throw new AppError("validation_failed", `${label} must not contain credentials, a query or a fragment.`);
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

const optionalText = z
  .string()
  .max(2048)
  .optional()
  .transform((v) => (v === undefined ? undefined : v.trim()));

/** The body of a save or a connection test; blank strings mean "not given". */
export const graphSettingsInputSchema = z.object({
  tenantId: optionalText,
  clientId: optionalText,
  /** Write-only: blank keeps the stored secret. Not trimmed: a secret is taken as typed. */
  clientSecret: z.string().max(MAX_SECRET_LENGTH).optional(),
  authorityHost: optionalText,
  graphBaseUrl: optionalText,
  /** "json" (Graph v1.0, the default when omitted) or "importMime" (beta; needs Mail-Advanced.ReadWrite.All). */
  importMethod: z.enum(GRAPH_IMPORT_METHODS).optional(),
});

export type GraphSettingsInput = z.input<typeof graphSettingsInputSchema>;

export interface ValidGraphSettings {
  tenantId: string;
  clientId: string;
  /** Undefined: keep the stored one. */
  clientSecret?: string;
  authorityHost?: string;
  graphBaseUrl?: string;
  /** Undefined: not given, which means the default ("json"). */
  importMethod?: GraphImportMethod;
}

/** Checks ids and URLs; throws validation_failed naming the field, never echoing a secret. */
export function validateGraphSettingsInput(input: GraphSettingsInput): ValidGraphSettings {
  const parsed = graphSettingsInputSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError("validation_failed", `${issue?.path.join(".") || "body"}: ${issue?.message ?? "invalid"}`);
  }
  const { tenantId, clientId, clientSecret, authorityHost, graphBaseUrl, importMethod } = parsed.data;
  if (!tenantId) throw new AppError("validation_failed", "The tenant id is required (the directory id GUID or a verified domain such as contoso.onmicrosoft.com).");
  if (!isTenantId(tenantId)) throw new AppError("validation_failed", "The tenant id must be the directory (tenant) id GUID or a domain such as contoso.onmicrosoft.com.");
  if (!clientId) throw new AppError("validation_failed", "The client id is required (the application (client) id GUID of the app registration).");
  if (!isClientId(clientId)) throw new AppError("validation_failed", "The client id must be the application (client) id GUID of the app registration.");
  if (clientSecret !== undefined && clientSecret !== "" && (clientSecret.trim() === "" || /[\r\n\0]/.test(clientSecret))) {
    throw new AppError("validation_failed", "The client secret must not be blank or contain line breaks.");
  }
  return {
    tenantId: tenantId.toLowerCase(),
    clientId: clientId.toLowerCase(),
    clientSecret: clientSecret === "" ? undefined : clientSecret,
    authorityHost: authorityHost ? normalizeHttpsUrl(authorityHost, "The authority host") : undefined,
    graphBaseUrl: graphBaseUrl ? normalizeHttpsUrl(graphBaseUrl, "The Microsoft Graph base URL") : undefined,
    importMethod,
  };
}
