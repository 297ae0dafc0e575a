import type { ConnectorView } from "@/components/query/connector-views";
import { buttonClass } from "@/components/ui/button";
import { formatCount } from "@/components/connectors/format";

export function MappingSettings({ connector: c }: { connector: ConnectorView }) {
  return (
    <div className="space-y-3 text-sm">
      <dl className="grid grid-cols-[9rem_1fr] gap-x-3 gap-y-1.5">
        <dt className="text-slate-600">Automatic mapping</dt>
        <dd data-testid="auto-mapping">{c.autoMapping ? "On (ICE e-mail addresses are used when no row matches)" : "Off"}</dd>
        <dt className="text-slate-600">Custom mapping</dt>
        <dd data-testid="mapping-rows">
          {c.mappingRows === 0 ? "No rows uploaded" : `${formatCount(c.mappingRows)} row${c.mappingRows === 1 ? "" : "s"}`}
        </dd>
      </dl>
      {c.mappingRows > 0 && (
        // A plain link: the browser streams the file with our session cookie.
        <a href={`/api/v1/connectors/${encodeURIComponent(c.id)}/mapping.csv`} download className={buttonClass("secondary")}>
          Download current mapping
        </a>
      )}
    </div>
  );
}
