import type { Db } from "@/lib/db";
import type { AlertKind } from "@/lib/generated/prisma/enums";

/** Opens an alert on a connector unless the same kind is already open (no alert storms). */
export async function raiseAlert(db: Db, connectorId: string, kind: AlertKind, message: string): Promise<void> {
  const open = await db.connectorAlert.findFirst({ where: { connectorId, kind, resolvedAt: null }, select: { id: true } });
  if (open) await db.connectorAlert.update({ where: { id: open.id }, data: { message } });
  else await db.connectorAlert.create({ data: { connectorId, kind, message } });
}

export async function resolveAlerts(db: Db, connectorId: string, kinds: AlertKind[]): Promise<void> {
  await db.connectorAlert.updateMany({ where: { connectorId, kind: { in: kinds }, resolvedAt: null }, data: { resolvedAt: new Date() } });
}
