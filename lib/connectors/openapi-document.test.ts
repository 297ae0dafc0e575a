import { describe, expect, it } from "vitest";
import type { z } from "zod";
import type { graphSettingsViewSchema } from "@/lib/connectors/api-schemas";
import { openApiDocument } from "@/lib/connectors/openapi-document";
import type { GraphSettingsView } from "@/lib/settings/graph-settings";

type Json = Record<string, unknown>;

// The documented view must be exactly what getGraphSettingsView returns (compile-time).
type ApiView = z.infer<typeof graphSettingsViewSchema>;
const viewMatches: [ApiView] extends [GraphSettingsView] ? ([GraphSettingsView] extends [ApiView] ? true : false) : false = true;

describe("openApiDocument: Microsoft 365 settings", () => {
  const doc = openApiDocument() as unknown as { paths: Record<string, Record<string, Json>>; components: { schemas: Record<string, Json> } };

  it("documents the settings endpoints", () => {
    expect(viewMatches).toBe(true);
    expect(Object.keys(doc.paths["/api/v1/settings/graph"] ?? {}).sort()).toEqual(["delete", "get", "put"]);
    expect(Object.keys(doc.paths["/api/v1/settings/graph/test"] ?? {})).toEqual(["post"]);
    const put = doc.paths["/api/v1/settings/graph"]?.put as { responses: Record<string, unknown> };
    expect(Object.keys(put.responses)).toEqual(expect.arrayContaining(["200", "401", "403", "422"]));
  });

  it("describes the import method in the input and the view as json | importMime, naming the beta caveat and the permission", () => {
    const input = doc.components.schemas.GraphSettingsInput as { properties: Record<string, Json>; required?: string[] };
    expect(input.properties.importMethod).toMatchObject({ enum: ["json", "importMime"] });
    expect(input.required ?? []).not.toContain("importMethod");
    const view = doc.components.schemas.GraphSettingsView as { properties: Record<string, Json>; required: string[] };
    expect(view.properties.importMethod).toMatchObject({ enum: ["json", "importMime"] });
    expect(String(view.properties.importMethod?.description)).toMatch(/beta/);
    expect(String(view.properties.importMethod?.description)).toMatch(/Mail-Advanced\.ReadWrite\.All/);
    expect(view.required).toContain("importMethod");
    expect(Object.keys(view.properties)).not.toContain("clientSecret");
  });
});
