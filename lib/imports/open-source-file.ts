import type { PrivateKey } from "openpgp";
import { parseIceChatExport, type ParseExportOptions, type ParsedRecord, type ParseStats } from "@/lib/ice-chat";
import { AppError } from "@/lib/errors";
import { unwrapSource, type SkippedEntry, type UnwrapLimits, type XmlPart } from "@/lib/pgp/unwrap-source";

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
  /**
   * The file's records. Throws AppError for a file-level problem (bad PGP, bomb, malformed
   * XML). The first traversal unwraps (decrypts, decompresses) the file; after it has run
   * to the end, records() may be iterated again: the XML is parsed again from the kept
   * plaintext, not decrypted again. A run counts a file (the daily limit), then imports it.
   */
  records(): AsyncIterable<SourceRecord>;
  /** Of the latest traversal. */
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
  const kept: XmlPart[] = [];
  let state: "new" | "unwrapping" | "unwrapped" = "new";

  async function* parts(): AsyncGenerator<XmlPart> {
    if (state === "unwrapped") {
      yield* kept;
      return;
    }
    state = "unwrapping";
    for await (const part of unwrapped.parts) {
      kept.push(part);
      yield part;
    }
    state = "unwrapped";
  }

  async function* records(): AsyncGenerator<SourceRecord> {
    if (state === "unwrapping") {
      throw new AppError("internal", `${options.name} was read again before its first reading had finished.`);
    }
    report.parts.length = 0;
    for await (const part of parts()) {
      const parse = parseIceChatExport(part.open(), { ...options.parseOptions, sourceName: part.name });
      report.parts.push({ name: part.name, stats: parse.stats });
      for await (const record of parse) yield { part: part.name, record };
    }
  }
  return { records, report, dispose: () => unwrapped.dispose() };
}
