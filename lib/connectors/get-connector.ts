import type { ConnectorView } from "@/lib/connectors/api-schemas";
import { loadConnectorViews } from "@/lib/connectors/list-connector-views";
import type { Db } from "@/lib/db";
import { AppError } from "@/lib/errors";

/** One connector's view; deleted connectors are not found. */
export async function getConnector(db: Db, id: string, now = new Date()): Promise<ConnectorView> {
  const [view] = await loadConnectorViews(db, { id }, now);
  if (!view) throw new AppError("not_found", "Connector not found.");
  return view;
}

