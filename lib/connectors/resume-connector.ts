import type { AuditActor } from "@/lib/audit/append-audit";
import { setConnectorState } from "@/lib/connectors/set-connector-state";
import type { Db } from "@/lib/db";

/** Puts the connector back on its daily schedule. */
export function resumeConnector(db: Db, id: string, actor: AuditActor): Promise<void> {
  return setConnectorState(db, id, "ACTIVE", actor);
}
