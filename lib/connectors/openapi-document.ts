import { OpenAPIRegistry, OpenApiGeneratorV31, type RouteConfig } from "@asteasolutions/zod-to-openapi";
import { z, type ZodType } from "zod";
import * as s from "@/lib/connectors/api-schemas";

// The OpenAPI 3.1 document of /api/v1, generated from the zod schemas the route handlers
// parse with (lib/connectors/api-schemas.ts). One table of endpoints feeds both the
// document and the portal's /api-docs page.

type Method = "get" | "post" | "put" | "patch" | "delete";

interface Endpoint {
  method: Method;
  path: string;
  summary: string;
  tag: string;
  params?: boolean;
  query?: z.ZodObject;
  body?: { schema: ZodType; name: string } | "csv";
  ok: { status: number; schema?: { schema: ZodType; name: string }; contentType?: string; description: string };
  errors?: number[];
}

const named = (name: string, schema: ZodType) => ({ name, schema });

const Schemas = {
  CreateConnectorInput: named("CreateConnectorInput", s.createConnectorBodySchema),
  UpdateConnectorInput: named("UpdateConnectorInput", s.updateConnectorSchema),
  DeleteConnectorInput: named("DeleteConnectorInput", s.deleteConnectorSchema),
  ValidateConnectionInput: named("ValidateConnectionInput", s.validateConnectionSchema),
  CheckKeysInput: named("CheckKeysInput", s.checkKeysSchema),
  AcceptTermsInput: named("AcceptTermsInput", s.acceptTermsSchema),
  StartRunInput: named("StartRunInput", s.startRunSchema),
  ConnectorResponse: named("ConnectorResponse", s.connectorEnvelopeSchema),
  ConnectorListResponse: named("ConnectorListResponse", s.connectorListSchema),
  NameAvailableResponse: named("NameAvailableResponse", s.nameAvailableSchema),
  ValidationResult: named("ValidationResult", s.validationResultSchema),
  CheckKeysResult: named("CheckKeysResult", s.checkKeysResultSchema),
  MappingPreview: named("MappingPreview", s.mappingPreviewSchema),
  MappingRowsResponse: named("MappingRowsResponse", s.mappingRowsSchema),
  RunResponse: named("RunResponse", s.runEnvelopeSchema),
  RunListResponse: named("RunListResponse", s.runListSchema),
  RunDetailResponse: named("RunDetailResponse", s.runDetailEnvelopeSchema),
  DailyImports: named("DailyImports", s.dailyImportsSchema),
  GraphSettingsInput: named("GraphSettingsInput", s.graphSettingsBodySchema),
  GraphSettingsResponse: named("GraphSettingsResponse", s.graphSettingsEnvelopeSchema),
  GraphTestResponse: named("GraphTestResponse", s.graphTestEnvelopeSchema),
};

export const API_ENDPOINTS: readonly Endpoint[] = [
  { method: "get", path: "/connectors", tag: "Connectors", summary: "List connectors (sorted by name)", ok: { status: 200, schema: Schemas.ConnectorListResponse, description: "The connectors" } },
  { method: "post", path: "/connectors", tag: "Connectors", summary: "Create a connector", body: Schemas.CreateConnectorInput, ok: { status: 201, schema: Schemas.ConnectorResponse, description: "Created" }, errors: [409, 413, 422] },
  {
    method: "get", path: "/connectors/name-available", tag: "Connectors", summary: "Is a connector name free (case-insensitive)?", query: s.nameAvailableQuerySchema,
    ok: { status: 200, schema: Schemas.NameAvailableResponse, description: "Availability" }, errors: [422],
  },
  {
    method: "post", path: "/connectors/validate", tag: "Connectors", summary: "Validate the SFTP connection and keys (failures are data: ok=false, HTTP 200)",
    body: Schemas.ValidateConnectionInput, ok: { status: 200, schema: Schemas.ValidationResult, description: "Stage-by-stage result" }, errors: [404, 422],
  },
  { method: "get", path: "/connectors/{id}", tag: "Connectors", summary: "Get a connector", params: true, ok: { status: 200, schema: Schemas.ConnectorResponse, description: "The connector" }, errors: [404] },
  {
    method: "patch", path: "/connectors/{id}", tag: "Connectors", summary: "Update a connector (secrets omitted or \"\" are kept, null clears)", params: true,
    body: Schemas.UpdateConnectorInput, ok: { status: 200, schema: Schemas.ConnectorResponse, description: "The updated connector" }, errors: [404, 409, 413, 422],
  },
  {
    method: "delete", path: "/connectors/{id}", tag: "Connectors", summary: "Delete a connector (confirmName must equal its name); run history stays", params: true,
    body: Schemas.DeleteConnectorInput, ok: { status: 204, description: "Deleted" }, errors: [404, 422],
  },
  { method: "post", path: "/connectors/{id}/pause", tag: "Connectors", summary: "Pause the daily schedule", params: true, ok: { status: 200, schema: Schemas.ConnectorResponse, description: "The connector" }, errors: [404] },
  { method: "post", path: "/connectors/{id}/resume", tag: "Connectors", summary: "Resume the daily schedule", params: true, ok: { status: 200, schema: Schemas.ConnectorResponse, description: "The connector" }, errors: [404] },
  {
    method: "put", path: "/connectors/{id}/mapping", tag: "User mapping", summary: "Replace the user mapping with a CSV file (all rows or none)", params: true, body: "csv",
    ok: { status: 200, schema: Schemas.MappingRowsResponse, description: "Rows stored" }, errors: [404, 413, 422],
  },
  {
    method: "get", path: "/connectors/{id}/mapping.csv", tag: "User mapping", summary: "Download the current user mapping (ImId,Mailbox)", params: true,
    ok: { status: 200, contentType: "text/csv", description: "CSV file" }, errors: [404],
  },
  { method: "post", path: "/mapping/preview", tag: "User mapping", summary: "Check a mapping CSV without storing it", body: "csv", ok: { status: 200, schema: Schemas.MappingPreview, description: "Counts, errors and the first rows" }, errors: [413] },
  { method: "get", path: "/mapping-template.csv", tag: "User mapping", summary: "Download the mapping template", ok: { status: 200, contentType: "text/csv", description: "CSV file" } },
  {
    method: "post", path: "/connectors/{id}/runs", tag: "Runs", summary: "Run now, or backfill a window (from + to)", params: true, body: Schemas.StartRunInput,
    ok: { status: 202, schema: Schemas.RunResponse, description: "The queued run" }, errors: [404, 409, 422],
  },
  {
    method: "get", path: "/connectors/{id}/runs", tag: "Runs", summary: "List a connector's runs, newest first", params: true, query: s.listRunsQuerySchema,
    ok: { status: 200, schema: Schemas.RunListResponse, description: "Runs" }, errors: [404, 422],
  },
  {
    method: "get", path: "/connectors/{id}/daily-imports", tag: "Runs", summary: "Imported items per UTC day (zero-filled)", params: true, query: s.dailyImportsQuerySchema,
    ok: { status: 200, schema: Schemas.DailyImports, description: "One entry per day, oldest first" }, errors: [404, 422],
  },
  { method: "get", path: "/runs/{id}", tag: "Runs", summary: "A run with failed items, unmapped users, partial items and files", params: true, ok: { status: 200, schema: Schemas.RunDetailResponse, description: "The run" }, errors: [404] },
  { method: "get", path: "/runs/{id}/log.csv", tag: "Runs", summary: "Download the run's admin log", params: true, ok: { status: 200, contentType: "text/csv", description: "CSV file" }, errors: [404] },
  { method: "post", path: "/keys/check", tag: "Keys", summary: "Check private keys (parse + passphrase) without storing them", body: Schemas.CheckKeysInput, ok: { status: 200, schema: Schemas.CheckKeysResult, description: "Per-key result" }, errors: [422] },
  { method: "get", path: "/keys/ssh", tag: "Keys", summary: "Download the platform SSH public key", ok: { status: 200, contentType: "text/plain", description: "OpenSSH public key" } },
  { method: "get", path: "/keys/pgp", tag: "Keys", summary: "Download the platform OpenPGP public key", ok: { status: 200, contentType: "application/pgp-keys", description: "Armored public key" } },
  { method: "get", path: "/keys/ip", tag: "Keys", summary: "Download the egress IP address list for ICE's allow list", ok: { status: 200, contentType: "text/plain", description: "Text file" } },
  { method: "post", path: "/terms/accept", tag: "Connectors", summary: "Accept the connector terms (audited)", body: Schemas.AcceptTermsInput, ok: { status: 204, description: "Recorded" }, errors: [422] },
  { method: "get", path: "/settings/graph", tag: "Settings", summary: "The Microsoft 365 (Graph) settings in use (never the secret)", ok: { status: 200, schema: Schemas.GraphSettingsResponse, description: "The settings" } },
  {
    method: "put", path: "/settings/graph", tag: "Settings", summary: "Save the Microsoft 365 (Graph) settings, including the import method (audited by field name)", body: Schemas.GraphSettingsInput,
    ok: { status: 200, schema: Schemas.GraphSettingsResponse, description: "The saved settings" }, errors: [413, 422],
  },
  { method: "delete", path: "/settings/graph", tag: "Settings", summary: "Remove the stored settings (delivery falls back to the GRAPH_* environment)", ok: { status: 200, schema: Schemas.GraphSettingsResponse, description: "The settings now in use" } },
  {
    method: "post", path: "/settings/graph/test", tag: "Settings", summary: "Test sign-in and Graph access (the saved settings for an empty body, else the given values); failures are data", body: Schemas.GraphSettingsInput,
    ok: { status: 200, schema: Schemas.GraphTestResponse, description: "Per-stage result" }, errors: [413, 422],
  },
  { method: "get", path: "/openapi.json", tag: "Meta", summary: "This OpenAPI document", ok: { status: 200, contentType: "application/json", description: "OpenAPI 3.1" } },
];

const ERROR_DESCRIPTIONS: Record<number, string> = {
  401: "Not signed in / invalid token",
  403: "Missing the Mailbox Import Export role, or a cross-site request",
  404: "Not found",
  409: "Conflict",
  413: "Payload too large",
  422: "Validation failed (details.issues / details.errors)",
};

let cached: ReturnType<OpenApiGeneratorV31["generateDocument"]> | undefined;

export function openApiDocument(): ReturnType<OpenApiGeneratorV31["generateDocument"]> {
  cached ??= buildDocument();
  return cached;
}

function buildDocument() {
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    description: "An API token (icc_...) from Settings → API tokens or `npm run admin -- create-token`.",
  });
  const refs = new Map<string, ZodType>();
  const ref = (entry: { name: string; schema: ZodType }) => {
    if (!refs.has(entry.name)) refs.set(entry.name, registry.register(entry.name, entry.schema));
    return refs.get(entry.name)!;
  };
  registry.register("RunView", s.runViewSchema);
  registry.register("RunDetailView", s.runDetailViewSchema);
  registry.register("ConnectorView", s.connectorViewSchema);
  registry.register("GraphSettingsView", s.graphSettingsViewSchema);
  const error = registry.register("ErrorResponse", s.errorResponseSchema);

  for (const e of API_ENDPOINTS) {
    const responses: RouteConfig["responses"] = {
      [e.ok.status]: {
        description: e.ok.description,
        ...(e.ok.schema ? { content: { "application/json": { schema: ref(e.ok.schema) } } } : e.ok.contentType ? { content: { [e.ok.contentType]: { schema: z.string() } } } : {}),
      },
    };
    const statuses = [401, ...(e.method === "get" ? [] : [403]), ...(e.errors ?? [])];
    for (const status of statuses) responses[status] = { description: ERROR_DESCRIPTIONS[status] ?? "Error", content: { "application/json": { schema: error } } };
    const body = e.body === "csv"
      ? { description: "The raw CSV file (max 5 MiB)", content: { "text/csv": { schema: z.string() } } }
      : e.body
        ? { content: { "application/json": { schema: ref(e.body) } } }
        : undefined;
    registry.registerPath({
      method: e.method,
      path: `/api/v1${e.path}`,
      summary: e.summary,
      tags: [e.tag],
      security: [{ [bearer.name]: [] }],
      request: {
        ...(e.params ? { params: s.idParamsSchema } : {}),
        ...(e.query ? { query: e.query } : {}),
        ...(body ? { body } : {}),
      },
      responses,
    });
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: "3.1.0",
    info: {
      title: "ICE Chat Connector API",
      version: "1.0.0",
      description: "Manage ICE Chat connectors, user mappings and import runs. Responses never contain a secret.",
    },
    security: [{ [bearer.name]: [] }],
  });
}
