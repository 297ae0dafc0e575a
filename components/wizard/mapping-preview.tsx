"use client";

import type { MappingPreviewResult } from "@/components/query/wizard-api-types";
import { Alert } from "@/components/ui/alert";

/** The server's reading of a mapping file: counts, every error with its line, the first rows. */
export function MappingPreview({ result, fileName }: { result: MappingPreviewResult; fileName: string | null }) {
  const delimiter = `"${result.delimiter}"`;
  return (
    <div className="space-y-4" data-testid="mapping-preview">
      {result.errorCount > 0 ? (
        <Alert tone="error">
          {fileName ?? "The file"} has {result.errorCount} {result.errorCount === 1 ? "error" : "errors"} and cannot be used. Fix the lines below and
          upload it again.
        </Alert>
      ) : (
        <Alert tone="success">
          {fileName ?? "The file"} is valid: {result.count} {result.count === 1 ? "user" : "users"} mapped (delimiter {delimiter}).
        </Alert>
      )}
      <p className="text-sm text-slate-700" data-testid="mapping-counts">
        Valid rows: {result.count} · Errors: {result.errorCount}
      </p>
      {result.errors.length > 0 && (
        <table className="w-full text-left text-sm" aria-label="Errors in the mapping file">
          <thead className="bg-red-50 text-red-900">
            <tr>
              <th className="px-3 py-1">Line</th>
              <th className="px-3 py-1">Problem</th>
            </tr>
          </thead>
          <tbody>
            {result.errors.map((e, i) => (
              <tr key={`${e.line}-${i}`} className="border-t border-slate-200">
                <td className="px-3 py-1 font-mono">{e.line}</td>
                <td className="px-3 py-1">{e.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {result.preview.length > 0 && (
        <table className="w-full text-left text-sm" aria-label="Mapping preview">
          <caption className="mb-1 text-left text-xs text-slate-600">First {result.preview.length} rows</caption>
          <thead className="bg-slate-100 text-slate-600">
            <tr>
              <th className="px-3 py-1">Line</th>
              <th className="px-3 py-1">ICE Chat user (ImId)</th>
              <th className="px-3 py-1">Mailbox</th>
            </tr>
          </thead>
          <tbody>
            {result.preview.map((row) => (
              <tr key={row.line} className="border-t border-slate-200">
                <td className="px-3 py-1 font-mono">{row.line}</td>
                <td className="px-3 py-1">{row.imId}</td>
                <td className="px-3 py-1">{row.mailbox}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
