import { describe, expectTypeOf, it } from "vitest";
import type { z } from "zod";
import type * as views from "@/components/query/connector-views";
import type * as graph from "@/components/query/use-graph-settings";
import type { StartRunInput } from "@/components/query/use-start-run";
import type * as wizard from "@/components/query/wizard-api-types";
import type * as api from "@/lib/connectors/api-schemas";

// The browser's API types must be exactly what the server's zod schemas say arrives over
// the wire. They are derived today; these assertions catch a hand-written copy creeping
// back, and a schema field whose parsed type is not what JSON carries (a z.date() would
// reach the browser as a string, not a Date). expectTypeOf does nothing at run time:
// `tsc --noEmit` (npm test, CI) is what fails on a mismatch.

/** What JSON.parse(JSON.stringify(value)) gives back for a value of type T. */
type Jsonified<T> = T extends Date ? string : T extends readonly (infer U)[] ? Jsonified<U>[] : T extends object ? { [K in keyof T]: Jsonified<T[K]> } : T;

/** A response body as the browser receives it. */
type Wire<S extends z.ZodType> = Jsonified<z.output<S>>;

describe("browser API types", () => {
  it("connector and run views are the schemas' JSON shapes", () => {
    expectTypeOf<views.ConnectorView>().toEqualTypeOf<Wire<typeof api.connectorViewSchema>>();
    expectTypeOf<views.RunView>().toEqualTypeOf<Wire<typeof api.runViewSchema>>();
    expectTypeOf<views.RunDetailView>().toEqualTypeOf<Wire<typeof api.runDetailViewSchema>>();
    expectTypeOf<views.ConnectorStatus>().toEqualTypeOf<Wire<typeof api.connectorStatusSchema>>();
    expectTypeOf<views.RunStatus>().toEqualTypeOf<Wire<typeof api.runStatusSchema>>();
    expectTypeOf<views.AlertKind>().toEqualTypeOf<Wire<typeof api.alertKindSchema>>();
    expectTypeOf<views.RunTrigger>().toEqualTypeOf<Wire<typeof api.runViewSchema.shape.trigger>>();
    expectTypeOf<views.FailedCounters>().toEqualTypeOf<Wire<typeof api.runViewSchema.shape.failed>>();
    expectTypeOf<views.FailureReason>().toEqualTypeOf<Wire<typeof api.runDetailViewSchema.shape.failedItems.element.shape.reason>>();
    expectTypeOf<{ days: views.DailyImports[] }>().toEqualTypeOf<Wire<typeof api.dailyImportsSchema>>();
  });

  it("wizard responses are the schemas' JSON shapes", () => {
    expectTypeOf<wizard.ValidateConnectionResult>().toEqualTypeOf<Wire<typeof api.validationResultSchema>>();
    expectTypeOf<wizard.ValidationStageName>().toEqualTypeOf<Wire<typeof api.stageReportSchema.shape.stage>>();
    expectTypeOf<wizard.CheckKeysResult>().toEqualTypeOf<Wire<typeof api.checkKeysResultSchema>>();
    expectTypeOf<wizard.KeyCheck | null>().toEqualTypeOf<Wire<typeof api.checkKeysResultSchema.shape.pgp>>();
    expectTypeOf<wizard.MappingPreviewResult>().toEqualTypeOf<Wire<typeof api.mappingPreviewSchema>>();
    expectTypeOf<wizard.KeyMode>().toEqualTypeOf<Wire<typeof api.connectorViewSchema.shape.keyMode>>();
    expectTypeOf<wizard.Destination>().toEqualTypeOf<Wire<typeof api.connectorViewSchema.shape.destination>>();
  });

  it("request bodies are what the schemas accept", () => {
    expectTypeOf<wizard.ValidateConnectionInput>().toEqualTypeOf<z.input<typeof api.validateConnectionSchema>>();
    expectTypeOf<wizard.CheckKeysInput>().toEqualTypeOf<z.input<typeof api.checkKeysSchema>>();
    expectTypeOf<wizard.ConnectorWriteInput>().toEqualTypeOf<z.input<typeof api.createConnectorBodySchema>>();
    expectTypeOf<wizard.ConnectorPatchInput>().toEqualTypeOf<z.input<typeof api.updateConnectorSchema>>();
    expectTypeOf<StartRunInput>().toEqualTypeOf<z.input<typeof api.startRunSchema>>();
    // The Settings form always sends every field (blank = not given): a stricter subtype.
    expectTypeOf<graph.GraphSettingsForm>().toExtend<z.input<typeof api.graphSettingsBodySchema>>();
    expectTypeOf<keyof graph.GraphSettingsForm>().toEqualTypeOf<keyof z.input<typeof api.graphSettingsBodySchema>>();
  });

  it("Graph settings views are the schemas' JSON shapes", () => {
    expectTypeOf<graph.GraphSettingsView>().toEqualTypeOf<Wire<typeof api.graphSettingsViewSchema>>();
    expectTypeOf<graph.GraphTestResult>().toEqualTypeOf<Wire<typeof api.graphTestResultSchema>>();
    expectTypeOf<graph.GraphImportMethod>().toEqualTypeOf<Wire<typeof api.graphImportMethodSchema>>();
  });
});
