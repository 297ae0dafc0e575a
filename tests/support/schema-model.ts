import { readFileSync } from "node:fs";
import path from "node:path";

// A minimal reader of prisma/schema.prisma for the schema-vs-database test: field
// names, types, optionality, list-ness and unique constraints. It only needs to
// understand the constructs this project's schema uses.

export interface SchemaField {
  name: string;
  type: string;
  optional: boolean;
  list: boolean;
  attributes: string;
}

export interface SchemaModel {
  name: string;
  fields: SchemaField[];
  uniques: string[][];
}

export const SCHEMA_PATH = path.resolve(__dirname, "..", "..", "prisma", "schema.prisma");

export function readSchema(file = SCHEMA_PATH): { models: SchemaModel[]; enums: Map<string, string[]> } {
  const text = readFileSync(file, "utf8");
  const models: SchemaModel[] = [];
  const enums = new Map<string, string[]>();
  for (const block of text.matchAll(/^(model|enum)\s+(\w+)\s*\{([\s\S]*?)^\}/gm)) {
    const [, kind, name, body] = block as unknown as [string, string, string, string];
    const lines = body.split("\n").map((l) => l.replace(/\/\/.*$/, "").trim()).filter(Boolean);
    if (kind === "enum") {
      enums.set(name, lines);
      continue;
    }
    const model: SchemaModel = { name, fields: [], uniques: [] };
    for (const line of lines) {
      const unique = /^@@unique\(\[([^\]]+)\]/.exec(line);
      if (unique) model.uniques.push(unique[1]!.split(",").map((s) => s.trim()));
      const field = /^(\w+)\s+(\w+)(\[\])?(\?)?\s*(.*)$/.exec(line);
      if (!field || line.startsWith("@@")) continue;
      const [, fname, type, list, optional, attributes] = field as unknown as [string, string, string, string | undefined, string | undefined, string];
      model.fields.push({ name: fname, type, list: Boolean(list), optional: Boolean(optional), attributes });
      if (/@unique\b/.test(attributes) || /@id\b/.test(attributes)) model.uniques.push([fname]);
    }
    models.push(model);
  }
  return { models, enums };
}
