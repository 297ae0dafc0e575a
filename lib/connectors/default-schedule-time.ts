import { createHash } from "node:crypto";

/**
 * A per-connector default start time between 01:00 and 04:59 UTC, derived from its id,
 * so connectors do not all hit their SFTP sites (and Graph) at the same minute.
 */
export function defaultScheduleTime(connectorId: string): string {
  const n = createHash("sha256").update(connectorId).digest().readUInt16BE(0) % (4 * 60);
  const minutes = 60 + n;
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}
