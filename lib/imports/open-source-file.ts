import type { PrivateKey } from "openpgp";
import { parseIceChatExport, type ParseExportOptions, type ParsedRecord, type ParseStats } from "@/lib/ice-chat";
import { unwrapSource, type SkippedEntry, type UnwrapLimits } from "@/lib/pgp/unwrap-source";

// One downloaded source file → its chat records: unwrap (PGP, gzip, zip, detected by
// content) into XML parts, then stream-parse each part. Nothing is held whole in memory.

export interface SourceRecord {
  /** The XML part the record came from (e.g. "day.zip.pgp > day.zip/chat-1.xml"). */
  part: string;
  record: ParsedRecord;
}

export interface SourceFileReport {
  parts: { name: string; stats: ParseStats }[];
  /** Zip entries not imported, with the reason. Complete once `records` is exhausted. */
  skipped: SkippedEntry[];
}

export interface OpenedSourceFile {
  /** Iterate once. Throws AppError for a file-level problem (bad PGP, bomb, malformed XML). */
  records: AsyncIterable<SourceRecord>;
  report: SourceFileReport;
  /** Deletes decrypted and decompressed temp files; call it also after an error. */
  dispose(): Promise<void>;
}

export function openSourceFile(options: {
  path: string;
  name: string;
  workDir: string;
  decryptionKeys: PrivateKey[];
  unwrapLimits?: Partial<UnwrapLimits>;
  parseOptions?: Omit<ParseExportOptions, "sourceName">;
}): OpenedSourceFile {
  const unwrapped = unwrapSource({
    path: options.path,
    name: options.name,
    workDir: options.workDir,
    decryptionKeys: options.decryptionKeys,
    limits: options.unwrapLimits,
  });
  const report: SourceFileReport = { parts: [], skipped: unwrapped.skipped };
  async function* records(): AsyncGenerator<SourceRecord> {
    for await (const part of unwrapped.parts) {
      const parse = parseIceChatExport(part.open(), { ...options.parseOptions, sourceName: part.name });
      report.parts.push({ name: part.name, stats: parse.stats });
      for await (const record of parse) yield { part: part.name, record };
    }
  }
  return { records: records(), report, dispose: () => unwrapped.dispose() };
}
