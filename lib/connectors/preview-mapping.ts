import type { MappingPreview } from "@/lib/connectors/api-schemas";
import { parseMappingCsv } from "@/lib/mapping/parse-mapping-csv";

/** What the wizard shows before a mapping file is saved: counts, every error with its line, the first rows. */
export function previewMapping(csv: string): MappingPreview {
  const result = parseMappingCsv(csv);
  const row = (r: { imId: string; mailbox: string; line: number }) => ({ imId: r.imId, mailbox: r.mailbox, line: r.line });
  if (result.ok) {
    return { ok: true, count: result.count, errorCount: 0, errors: [], preview: result.preview.map(row), delimiter: result.delimiter };
  }
  return {
    ok: false,
    count: result.validCount,
    errorCount: result.errorCount,
    errors: result.errors.map((e) => ({ line: e.line, message: e.message })),
    preview: result.rowsPreview.map(row),
    delimiter: result.delimiter ?? ",",
  };
}
