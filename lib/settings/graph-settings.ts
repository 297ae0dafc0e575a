// The Microsoft 365 (Graph) app registration kept in Settings (the `Setting` row "graph"):
// plain fields in `value` (ids, endpoints, the import method), the client secret sealed
// with the record's envelope key in `secretEnc`. Settings take precedence over the GRAPH_*
// environment variables, so an administrator can configure delivery without a redeploy.

import "server-only";
import { z } from "zod";
import { appendAuditInTx, type AuditActor } from "@/lib/audit/append-audit";
import type { Db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { DEFAULT_GRAPH_IMPORT_METHOD, GRAPH_IMPORT_METHODS, PUBLIC_AUTHORITY_HOST, PUBLIC_GRAPH_BASE_URL, type GraphDestinationConfig, type GraphImportMethod } from "@/lib/graph/graph-config";
import { secretContext } from "@/lib/secrets/contexts";
import type { Keyring } from "@/lib/secrets/keyring";
import { openSecret, sealSecrets } from "@/lib/secrets/record-secrets";
import { validateGraphSettingsInput, type GraphSettingsInput } from "@/lib/settings/graph-settings-input";
import { vetGraphEndpoints, type GraphEndpointPolicy } from "@/lib/graph/vet-graph-endpoints";

export const GRAPH_SETTING_KEY = "graph";
const SECRET_FIELD = "clientSecret";
const context = secretContext.setting(GRAPH_SETTING_KEY);

/** The GRAPH_* part of the validated environment (lib/env's Env satisfies it). */
export interface GraphEnvValues {
  GRAPH_TENANT_ID?: string;
  GRAPH_CLIENT_ID?: string;
  GRAPH_CLIENT_SECRET?: string;
  GRAPH_AUTHORITY_HOST?: string;
  GRAPH_BASE_URL?: string;
  GRAPH_IMPORT_METHOD?: GraphImportMethod;
}

export type GraphSettingsSource = "settings" | "env" | "none";

/** What the API and the UI may see: never the secret, only whether one is set. */
export interface GraphSettingsView {
  source: GraphSettingsSource;
  tenantId: string | null;
  clientId: string | null;
  authorityHost: string | null;
  graphBaseUrl: string | null;
  /** "json" (v1.0, default) or "importMime" (beta). */
  importMethod: GraphImportMethod;
  hasClientSecret: boolean;
  updatedAt: string | null;
  updatedBy: string | null;
}

const storedValueSchema = z.object({
  tenantId: z.string().min(1),
  clientId: z.string().min(1),
  authorityHost: z.string().optional(),
  graphBaseUrl: z.string().optional(),
  /** Absent in rows saved before the setting existed: the default. */
  importMethod: z.enum(GRAPH_IMPORT_METHODS).optional(),
  updatedBy: z.string(),
  updatedAt: z.string(),
});

type StoredValue = z.infer<typeof storedValueSchema>;

interface StoredGraphSettings {
  value: StoredValue;
  wrappedKey: string | null;
  secretEnc: string | null;
}

async function readStored(db: Pick<Db, "setting">): Promise<StoredGraphSettings | null> {
  const row = await db.setting.findUnique({ where: { key: GRAPH_SETTING_KEY } });
  if (!row) return null;
  const parsed = storedValueSchema.safeParse(row.value);
  if (!parsed.success) throw new AppError("config_invalid", "The stored Microsoft 365 settings are unreadable. Remove them and save them again.");
  return { value: parsed.data, wrappedKey: row.secretsDataKey, secretEnc: row.secretEnc };
}

function envComplete(e: GraphEnvValues): e is GraphEnvValues & { GRAPH_TENANT_ID: string; GRAPH_CLIENT_ID: string; GRAPH_CLIENT_SECRET: string } {
  return Boolean(e.GRAPH_TENANT_ID && e.GRAPH_CLIENT_ID && e.GRAPH_CLIENT_SECRET);
}

export async function getGraphSettingsView(db: Db, envValues: GraphEnvValues = {}): Promise<GraphSettingsView> {
  const stored = await readStored(db);
  if (stored) {
    const v = stored.value;
    return {
      source: "settings",
      tenantId: v.tenantId,
      clientId: v.clientId,
      authorityHost: v.authorityHost ?? null,
      graphBaseUrl: v.graphBaseUrl ?? null,
      importMethod: v.importMethod ?? DEFAULT_GRAPH_IMPORT_METHOD,
      hasClientSecret: Boolean(stored.wrappedKey && stored.secretEnc),
      updatedAt: v.updatedAt,
      updatedBy: v.updatedBy,
    };
  }
  if (envComplete(envValues)) {
    return {
      source: "env",
      tenantId: envValues.GRAPH_TENANT_ID,
      clientId: envValues.GRAPH_CLIENT_ID,
      authorityHost: envValues.GRAPH_AUTHORITY_HOST ?? null,
      graphBaseUrl: envValues.GRAPH_BASE_URL ?? null,
      importMethod: envValues.GRAPH_IMPORT_METHOD ?? DEFAULT_GRAPH_IMPORT_METHOD,
      hasClientSecret: true,
      updatedAt: null,
      updatedBy: null,
    };
  }
  return { source: "none", tenantId: null, clientId: null, authorityHost: null, graphBaseUrl: null, importMethod: DEFAULT_GRAPH_IMPORT_METHOD, hasClientSecret: false, updatedAt: null, updatedBy: null };
}

interface Endpoints {
  authorityHost?: string;
  graphBaseUrl?: string;
}

/**
 * The secret goes to the authority host and the token to the Graph host: a stored secret
 * is reused only while both stay where they were, so nobody who may edit Settings but not
 * read the secret can redirect it to a server of their own.
 */
export function sameEndpoints(a: Endpoints, b: Endpoints): boolean {
  const norm = (url: string | undefined, fallback: string) => (url ?? fallback).replace(/\/+$/, "").toLowerCase();
  return norm(a.authorityHost, PUBLIC_AUTHORITY_HOST) === norm(b.authorityHost, PUBLIC_AUTHORITY_HOST) && norm(a.graphBaseUrl, PUBLIC_GRAPH_BASE_URL) === norm(b.graphBaseUrl, PUBLIC_GRAPH_BASE_URL);
}

const ENDPOINT_CHANGE_NEEDS_SECRET = "Enter the client secret again: the authority host or the Microsoft Graph base URL changed, and the stored secret is only ever sent to the endpoints it was saved for.";

/** Refuses internal endpoints (the SSRF guard) unless the policy allows them; strict by default. */
const STRICT_ENDPOINTS: GraphEndpointPolicy = { allowPrivateNetworks: false };

export async function saveGraphSettings(
  db: Db,
  keyring: Keyring,
  input: GraphSettingsInput,
  actor: AuditActor,
  endpointPolicy: GraphEndpointPolicy = STRICT_ENDPOINTS,
): Promise<GraphSettingsView> {
  const valid = validateGraphSettingsInput(input);
  // The secret will be sent to these endpoints: refuse internal ones before storing anything.
  await vetGraphEndpoints(valid, endpointPolicy);
  await db.$transaction(async (tx) => {
    // Serialises concurrent saves so the secret and the data key that sealed it stay together.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('setting:graph'))`;
    const existing = await readStored(tx);
    const hasStoredSecret = Boolean(existing?.wrappedKey && existing.secretEnc);
    if (valid.clientSecret === undefined) {
      if (!hasStoredSecret) throw new AppError("validation_failed", "The client secret is required.");
      if (existing && !sameEndpoints(existing.value, valid)) throw new AppError("validation_failed", ENDPOINT_CHANGE_NEEDS_SECRET);
    }
    let wrappedKey = existing?.wrappedKey ?? null;
    let secretEnc = existing?.secretEnc ?? null;
    if (valid.clientSecret !== undefined) {
      const sealed = sealSecrets(keyring, context, existing?.wrappedKey, { [SECRET_FIELD]: valid.clientSecret });
      wrappedKey = sealed.wrappedKey;
      secretEnc = sealed.sealed[SECRET_FIELD] ?? null;
    }
    const value: StoredValue = {
      tenantId: valid.tenantId,
      clientId: valid.clientId,
      ...(valid.authorityHost ? { authorityHost: valid.authorityHost } : {}),
      ...(valid.graphBaseUrl ? { graphBaseUrl: valid.graphBaseUrl } : {}),
      importMethod: valid.importMethod ?? DEFAULT_GRAPH_IMPORT_METHOD,
      updatedBy: actor.label,
      updatedAt: new Date().toISOString(),
    };
    await tx.setting.upsert({
      where: { key: GRAPH_SETTING_KEY },
      create: { key: GRAPH_SETTING_KEY, value, secretsDataKey: wrappedKey, secretEnc },
      update: { value, secretsDataKey: wrappedKey, secretEnc },
    });
    const changed: string[] = (["tenantId", "clientId", "authorityHost", "graphBaseUrl"] as const).filter((f) => existing?.value[f] !== value[f]);
    // A row from before the setting existed meant the default: only a real change is one.
    if ((existing?.value.importMethod ?? DEFAULT_GRAPH_IMPORT_METHOD) !== value.importMethod) changed.push("importMethod");
    if (valid.clientSecret !== undefined) changed.push(SECRET_FIELD);
    // Field names only: the audit log is for people who must not read the secret.
    await appendAuditInTx(tx, {
      actor,
      action: "settings.graph_updated",
      targetType: "Setting",
      targetId: GRAPH_SETTING_KEY,
      details: { fields: changed, created: existing === null },
    });
  });
  return getGraphSettingsView(db);
}

/** Removes the stored settings (delivery falls back to the environment); false when none were stored. */
export async function clearGraphSettings(db: Db, actor: AuditActor): Promise<boolean> {
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('setting:graph'))`;
    const { count } = await tx.setting.deleteMany({ where: { key: GRAPH_SETTING_KEY } });
    if (count > 0) await appendAuditInTx(tx, { actor, action: "settings.graph_removed", targetType: "Setting", targetId: GRAPH_SETTING_KEY });
    return count > 0;
  });
}

/**
 * The app registration delivery uses: Settings first, then the environment; null when
 * neither is configured. Its endpoints are vetted on every call (each run): a name's DNS
 * answer may have changed since it was saved.
 */
export async function resolveGraphConfig(
  db: Db,
  keyring: Keyring,
  envValues: GraphEnvValues,
  endpointPolicy: GraphEndpointPolicy = STRICT_ENDPOINTS,
): Promise<GraphDestinationConfig | null> {
  const config = await readGraphConfig(db, keyring, envValues);
  if (config) await vetGraphEndpoints(config, endpointPolicy);
  return config;
}

async function readGraphConfig(db: Db, keyring: Keyring, envValues: GraphEnvValues): Promise<GraphDestinationConfig | null> {
  const stored = await readStored(db);
  if (stored) {
    if (!stored.wrappedKey || !stored.secretEnc) throw new AppError("config_invalid", "The Microsoft 365 settings have no client secret. Enter it again in Settings.");
    const v = stored.value;
    return {
      tenantId: v.tenantId,
      clientId: v.clientId,
      clientSecret: openSecret(keyring, context, stored.wrappedKey, SECRET_FIELD, stored.secretEnc),
      ...(v.authorityHost ? { authorityHost: v.authorityHost } : {}),
      ...(v.graphBaseUrl ? { graphBaseUrl: v.graphBaseUrl } : {}),
      ...importMethodConfig(v.importMethod),
    };
  }
  if (envComplete(envValues)) {
    return {
      tenantId: envValues.GRAPH_TENANT_ID,
      clientId: envValues.GRAPH_CLIENT_ID,
      clientSecret: envValues.GRAPH_CLIENT_SECRET,
      ...(envValues.GRAPH_AUTHORITY_HOST ? { authorityHost: envValues.GRAPH_AUTHORITY_HOST } : {}),
      ...(envValues.GRAPH_BASE_URL ? { graphBaseUrl: envValues.GRAPH_BASE_URL } : {}),
      ...importMethodConfig(envValues.GRAPH_IMPORT_METHOD),
    };
  }
  return null;
}

/** Like the other optional fields, the config names the import method only when it is not the default. */
function importMethodConfig(method: GraphImportMethod | undefined): Pick<GraphDestinationConfig, "importMethod"> {
  return method && method !== DEFAULT_GRAPH_IMPORT_METHOD ? { importMethod: method } : {};
}

/** The fields that make a connection test "test these values" rather than "test what is in use". */
const CONNECTION_FIELDS = ["tenantId", "clientId", "clientSecret", "authorityHost", "graphBaseUrl"] as const;

/**
 * The configuration a connection test uses: the current one when nothing is given, else
 * the given (unsaved) values, where a blank secret means the current secret, on the
 * same endpoints only.
 */
export async function resolveGraphTestConfig(
  db: Db,
  keyring: Keyring,
  input: GraphSettingsInput,
  envValues: GraphEnvValues,
  endpointPolicy: GraphEndpointPolicy = STRICT_ENDPOINTS,
): Promise<GraphDestinationConfig> {
  const config = await chooseGraphTestConfig(db, keyring, input, envValues);
  // Vetted before any request leaves: only what will actually be contacted.
  await vetGraphEndpoints(config, endpointPolicy);
  return config;
}

async function chooseGraphTestConfig(db: Db, keyring: Keyring, input: GraphSettingsInput, envValues: GraphEnvValues): Promise<GraphDestinationConfig> {
  // Unvetted: typed values may be replacing stored endpoints that the guard now refuses.
  const current = await readGraphConfig(db, keyring, envValues);
  const given = CONNECTION_FIELDS.some((field) => {
    const value = input[field];
    return typeof value === "string" && value.trim() !== "";
  });
  if (!given) {
    if (!current) throw new AppError("validation_failed", "Microsoft 365 delivery is not configured yet: enter the tenant id, client id and client secret.");
    return current;
  }
  const valid = validateGraphSettingsInput(input);
  let clientSecret = valid.clientSecret;
  if (clientSecret === undefined) {
    if (!current?.clientSecret) throw new AppError("validation_failed", "The client secret is required.");
    if (!sameEndpoints(current, valid)) throw new AppError("validation_failed", ENDPOINT_CHANGE_NEEDS_SECRET);
    clientSecret = current.clientSecret;
  }
  return {
    tenantId: valid.tenantId,
    clientId: valid.clientId,
    clientSecret,
    ...(valid.authorityHost ? { authorityHost: valid.authorityHost } : {}),
    ...(valid.graphBaseUrl ? { graphBaseUrl: valid.graphBaseUrl } : {}),
    ...importMethodConfig(valid.importMethod),
  };
}
