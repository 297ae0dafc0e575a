import type { ConnectorView } from "@/components/query/connector-views";
import { formatCount } from "@/components/connectors/format";

function Flag({ set, label }: { set: boolean; label: string }) {
  return (
    <li className={set ? "text-emerald-800" : "text-slate-500"}>
      <span aria-hidden>{set ? "✓ " : "– "}</span>
      {label} {set ? "set" : "not set"}
    </li>
  );
}

/** Where and how the connector connects. The view holds no secrets; only whether each one is set. */
export function ConnectionDetails({ connector: c }: { connector: ConnectorView }) {
  return (
    <dl className="grid grid-cols-[9rem_1fr] gap-x-3 gap-y-1.5 text-sm" data-testid="connection-details">
      <dt className="text-slate-600">SFTP host</dt>
      <dd className="break-all font-mono">{c.sftpHost}</dd>
      <dt className="text-slate-600">Port</dt>
      <dd className="font-mono">{c.sftpPort}</dd>
      <dt className="text-slate-600">Firm code</dt>
      <dd className="font-mono">{c.firmCode}</dd>
      <dt className="text-slate-600">Keys</dt>
      <dd>{c.keyMode === "platform" ? "Platform keys (generated here)" : "Your own keys"}</dd>
      <dt className="text-slate-600">Pinned host key</dt>
      <dd>
        {c.hostKeyFingerprint ? (
          <>
            <span className="break-all font-mono text-xs">{c.hostKeyFingerprint}</span>
            {c.hostKeyAlgorithm && <span className="ml-1 text-slate-500">({c.hostKeyAlgorithm})</span>}
          </>
        ) : (
          <span className="text-amber-800">Not pinned</span>
        )}
      </dd>
      <dt className="text-slate-600">Remote directory</dt>
      <dd className="break-all font-mono">{c.remoteDirectory}</dd>
      <dt className="text-slate-600">Destination</dt>
      <dd>{c.destination === "graph" ? "Microsoft 365 mailboxes (Graph)" : "Local archive"}</dd>
      <dt className="text-slate-600">Schedule</dt>
      <dd>
        Daily at {c.scheduleTime} UTC, last {c.lookbackHours} h{c.state === "paused" ? " (paused)" : ""}
      </dd>
      <dt className="text-slate-600">Daily item limit</dt>
      <dd>{formatCount(c.dailyItemLimit)}</dd>
      <dt className="text-slate-600">Credentials</dt>
      <dd>
        <ul data-testid="credential-flags">
          <Flag set={c.hasPassword} label="Password" />
          {c.keyMode === "own" && <Flag set={c.hasSshPrivateKey} label="SSH private key" />}
          {c.keyMode === "own" && <Flag set={c.hasPgpPrivateKey} label="PGP private key" />}
        </ul>
      </dd>
    </dl>
  );
}
