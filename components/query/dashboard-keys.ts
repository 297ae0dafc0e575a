// Query keys for the connectors dashboard. Nested under ["connectors"] so one
// invalidation after a change (run, pause, delete) refreshes the table and the flyout.
export const dashboardKeys = {
  all: () => ["connectors"] as const,
  list: () => ["connectors", "list"] as const,
  connector: (id: string) => ["connectors", "detail", id] as const,
  runs: (id: string) => ["connectors", "detail", id, "runs"] as const,
  dailyImports: (id: string, days: number) => ["connectors", "detail", id, "daily-imports", days] as const,
  run: (runId: string) => ["connectors", "run", runId] as const,
};
