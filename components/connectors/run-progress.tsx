import type { RunView } from "@/components/query/connector-views";
import { formatCount, formatUtcMinute, RUN_TRIGGER_LABELS } from "@/components/connectors/format";
import { RunStatusBadge } from "@/components/connectors/status-badge";

/** Percent done: by files when the file list is known (items are only counted as files are parsed), else by items. */
export function runPercent(run: RunView): number {
  if (run.filesFound > 0) return Math.min(100, Math.round(((run.filesProcessed + run.filesFailed) / run.filesFound) * 100));
  if (run.itemsForImport > 0) return Math.min(100, Math.round((run.itemsProcessed / run.itemsForImport) * 100));
  return 0;
}

export function RunProgress({ run }: { run: RunView }) {
  const percent = runPercent(run);
  const filesDone = run.filesProcessed + run.filesFailed;
  return (
    <div className="space-y-2 text-sm" data-testid="run-progress">
      <div className="flex flex-wrap items-center gap-2">
        <RunStatusBadge status={run.status} />
        <span className="text-slate-600">
          {RUN_TRIGGER_LABELS[run.trigger]} run, {run.startedAt ? `started ${formatUtcMinute(run.startedAt)}` : `queued ${formatUtcMinute(run.queuedAt)}`}
        </span>
      </div>
      <div
        role="progressbar"
        aria-label="Run progress"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={`${percent}%: ${filesDone} of ${run.filesFound} files, ${run.itemsProcessed} of ${run.itemsForImport} items`}
        className="h-3 w-full overflow-hidden rounded-full bg-slate-200"
      >
        <div className="h-full rounded-full bg-brand transition-[width] duration-500" style={{ width: `${percent}%` }} />
      </div>
      <dl className="grid grid-cols-2 gap-2 sm:grid-cols-4">
        <div>
          <dt className="text-xs text-slate-500">Files</dt>
          <dd className="font-semibold tabular-nums" data-testid="progress-files">
            {formatCount(filesDone)} / {formatCount(run.filesFound)}
            {run.filesFailed > 0 && <span className="ml-1 text-red-700">({formatCount(run.filesFailed)} failed)</span>}
          </dd>
        </div>
        <div>
          <dt className="text-xs text-slate-500">Items processed</dt>
          <dd className="font-semibold tabular-nums" data-testid="progress-items">
            {formatCount(run.itemsProcessed)} / {formatCount(run.itemsForImport)}
          </dd>
        </div>
        <div>
          <dt className="text-xs text-slate-500">Imported</dt>
          <dd className="font-semibold tabular-nums">{formatCount(run.imported)}</dd>
        </div>
        <div>
          <dt className="text-xs text-slate-500">Failed</dt>
          <dd className="font-semibold tabular-nums">{formatCount(run.failed.total)}</dd>
        </div>
      </dl>
      {run.currentFile && (
        <p className="truncate text-xs text-slate-500">
          Now processing <span className="font-mono">{run.currentFile}</span>
        </p>
      )}
      {run.attempts > 1 && <p className="text-xs text-amber-800">Attempt {run.attempts}: resumed after an interruption; files already done are not imported again.</p>}
    </div>
  );
}
