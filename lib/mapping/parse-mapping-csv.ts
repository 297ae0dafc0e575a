// Parses the custom user-mapping CSV (`ImId,Mailbox`) an admin uploads in the wizard.
// All or nothing: a file with any error is never partly applied, so the result is either
// every row or every problem found (with line numbers), plus what the wizard's preview
// table needs. Hostile input (binary, huge, malformed) yields errors, never a throw.
import { parse, CsvError } from "csv-parse/sync";
import { isValidEmailAddress } from "@/lib/mapping/email-address";

export const MAPPING_COLUMNS = ["ImId", "Mailbox"] as const;

export const DEFAULT_MAX_MAPPING_FILE_BYTES = 5 * 1024 * 1024;
/** A row is two addresses (at most 254 characters each); anything far larger is not a mapping file. */
export const DEFAULT_MAX_MAPPING_RECORD_SIZE = 4096;
export const DEFAULT_MAPPING_PREVIEW_ROWS = 20;
export const DEFAULT_MAX_REPORTED_ERRORS = 500;

export type MappingDelimiter = "," | ";";

export interface MappingRow {
  /** As written in the file (trimmed); compare case-insensitively. */
  imId: string;
  /** Lower case. */
  mailbox: string;
  /** 1-based line where the row starts. */
  line: number;
}

export interface MappingCsvError {
  /** 1-based line; 0 means the file as a whole (size, encoding, emptiness). */
  line: number;
  message: string;
}

export interface ParseMappingCsvOptions {
  maxFileBytes?: number;
  /** Passed to csv-parse as max_record_size (characters in one record). */
  maxRecordSize?: number;
  /** How many valid rows to return for the preview table. */
  previewRows?: number;
  /** Cap on returned errors; `errorCount` still counts them all. */
  maxReportedErrors?: number;
}

export type ParseMappingCsvResult =
  | {
      ok: true;
      rows: MappingRow[];
      count: number;
      preview: MappingRow[];
      delimiter: MappingDelimiter;
    }
  | {
      ok: false;
      /** Sorted by line, at most `maxReportedErrors`. */
      errors: MappingCsvError[];
      errorCount: number;
      /** Rows that passed every check (the file is still rejected as a whole). */
      validCount: number;
      rowsPreview: MappingRow[];
      delimiter?: MappingDelimiter;
    };

// Values echoed into messages are cut short: the wizard shows them and the file is hostile.
const MAX_ECHOED_VALUE = 80;

export function parseMappingCsv(input: string | Buffer, options: ParseMappingCsvOptions = {}): ParseMappingCsvResult {
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_MAPPING_FILE_BYTES;
  const maxRecordSize = options.maxRecordSize ?? DEFAULT_MAX_MAPPING_RECORD_SIZE;
  const previewRows = options.previewRows ?? DEFAULT_MAPPING_PREVIEW_ROWS;
  const maxReportedErrors = options.maxReportedErrors ?? DEFAULT_MAX_REPORTED_ERRORS;

  const decoded = decodeMappingText(input, maxFileBytes);
  if ("error" in decoded) return failure([{ line: 0, message: decoded.error }], [], previewRows, maxReportedErrors);
  const text = decoded.text;

  const header = findHeaderLine(text);
  if (!header) return failure([{ line: 0, message: "The file is empty: expected a header row ImId,Mailbox." }], [], previewRows, maxReportedErrors);
  const delimiter = detectDelimiter(header.text);

  const errors: MappingCsvError[] = [];
  const rows: MappingRow[] = [];
  const firstLineOfImId = new Map<string, number>();
  let columns: { imId: number; mailbox: number; width: number } | undefined;
  let headerSeen = false;
  let headerBroken = false;
  let previousEndLine = 0;
  let previousEmptyLines = 0;

  const handleRecord = (record: string[], line: number): void => {
    if (!headerSeen) {
      headerSeen = true;
      const checked = checkHeader(record, line);
      if ("errors" in checked) {
        errors.push(...checked.errors);
        headerBroken = true;
      } else {
        columns = checked;
      }
      return;
    }
    // Rows cannot be checked against a broken header; the header errors say what to fix.
    if (headerBroken || !columns) return;

    if (record.length !== columns.width) {
      errors.push({ line, message: `Expected ${columns.width} columns (ImId${delimiter}Mailbox), found ${record.length}.` });
      return;
    }
    const imId = (record[columns.imId] ?? "").trim();
    const mailbox = (record[columns.mailbox] ?? "").trim();
    let rowOk = true;

    if (imId === "") {
      errors.push({ line, message: "ImId is empty." });
      rowOk = false;
    } else if (!isValidEmailAddress(imId)) {
      errors.push({ line, message: `ImId "${echo(imId)}" is not an e-mail-shaped ICE id.` });
      rowOk = false;
    } else {
      const key = imId.toLowerCase();
      const firstLine = firstLineOfImId.get(key);
      if (firstLine !== undefined) {
        errors.push({ line, message: `ImId "${echo(imId)}" is listed twice (first on line ${firstLine}).` });
        rowOk = false;
      } else {
        firstLineOfImId.set(key, line);
      }
    }

    if (mailbox === "") {
      errors.push({ line, message: "Mailbox is empty." });
      rowOk = false;
    } else if (!isValidEmailAddress(mailbox)) {
      const hint = mailbox.includes("<") ? " (write the bare address, without a display name)" : "";
      errors.push({ line, message: `Mailbox "${echo(mailbox)}" is not a valid e-mail address${hint}.` });
      rowOk = false;
    }

    if (rowOk) rows.push({ imId, mailbox: mailbox.toLowerCase(), line });
  };

  try {
    parse(text, {
      bom: true,
      delimiter,
      // Mixed line endings are common in hand-edited files; accept all three.
      record_delimiter: ["\r\n", "\n", "\r"],
      relax_column_count: true,
      skip_empty_lines: true,
      max_record_size: maxRecordSize,
      on_record: (record: string[], context) => {
        // csv-parse reports the line where a record ENDS; users look for where it starts.
        const line = previousEndLine + 1 + (context.empty_lines - previousEmptyLines);
        previousEndLine = context.lines;
        previousEmptyLines = context.empty_lines;
        if (!record.every((cell) => cell.trim() === "")) handleRecord(record, line);
        return null;
      },
    });
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    // csv-parse cannot resynchronise after a structural error: report it and stop (the
    // file is rejected anyway). An unclosed quote or an overlong record is reported where
    // the record starts, since csv-parse only notices at the end of the file or record.
    const emptyLines = typeof err.empty_lines === "number" ? err.empty_lines : previousEmptyLines;
    const recordStart = previousEndLine + 1 + Math.max(0, emptyLines - previousEmptyLines);
    const atLine = typeof err.lines === "number" ? err.lines : recordStart;
    const startsRecord = err.code === "CSV_QUOTE_NOT_CLOSED" || err.code === "CSV_MAX_RECORD_SIZE";
    errors.push({ line: startsRecord ? recordStart : atLine, message: describeCsvError(err, maxRecordSize) });
  }

  if (!headerSeen && errors.length === 0) errors.push({ line: 0, message: "The file is empty: expected a header row ImId,Mailbox." });
  else if (errors.length === 0 && rows.length === 0) {
    // An empty mapping would silently unmap everyone; almost certainly the wrong file.
    errors.push({ line: 0, message: "The file has a header but no mapping rows." });
  }

  if (errors.length > 0) return failure(errors, rows, previewRows, maxReportedErrors, delimiter);
  return { ok: true, rows, count: rows.length, preview: rows.slice(0, previewRows), delimiter };
}

function failure(
  errors: MappingCsvError[],
  rows: MappingRow[],
  previewRows: number,
  maxReportedErrors: number,
  delimiter?: MappingDelimiter,
): ParseMappingCsvResult {
  const sorted = [...errors].sort((a, b) => a.line - b.line);
  return {
    ok: false,
    errors: sorted.slice(0, maxReportedErrors),
    errorCount: errors.length,
    validCount: rows.length,
    rowsPreview: rows.slice(0, previewRows),
    ...(delimiter ? { delimiter } : {}),
  };
}

function decodeMappingText(input: string | Buffer, maxFileBytes: number): { text: string } | { error: string } {
  const size = typeof input === "string" ? Buffer.byteLength(input, "utf8") : input.length;
  if (size > maxFileBytes) {
    return { error: `The file is ${formatBytes(size)}; the limit is ${formatBytes(maxFileBytes)}.` };
  }
  let text: string;
  if (typeof input === "string") {
    // A JS string with a lone surrogate cannot have come from valid UTF-8.
    if (/[\uD800-\uDFFF]/u.test(input)) return { error: "The file is not valid UTF-8 text." };
    text = input;
  } else {
    try {
      // ignoreBOM keeps a leading BOM in the text; csv-parse's `bom` option removes it.
      text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(input);
    } catch {
      return { error: "The file is not valid UTF-8 text. Save it as CSV UTF-8 and upload it again." };
    }
  }
  if (text.includes("\u0000")) return { error: "The file contains binary data (NUL bytes); expected a CSV text file." };
  return { text };
}

/** The first non-blank line (BOM removed), or undefined for a blank file. */
function findHeaderLine(text: string): { text: string } | undefined {
  const body = text.startsWith("\uFEFF") ? text.slice(1) : text;
  for (const line of body.split(/\r\n|\n|\r/, 64)) {
    if (line.trim() !== "") return { text: line };
  }
  return undefined;
}

/** The delimiter used more often outside quotes in the header line; `,` on a tie. */
function detectDelimiter(headerLine: string): MappingDelimiter {
  let commas = 0;
  let semicolons = 0;
  let quoted = false;
  for (const ch of headerLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === ",") commas++;
    else if (!quoted && ch === ";") semicolons++;
  }
  return semicolons > commas ? ";" : ",";
}

/**
 * Header names match exactly, ignoring case and surrounding whitespace (spreadsheets
 * often pad cells); columns may come in either order.
 */
function checkHeader(
  record: string[],
  line: number,
): { imId: number; mailbox: number; width: number } | { errors: MappingCsvError[] } {
  const errors: MappingCsvError[] = [];
  const positions = new Map<string, number>();
  record.forEach((raw, index) => {
    const name = raw.trim();
    const known = MAPPING_COLUMNS.find((c) => c.toLowerCase() === name.toLowerCase());
    if (!known) {
      errors.push({
        line,
        message: name === "" ? `Header column ${index + 1} is empty.` : `Unexpected header column "${echo(name)}".`,
      });
    } else if (positions.has(known)) {
      errors.push({ line, message: `Duplicate header column "${known}".` });
    } else {
      positions.set(known, index);
    }
  });
  for (const column of MAPPING_COLUMNS) {
    if (!positions.has(column)) errors.push({ line, message: `Missing header column "${column}".` });
  }
  const imId = positions.get("ImId");
  const mailbox = positions.get("Mailbox");
  if (errors.length > 0 || imId === undefined || mailbox === undefined) {
    if (errors.length > 0) {
      errors.push({ line, message: "The header row must be exactly ImId,Mailbox (or ImId;Mailbox)." });
    }
    return { errors };
  }
  return { imId, mailbox, width: record.length };
}

function describeCsvError(err: CsvError, maxRecordSize: number): string {
  switch (err.code) {
    case "CSV_QUOTE_NOT_CLOSED":
      return "A quoted value starts on this line but its closing quote is missing.";
    case "CSV_MAX_RECORD_SIZE":
      return `A row is longer than ${maxRecordSize} characters; this is not a mapping file (or a quote is not closed).`;
    case "CSV_INVALID_CLOSING_QUOTE":
      return "A closing quote is followed by other characters; quote the whole value.";
    case "INVALID_OPENING_QUOTE":
      return "A quote appears inside an unquoted value; quote the whole value or remove the quote.";
    default:
      return "The file is not valid CSV.";
  }
}

function echo(value: string): string {
  // Control characters would garble the wizard's error list; show them as spaces.
  const clean = value.replace(/[\u0000-\u001f\u007f]/g, " ");
  return clean.length > MAX_ECHOED_VALUE ? `${clean.slice(0, MAX_ECHOED_VALUE)}…` : clean;
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} bytes`;
}
