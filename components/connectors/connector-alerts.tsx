import type { AlertKind, ConnectorView } from "@/components/query/connector-views";
import { formatCount, formatUtcMinute } from "@/components/connectors/format";

const KIND_LABELS: Record<AlertKind, string> = {
  HOST_KEY_MISMATCH: "Host key mismatch",
  MISSED_DAY: "Missed day",
  KEY_EXPIRY: "Key expiry",
  RUN_FAILED: "Run failed",
  LIMIT_EXCEEDED: "Limit exceeded",
  MAPPING_FAILURES: "Mapping failures",
};

interface GlanceAlert {
  key: string;
  tone: "error" | "warning";
  title: string;
  message: string;
  at: string | null;
}

const ERROR_KINDS = new Set<AlertKind>(["HOST_KEY_MISMATCH", "RUN_FAILED", "MISSED_DAY"]);

/** What needs attention, at a glance: the last run's outcome, then the open alerts (deduplicated). */
function glanceAlerts(c: ConnectorView): GlanceAlert[] {
  const open = new Set(c.alerts.map((a) => a.kind));
  const out: GlanceAlert[] = [];
  const last = c.lastRun;
  if (last?.status === "FAILED" && !open.has("RUN_FAILED")) {
    out.push({ key: "last-failed", tone: "error", title: "Last run failed", message: last.error ?? last.message ?? "The run did not finish.", at: last.finishedAt });
  }
  if (last?.status === "LIMIT_EXCEEDED" && !open.has("LIMIT_EXCEEDED")) {
    out.push({
      key: "last-limit",
      tone: "warning",
      title: "Daily item limit exceeded",
      message: last.message ?? `The run stopped before importing: more items than the limit of ${formatCount(c.dailyItemLimit)}. Approve the limit to import them.`,
      at: last.finishedAt,
    });
  }
  if (last && last.failed.userMapping > 0 && !open.has("MAPPING_FAILURES")) {
    out.push({
      key: "last-mapping",
      tone: "warning",
      title: "Items failed user mapping",
      message: `${formatCount(last.failed.userMapping)} item(s) in the last run had no mailbox for a participant. Add them to the mapping file and backfill the day.`,
      at: last.finishedAt,
    });
  }
  for (const a of c.alerts) {
    out.push({ key: a.id, tone: ERROR_KINDS.has(a.kind) ? "error" : "warning", title: KIND_LABELS[a.kind], message: a.message, at: a.createdAt });
  }
  return out;
}

export function ConnectorAlerts({ connector }: { connector: ConnectorView }) {
  const alerts = glanceAlerts(connector);
  if (alerts.length === 0) return null;
  return (
    <ul className="space-y-2" aria-label="Alerts" data-testid="connector-alerts">
      {alerts.map((a) => (
        <li
          key={a.key}
          className={`rounded border px-4 py-2 text-sm ${a.tone === "error" ? "border-red-300 bg-red-50 text-red-900" : "border-amber-300 bg-amber-50 text-amber-900"}`}
        >
          <span className="font-semibold">{a.title}.</span> {a.message}
          {a.at && <span className="ml-1 text-xs opacity-75">({formatUtcMinute(a.at)})</span>}
        </li>
      ))}
    </ul>
  );
}
