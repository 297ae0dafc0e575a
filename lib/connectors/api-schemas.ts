import { extendZodWithOpenApi } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { createConnectorSchema, scheduleTimeSchema } from "@/lib/connectors/connector-input";
import { GRAPH_IMPORT_METHODS } from "@/lib/graph/graph-config";
import { graphSettingsInputSchema } from "@/lib/settings/graph-settings-input";

// The REST API's request and response schemas. Route handlers parse with them and the
// OpenAPI document (lib/connectors/openapi-document.ts) is generated from the same
// objects, so the documentation cannot drift from what the server accepts.

extendZodWithOpenApi(z);

const iso = z.string().meta({ format: "date-time" });
const shape = createConnectorSchema.shape;

export const idParamsSchema = z.object({ id: z.uuid() });

// ---- Requests --------------------------------------------------------------------------

/**
 * POST /connectors. A copy made after extendZodWithOpenApi (imports are evaluated before
 * this module's body, so the original in connector-input.ts predates the extension).
 */
export const createConnectorBodySchema = createConnectorSchema.meta({ description: "A new ICE Chat connector" });

/**
 * PATCH: every field optional and without defaults (an omitted field keeps its value).
 * Secrets: omitted or "" keeps the stored value, null clears an optional one.
 */
export const updateConnectorSchema = z.object({
  name: shape.name.optional(),
  firmCode: shape.firmCode.optional(),
  password: z.string().max(1024).nullable().optional(),
  sftpHost: shape.sftpHost.optional(),
  sftpPort: z.number().int().min(1).max(65535).optional(),
  keyMode: z.enum(["platform", "own"]).optional(),
  pgpPrivateKey: z.string().max(256 * 1024).nullable().optional(),
  pgpPassphrase: z.string().max(1024).nullable().optional(),
  sshPrivateKey: z.string().max(64 * 1024).nullable().optional(),
  sshPassphrase: z.string().max(1024).nullable().optional(),
  hostKeyFingerprint: z.string().trim().regex(/^SHA256:[A-Za-z0-9+/]{43}=?$/, "must look like SHA256:… as ssh-keygen -lf prints it").nullable().optional(),
  hostKeyAlgorithm: z.string().max(64).nullable().optional(),
  remoteDirectory: z.string().trim().min(1).max(1024).startsWith("/", "must be an absolute path").optional(),
  autoMapping: z.boolean().optional(),
  mappingCsv: z.string().max(5 * 1024 * 1024).optional(),
  dailyItemLimit: z.number().int().min(1).max(100_000_000).optional(),
  scheduleTime: scheduleTimeSchema.optional(),
  lookbackHours: z.number().int().min(1).max(24 * 60).optional(),
  destination: z.enum(["graph", "local_archive"]).optional(),
});
export type UpdateConnectorInput = z.input<typeof updateConnectorSchema>;

export const nameAvailableQuerySchema = z.object({
  name: z.string().max(200),
  excludeId: z.uuid().optional(),
});

export const deleteConnectorSchema = z.object({ confirmName: z.string().max(200) });

export const validateConnectionSchema = z.object({
  firmCode: shape.firmCode,
  password: z.string().max(1024).optional(),
  sftpHost: shape.sftpHost,
  sftpPort: z.number().int().min(1).max(65535).default(22),
  keyMode: z.enum(["platform", "own"]),
  sshPrivateKey: z.string().max(64 * 1024).optional(),
  sshPassphrase: z.string().max(1024).optional(),
  pgpPrivateKey: z.string().max(256 * 1024).optional(),
  pgpPassphrase: z.string().max(1024).optional(),
  remoteDirectory: z.string().trim().min(1).max(1024).startsWith("/", "must be an absolute path").default("/"),
  hostKeyFingerprint: z.string().trim().max(200).optional(),
  connectorId: z.uuid().optional(),
});
export type ValidateConnectionInput = z.input<typeof validateConnectionSchema>;

export const checkKeysSchema = z.object({
  pgpPrivateKey: z.string().max(256 * 1024).optional(),
  pgpPassphrase: z.string().max(1024).optional(),
  sshPrivateKey: z.string().max(64 * 1024).optional(),
  sshPassphrase: z.string().max(1024).optional(),
});
export type CheckKeysInput = z.input<typeof checkKeysSchema>;

export const acceptTermsSchema = z.object({ connectorType: z.literal("ice-chat") });

export const startRunSchema = z.object({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  approveLimit: z.boolean().optional(),
});
/** Run now ({}), backfill ({from, to}) or approve an exceeded limit ({approveLimit: true}). */
export type StartRunInput = z.input<typeof startRunSchema>;

/**
 * PUT /settings/graph and POST /settings/graph/test. A copy made after extendZodWithOpenApi
 * (see createConnectorBodySchema); the route handlers parse with the original.
 */
export const graphSettingsBodySchema = graphSettingsInputSchema.meta({
  description:
    "The Microsoft 365 app registration. Blank strings mean not given; a blank clientSecret keeps the stored one (on the same endpoints). " +
    'importMethod: "json" (Microsoft Graph v1.0; the default when omitted) or "importMime" (Microsoft Graph beta; needs Mail-Advanced.ReadWrite.All).',
});

export const listRunsQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) });
export const dailyImportsQuerySchema = z.object({ days: z.coerce.number().int().min(1).max(366).default(30) });

// ---- Views -----------------------------------------------------------------------------

export const runStatusSchema = z.enum(["QUEUED", "RUNNING", "SUCCEEDED", "PARTIALLY_SUCCEEDED", "FAILED", "LIMIT_EXCEEDED", "CANCELLED"]);
export const alertKindSchema = z.enum(["HOST_KEY_MISMATCH", "MISSED_DAY", "KEY_EXPIRY", "RUN_FAILED", "LIMIT_EXCEEDED", "MAPPING_FAILURES"]);

export const runViewSchema = z.object({
  id: z.uuid(),
  connectorId: z.uuid(),
  trigger: z.enum(["SCHEDULED", "MANUAL", "BACKFILL"]),
  status: runStatusSchema,
  queuedAt: iso,
  startedAt: iso.nullable(),
  finishedAt: iso.nullable(),
  windowFrom: iso.nullable(),
  windowTo: iso.nullable(),
  limitApproved: z.boolean(),
  attempts: z.number().int(),
  currentFile: z.string().nullable(),
  filesFound: z.number().int(),
  filesProcessed: z.number().int(),
  filesFailed: z.number().int(),
  itemsFromSource: z.number().int(),
  itemsForImport: z.number().int(),
  itemsProcessed: z.number().int(),
  imported: z.number().int(),
  partiallyImported: z.number().int(),
  skippedDuplicate: z.number().int(),
  failed: z.object({ userMapping: z.number().int(), tooLarge: z.number().int(), destination: z.number().int(), other: z.number().int(), total: z.number().int() }),
  message: z.string().nullable(),
  error: z.string().nullable(),
});
export type RunView = z.infer<typeof runViewSchema>;

export const runDetailViewSchema = runViewSchema.extend({
  failedItems: z.array(
    z.object({
      itemId: z.string(),
      conversationId: z.string().nullable(),
      sourceImId: z.string().nullable(),
      mailbox: z.string().nullable(),
      reason: z.enum(["USER_MAPPING", "ITEM_TOO_LARGE", "DESTINATION_ERROR", "SOURCE_ERROR"]),
      detail: z.string(),
      createdAt: iso,
    }),
  ),
  failedItemsTotal: z.number().int(),
  unmappedParticipants: z.array(z.object({ imId: z.string(), email: z.string().nullable(), reason: z.string() })),
  partialItems: z.array(z.object({ itemKey: z.string(), mailbox: z.string(), note: z.string() })),
  files: z.array(
    z.object({
      path: z.string(),
      size: z.number(),
      mtime: iso,
      status: z.enum(["PENDING", "PROCESSED", "FAILED"]),
      itemCount: z.number().int().nullable(),
      error: z.string().nullable(),
    }),
  ),
});
export type RunDetailView = z.infer<typeof runDetailViewSchema>;

export const connectorAlertViewSchema = z.object({ id: z.uuid(), kind: alertKindSchema, message: z.string(), createdAt: iso });

export const connectorStatusSchema = z.enum(["Active", "Paused", "Running", "Error", "Limit exceeded"]);
export type ConnectorStatus = z.infer<typeof connectorStatusSchema>;

export const connectorViewSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  firmCode: z.string(),
  sftpHost: z.string(),
  sftpPort: z.number().int(),
  keyMode: z.enum(["platform", "own"]),
  hostKeyFingerprint: z.string().nullable(),
  hostKeyAlgorithm: z.string().nullable(),
  remoteDirectory: z.string(),
  autoMapping: z.boolean(),
  mappingRows: z.number().int(),
  dailyItemLimit: z.number().int(),
  scheduleTime: z.string().meta({ description: "HH:MM, UTC" }),
  lookbackHours: z.number().int(),
  destination: z.enum(["graph", "local_archive"]),
  state: z.enum(["active", "paused"]),
  status: connectorStatusSchema,
  hasPassword: z.boolean(),
  hasPgpPrivateKey: z.boolean(),
  hasSshPrivateKey: z.boolean(),
  createdAt: iso,
  updatedAt: iso,
  lastRun: runViewSchema.nullable(),
  activeRun: runViewSchema.nullable(),
  nextRunAt: iso.nullable(),
  alerts: z.array(connectorAlertViewSchema),
});
export type ConnectorView = z.infer<typeof connectorViewSchema>;

export const stageReportSchema = z.object({
  stage: z.enum(["dns", "tcp", "ssh_handshake", "host_key", "authentication", "directory_listing", "pgp_key"]),
  status: z.enum(["ok", "failed", "skipped"]),
  detail: z.string(),
  fix: z.string().optional(),
});
export type ValidationStageReport = z.infer<typeof stageReportSchema>;

export const validationResultSchema = z.object({
  ok: z.boolean(),
  stages: z.array(stageReportSchema),
  hostKey: z.object({ fingerprint: z.string(), algorithm: z.string() }).nullable(),
  files: z.array(z.object({ name: z.string(), size: z.number(), mtime: iso })),
  pgpCheck: z.object({ ok: z.boolean(), detail: z.string() }).nullable(),
});
export type ConnectionValidation = z.infer<typeof validationResultSchema>;

const keyCheckSchema = z.object({ ok: z.boolean(), detail: z.string(), fingerprint: z.string().optional(), expiresAt: iso.nullable().optional() });
export const checkKeysResultSchema = z.object({ pgp: keyCheckSchema.nullable(), ssh: keyCheckSchema.nullable() });
export type CheckKeysResult = z.infer<typeof checkKeysResultSchema>;

export const mappingPreviewSchema = z.object({
  ok: z.boolean(),
  count: z.number().int(),
  errorCount: z.number().int(),
  errors: z.array(z.object({ line: z.number().int(), message: z.string() })),
  preview: z.array(z.object({ imId: z.string(), mailbox: z.string(), line: z.number().int() })),
  delimiter: z.enum([",", ";"]),
});
export type MappingPreview = z.infer<typeof mappingPreviewSchema>;

export const dailyImportsSchema = z.object({ days: z.array(z.object({ date: z.string().meta({ description: "YYYY-MM-DD (UTC)" }), imported: z.number().int() })) });
export type DailyImports = z.infer<typeof dailyImportsSchema>;

export const graphImportMethodSchema = z.enum(GRAPH_IMPORT_METHODS).meta({
  description:
    '"json": each item is created from JSON on Microsoft Graph v1.0 (the default). "importMime": the item\'s MIME message through the beta importMime action ' +
    "(subject to change, not supported by Microsoft in production; needs Mail-Advanced.ReadWrite.All; items over about 3 MB of MIME fail as ITEM_TOO_LARGE).",
});

export const graphSettingsViewSchema = z.object({
  source: z.enum(["settings", "env", "none"]).meta({ description: "Where delivery takes the app registration from: Settings win over the GRAPH_* environment" }),
  tenantId: z.string().nullable(),
  clientId: z.string().nullable(),
  authorityHost: z.string().nullable(),
  graphBaseUrl: z.string().nullable(),
  importMethod: graphImportMethodSchema,
  hasClientSecret: z.boolean(),
  updatedAt: iso.nullable(),
  updatedBy: z.string().nullable(),
});
export type GraphSettingsApiView = z.infer<typeof graphSettingsViewSchema>;

export const graphTestResultSchema = z.object({
  ok: z.boolean(),
  stages: z.array(z.object({ stage: z.enum(["token", "users"]), ok: z.boolean(), detail: z.string(), fix: z.string().optional() })),
});
export type GraphTestResult = z.infer<typeof graphTestResultSchema>;

export const errorResponseSchema = z.object({
  error: z.object({
    code: z.enum(["unauthorized", "forbidden", "bad_origin", "not_found", "conflict", "payload_too_large", "validation_failed", "connection_failed", "destination_failed", "internal"]),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});

// Response envelopes.
export const connectorEnvelopeSchema = z.object({ connector: connectorViewSchema });
export const connectorListSchema = z.object({ connectors: z.array(connectorViewSchema) });
export const nameAvailableSchema = z.object({ available: z.boolean() });
export const mappingRowsSchema = z.object({ mappingRows: z.number().int() });
export const runEnvelopeSchema = z.object({ run: runViewSchema });
export const runListSchema = z.object({ runs: z.array(runViewSchema) });
export const runDetailEnvelopeSchema = z.object({ run: runDetailViewSchema });
export const graphSettingsEnvelopeSchema = z.object({ settings: graphSettingsViewSchema });
export const graphTestEnvelopeSchema = z.object({ result: graphTestResultSchema });
