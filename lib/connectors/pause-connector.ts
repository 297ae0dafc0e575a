import type { AuditActor } from "@/lib/audit/append-audit";
import { setConnectorState } from "@/lib/connectors/set-connector-state";
import type { Db } from "@/lib/db";

/** Stops the daily schedule (a run already in progress finishes). */
export function pauseConnector(db: Db, id: string, actor: AuditActor): Promise<void> {
  return setConnectorState(db, id, "PAUSED", actor);
}
