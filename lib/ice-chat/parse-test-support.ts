// Helpers shared by the parser's tests (not used by production code).

import { readFileSync } from "node:fs";
import path from "node:path";
import { parseIceChatExport, type ParseExportOptions, type ParseStats } from "./parse-export";
import type { ChatItemError, ParsedRecord } from "./parse-types";
import type { ChatItem } from "./types";

export interface ParseOutcome {
  records: ParsedRecord[];
  items: ChatItem[];
  errors: ChatItemError[];
  stats: ParseStats;
}

export function toBytes(xml: string | Uint8Array): Buffer {
  return typeof xml === "string" ? Buffer.from(xml, "utf8") : Buffer.from(xml);
}

/** Splits bytes into chunks of the given sizes (cycled), e.g. [1] = one byte at a time. */
export function chunkBytes(bytes: Buffer, sizes: readonly number[]): Buffer[] {
  const chunks: Buffer[] = [];
  let offset = 0;
  let i = 0;
  while (offset < bytes.length) {
    const size = Math.max(1, sizes[i % sizes.length]!);
    chunks.push(bytes.subarray(offset, offset + size));
    offset += size;
    i++;
  }
  return chunks;
}

export async function parseChunks(chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>, options?: ParseExportOptions): Promise<ParseOutcome> {
  const parse = parseIceChatExport(chunks, options);
  const records: ParsedRecord[] = [];
  for await (const record of parse) records.push(record);
  return {
    records,
    items: records.flatMap((r) => (r.kind === "item" ? [r.item] : [])),
    errors: records.flatMap((r) => (r.kind === "error" ? [r.error] : [])),
    stats: parse.stats,
  };
}

export function parseXml(xml: string | Uint8Array, options?: ParseExportOptions): Promise<ParseOutcome> {
  return parseChunks([toBytes(xml)], options);
}

/** The sample of /shared/ice-chat-format.md, kept verbatim in the test data. */
export function formatDocSample(): string {
  return readFileSync(path.join(__dirname, "testdata", "format-doc-sample.xml"), "utf8");
}

/** Wraps conversations in the export root. */
export function exportOf(body: string, rootAttributes = 'firmCode="ACME01"'): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<IceChatExport ${rootAttributes}>\n${body}\n</IceChatExport>\n`;
}

export function user(imId: string, extra = ""): string {
  return `<User><ImId>${imId}</ImId>${extra}</User>`;
}

export function entered(imId: string, extra = "", at = "2026-11-22T13:00:00Z"): string {
  return `<ParticipantEntered><DateTime>${at}</DateTime>${user(imId, extra)}</ParticipantEntered>`;
}

export function left(imId: string, at = "2026-11-22T13:30:00Z"): string {
  return `<ParticipantLeft><DateTime>${at}</DateTime>${user(imId)}</ParticipantLeft>`;
}

export function message(id: string, body: string, at = "2026-11-22T13:05:00Z"): string {
  return `<Message><MessageID>${id}</MessageID><DateTime>${at}</DateTime>${body}</Message>`;
}

/** A stable, comparable view of records (Buffers as base64, Dates as ISO). */
export function serializeRecords(records: ParsedRecord[]): string {
  return JSON.stringify(records, (_key, value: unknown) => {
    if (value && typeof value === "object" && (value as { type?: string }).type === "Buffer") {
      return Buffer.from((value as { data: number[] }).data).toString("base64");
    }
    return value;
  });
}
