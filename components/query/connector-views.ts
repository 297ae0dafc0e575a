// The REST API's connector and run views as the browser sees them. Derived from the zod
// schemas the routes answer with, so a field added there reaches the components without
// a hand-kept copy. `import type` only: it is erased at compile time and pulls nothing
// into a client bundle (tests/unit/client-bundle-imports.test.ts holds that line).
// Dates already travel as ISO strings in the schemas (their `iso` helper), so the
// inferred types are the JSON shapes; tests/unit/browser-api-types.test.ts keeps it so.

import type { ConnectorView, DailyImports as DailyImportsResponse, RunDetailView, RunView } from "@/lib/connectors/api-schemas";

export type { ConnectorStatus, ConnectorView, RunDetailView, RunView } from "@/lib/connectors/api-schemas";

export type RunStatus = RunView["status"];
export type RunTrigger = RunView["trigger"];
export type FailedCounters = RunView["failed"];
export type AlertKind = ConnectorView["alerts"][number]["kind"];
export type FailureReason = RunDetailView["failedItems"][number]["reason"];

/** One UTC day of the daily-imports response. */
export type DailyImports = DailyImportsResponse["days"][number];

/** A run is active while queued or running: the UI polls fast then. */
export function isActiveRun(run: Pick<RunView, "status"> | null | undefined): boolean {
  return run?.status === "QUEUED" || run?.status === "RUNNING";
}
