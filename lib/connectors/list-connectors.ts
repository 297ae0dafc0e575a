import type { Db } from "@/lib/db";

export interface ConnectorListItem {
  id: string;
  name: string;
  state: "ACTIVE" | "PAUSED";
  firmCode: string;
  sftpHost: string;
  scheduleTime: string;
  createdAt: Date;
}

/** Connectors that exist (deleted ones keep their history but are not listed). Never selects secrets. */
export async function listConnectors(db: Db): Promise<ConnectorListItem[]> {
  const rows = await db.connector.findMany({
    where: { state: { not: "DELETED" } },
    orderBy: { name: "asc" },
    select: { id: true, name: true, state: true, firmCode: true, sftpHost: true, scheduleTime: true, createdAt: true },
  });
  return rows.map((r) => ({ ...r, state: r.state === "PAUSED" ? "PAUSED" : "ACTIVE" }));
}
