// A readable digest of an OpenAPI document for the portal's /api-docs page (no Swagger
// UI, no external assets): one row per operation and one entry per named schema.

export interface OperationSummary {
  method: string;
  path: string;
  summary: string;
  tag: string;
  request: string | null;
  responses: { status: string; description: string; schema: string | null }[];
  query: string[];
}

export interface SchemaSummary {
  name: string;
  fields: { name: string; type: string; required: boolean }[];
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Json) : {});

function schemaName(media: unknown): string | null {
  const content = obj(media);
  for (const [type, value] of Object.entries(content)) {
    const schema = obj(obj(value).schema);
    const ref = typeof schema.$ref === "string" ? schema.$ref.split("/").pop() ?? null : null;
    return ref ?? type;
  }
  return null;
}

function typeOf(schema: Json): string {
  if (typeof schema.$ref === "string") return schema.$ref.split("/").pop() ?? "object";
  if (Array.isArray(schema.anyOf)) return schema.anyOf.map((s) => typeOf(obj(s))).join(" | ");
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(" | ");
  if (schema.type === "array") return `${typeOf(obj(schema.items))}[]`;
  if (Array.isArray(schema.type)) return schema.type.join(" | ");
  if (typeof schema.type === "string") return typeof schema.format === "string" ? `${schema.type} (${schema.format})` : schema.type;
  return "any";
}

export function summarizeOpenApi(doc: unknown): { operations: OperationSummary[]; schemas: SchemaSummary[] } {
  const operations: OperationSummary[] = [];
  for (const [path, item] of Object.entries(obj(obj(doc).paths))) {
    for (const [method, rawOp] of Object.entries(obj(item))) {
      const op = obj(rawOp);
      const parameters = Array.isArray(op.parameters) ? op.parameters.map(obj) : [];
      operations.push({
        method: method.toUpperCase(),
        path,
        summary: typeof op.summary === "string" ? op.summary : "",
        tag: Array.isArray(op.tags) && typeof op.tags[0] === "string" ? op.tags[0] : "Other",
        request: op.requestBody ? schemaName(obj(op.requestBody).content) : null,
        responses: Object.entries(obj(op.responses)).map(([status, r]) => ({
          status,
          description: typeof obj(r).description === "string" ? (obj(r).description as string) : "",
          schema: schemaName(obj(r).content),
        })),
        query: parameters.filter((p) => p.in === "query").map((p) => `${String(p.name)}${p.required ? "" : "?"}`),
      });
    }
  }
  const schemas = Object.entries(obj(obj(obj(doc).components).schemas)).map(([name, raw]) => {
    const schema = obj(raw);
    const required = new Set(Array.isArray(schema.required) ? schema.required : []);
    return {
      name,
      fields: Object.entries(obj(schema.properties)).map(([field, f]) => ({ name: field, type: typeOf(obj(f)), required: required.has(field) })),
    };
  });
  return { operations, schemas };
}
