"use client";

import type { ValidationStageName } from "@/components/query/wizard-api-types";
import { Alert } from "@/components/ui/alert";
import type { ValidationState } from "@/components/wizard/wizard-state";

const STAGE_LABELS: Record<ValidationStageName, string> = {
  dns: "Resolve the host name",
  tcp: "Connect to the SFTP port",
  ssh_handshake: "SSH handshake",
  host_key: "Server host key",
  authentication: "Sign in (firm code, password, SSH key)",
  directory_listing: "List the remote directory",
  pgp_key: "PGP private key",
};

const STATUS_STYLE = {
  ok: "bg-emerald-100 text-emerald-800",
  failed: "bg-red-100 text-red-800",
  skipped: "bg-slate-200 text-slate-700",
};

type Props = {
  validation: ValidationState;
  stale: boolean;
  pinnedFingerprint: string | null;
  onConfirm: (fingerprint: string | null) => void;
};

/** The outcome of "Validate connection": each stage with its fix, then the host key to confirm. */
export function ValidationPanel({ validation, stale, pinnedFingerprint, onConfirm }: Props) {
  const { result } = validation;
  if (stale) {
    return <Alert tone="warning">You changed the connection details after validating. Validate the connection again to continue.</Alert>;
  }
  const hostKey = result.hostKey;
  return (
    <div className="space-y-4" data-testid="validation-result">
      {result.ok ? (
        <Alert tone="success">The connector reached the SFTP site and signed in.</Alert>
      ) : (
        <Alert tone="error">Validation failed. Fix the failed step below and validate again.</Alert>
      )}
      <ol className="divide-y divide-slate-200 rounded border border-slate-200" aria-label="Validation steps">
        {result.stages.map((s) => (
          <li key={s.stage} className="px-4 py-2 text-sm" data-testid={`stage-${s.stage}`} data-status={s.status}>
            <div className="flex items-center justify-between gap-3">
              <span className="font-medium">{STAGE_LABELS[s.stage] ?? s.stage}</span>
              <span className={`rounded px-2 py-0.5 text-xs font-semibold ${STATUS_STYLE[s.status]}`}>{s.status}</span>
            </div>
            {s.detail && <p className="mt-1 text-slate-700">{s.detail}</p>}
            {s.fix && (
              <p className="mt-1 text-slate-700">
                <span className="font-semibold">How to fix: </span>
                {s.fix}
              </p>
            )}
          </li>
        ))}
      </ol>
      {result.pgpCheck && (
        <p className={`text-sm ${result.pgpCheck.ok ? "text-emerald-800" : "text-red-700"}`}>Decryption test: {result.pgpCheck.detail}</p>
      )}
      {result.ok && result.files.length > 0 && (
        <p className="text-sm text-slate-700">
          Files seen in the remote directory (first {result.files.length}): {result.files.map((f) => f.name).join(", ")}
        </p>
      )}
      {hostKey && (
        <div className="rounded border border-slate-200 p-4">
          <h3 className="text-sm font-semibold">Server host key</h3>
          <dl className="mt-2 grid grid-cols-[8rem_1fr] gap-y-1 text-sm">
            <dt className="text-slate-600">Fingerprint</dt>
            <dd className="break-all font-mono" data-testid="host-key-fingerprint">
              {hostKey.fingerprint}
            </dd>
            <dt className="text-slate-600">Algorithm</dt>
            <dd className="font-mono" data-testid="host-key-algorithm">
              {hostKey.algorithm}
            </dd>
          </dl>
          {pinnedFingerprint && pinnedFingerprint !== hostKey.fingerprint && (
            <div className="mt-3">
              <Alert tone="warning">
                This differs from the fingerprint pinned for this connector ({pinnedFingerprint}). Confirm only if ICE told you the server key changed.
              </Alert>
            </div>
          )}
          {result.ok && (
            <label className="mt-3 flex items-start gap-2 text-sm">
              <input
                type="checkbox"
                className="mt-1"
                checked={validation.confirmedFingerprint === hostKey.fingerprint}
                onChange={(e) => onConfirm(e.target.checked ? hostKey.fingerprint : null)}
              />
              <span>
                I confirm this fingerprint matches the one ICE gave me
                <span className="block text-xs text-slate-600">
                  The connector pins it: a later run refuses a server that presents a different key.
                </span>
              </span>
            </label>
          )}
        </div>
      )}
    </div>
  );
}
