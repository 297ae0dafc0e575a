import type { Db } from "@/lib/db";

/** Whether a connector name is free (case-insensitive), optionally ignoring the connector being edited. */
export async function isConnectorNameAvailable(db: Db, name: string, excludeId?: string): Promise<boolean> {
  const nameKey = name.trim().toLowerCase();
  if (!nameKey) return false;
  const existing = await db.connector.findUnique({ where: { nameKey }, select: { id: true } });
  return !existing || existing.id === excludeId;
}
