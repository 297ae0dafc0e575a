// Query keys for the connector wizard. Nested under ["connectors"] (like dashboardKeys)
// so one invalidation after create/update refreshes the dashboard as well, but under
// "wizard" so the wizard's cached shapes never collide with the dashboard's.
export const connectorKeys = {
  all: () => ["connectors"] as const,
  forEdit: (id: string) => ["connectors", "wizard", "detail", id] as const,
  nameAvailable: (name: string, excludeId: string | undefined) => ["connectors", "wizard", "name-available", name, excludeId ?? null] as const,
};
