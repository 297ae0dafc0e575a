import type { ConnectorView } from "@/lib/connectors/api-schemas";
import { ACTIVE_RUN_STATUSES, toConnectorView } from "@/lib/connectors/connector-view";
import type { Db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";

/** Views of the connectors matching `where` (never deleted ones), sorted by name. A fixed number of queries, whatever the count. */
export async function loadConnectorViews(db: Db, where: Prisma.ConnectorWhereInput, now = new Date()): Promise<ConnectorView[]> {
  const connectors = await db.connector.findMany({ where: { AND: [where, { state: { not: "DELETED" } }] }, orderBy: { name: "asc" } });
  if (connectors.length === 0) return [];
  const ids = connectors.map((c) => c.id);
  const [mappingCounts, activeRuns, lastRuns, alerts] = await Promise.all([
    db.userMapping.groupBy({ by: ["connectorId"], where: { connectorId: { in: ids } }, _count: { _all: true } }),
    db.importRun.findMany({ where: { connectorId: { in: ids }, status: { in: [...ACTIVE_RUN_STATUSES] } }, orderBy: { queuedAt: "desc" } }),
    db.importRun.findMany({
      where: { connectorId: { in: ids }, status: { notIn: [...ACTIVE_RUN_STATUSES] } },
      orderBy: [{ connectorId: "asc" }, { queuedAt: "desc" }],
      distinct: ["connectorId"],
    }),
    db.connectorAlert.findMany({ where: { connectorId: { in: ids }, resolvedAt: null }, orderBy: { createdAt: "asc" } }),
  ]);
  const counts = new Map(mappingCounts.map((m) => [m.connectorId, m._count._all]));
  return connectors.map((connector) =>
    toConnectorView({
      connector,
      mappingRows: counts.get(connector.id) ?? 0,
      activeRun: activeRuns.find((r) => r.connectorId === connector.id) ?? null,
      lastRun: lastRuns.find((r) => r.connectorId === connector.id) ?? null,
      openAlerts: alerts.filter((a) => a.connectorId === connector.id),
      now,
    }),
  );
}

/** Every connector that exists, for the dashboard list. */
export function listConnectorViews(db: Db, now = new Date()): Promise<ConnectorView[]> {
  return loadConnectorViews(db, {}, now);
}
