// Streaming ICE Chat export parser: bytes in, ParsedRecords out, one input chunk at a time.
//
// Safety: saxes never expands DTD entities and we refuse any DOCTYPE outright; bytes are
// decoded as strict UTF-8; text, attributes, nesting and "bytes between two XML events"
// are all capped, so memory stays flat however large or hostile the file is.
//
// Backpressure: the next input chunk is read only after the consumer has taken every
// record the previous chunk produced.

import { SaxesParser } from "saxes";
import { AppError, isAppError } from "@/lib/errors";
import { compileDialect, type CompiledDialect } from "./dialect";
import { ExportHandler } from "./export-handler";
import {
  PARSE_DEFAULTS,
  createParseStats,
  type ParseExportOptions,
  type ParseStats,
  type ParsedRecord,
  type ResolvedParseOptions,
} from "./parse-types";

export type { ChatItemError, ParseExportOptions, ParseStats, ParsedRecord } from "./parse-types";

/** Bytes given to the decoder and saxes at once: bounds how many records one step produces. */
const SLICE_BYTES = 256 * 1024;
/** Slack on top of the largest allowed text for tag syntax, whitespace and entity forms. */
const TOKEN_SLACK_CHARS = 64 * 1024;

export type ExportInput = AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

export interface IceChatExportParse extends AsyncIterable<ParsedRecord> {
  /** Live counters; complete once iteration has finished. */
  readonly stats: ParseStats;
}

let defaultDialect: CompiledDialect | undefined;

function resolveOptions(options: ParseExportOptions): ResolvedParseOptions {
  defaultDialect ??= compileDialect();
  const resolved: ResolvedParseOptions = {
    maxTextLength: options.maxTextLength ?? PARSE_DEFAULTS.maxTextLength,
    maxAttachmentDataLength: options.maxAttachmentDataLength ?? PARSE_DEFAULTS.maxAttachmentDataLength,
    maxAttributeLength: options.maxAttributeLength ?? PARSE_DEFAULTS.maxAttributeLength,
    maxAttributesPerElement: options.maxAttributesPerElement ?? PARSE_DEFAULTS.maxAttributesPerElement,
    maxDepth: options.maxDepth ?? PARSE_DEFAULTS.maxDepth,
    maxAttachmentBytesPerMessage: options.maxAttachmentBytesPerMessage ?? PARSE_DEFAULTS.maxAttachmentBytesPerMessage,
    maxParticipantsPerConversation:
      options.maxParticipantsPerConversation ?? PARSE_DEFAULTS.maxParticipantsPerConversation,
    inferRecipientsFromParticipants:
      options.inferRecipientsFromParticipants ?? PARSE_DEFAULTS.inferRecipientsFromParticipants,
    dialect: options.dialect ?? defaultDialect,
  };
  if (options.sourceName !== undefined) resolved.sourceName = options.sourceName;
  for (const key of [
    "maxTextLength",
    "maxAttachmentDataLength",
    "maxAttributeLength",
    "maxAttributesPerElement",
    "maxDepth",
    "maxAttachmentBytesPerMessage",
    "maxParticipantsPerConversation",
  ] as const) {
    const value = resolved[key];
    if (!Number.isInteger(value) || value < 1) {
      throw new AppError("config_invalid", `ICE Chat parser option ${key} must be a positive integer`);
    }
  }
  return resolved;
}

/**
 * Parses one ICE Chat XML export (already decrypted and decompressed). Yields one record per
 * <Message>: `{kind:"item"}` or `{kind:"error"}` for a message that cannot be an item (the
 * file goes on). A structurally unusable file (malformed or truncated XML, DOCTYPE, invalid
 * UTF-8, caps exceeded) throws AppError("source_invalid") from the iteration; records yielded
 * before that are complete messages, and the caller should count the file as failed.
 *
 * Items share frozen `context` objects between messages: do not mutate them.
 */
export function parseIceChatExport(input: ExportInput, options: ParseExportOptions = {}): IceChatExportParse {
  const resolved = resolveOptions(options);
  const stats = createParseStats();
  let started = false;
  return {
    stats,
    [Symbol.asyncIterator]() {
      if (started) throw new AppError("internal", "an ICE Chat export stream can be parsed only once");
      started = true;
      return runParse(input, resolved, stats);
    },
  };
}

async function* runParse(
  input: ExportInput,
  options: ResolvedParseOptions,
  stats: ParseStats,
): AsyncGenerator<ParsedRecord, void, undefined> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const parser = new SaxesParser({ position: true });
  const handler = new ExportHandler(parser, options.dialect, options, stats);
  const pending = handler.pending;
  const maxTokenChars =
    Math.max(options.maxTextLength, options.maxAttachmentDataLength, options.maxAttributeLength) + TOKEN_SLACK_CHARS;
  let sniffed = false;
  let head: string | null = ""; // start of the document until its XML declaration is checked

  const feed = (text: string): void => {
    if (text.length === 0) return;
    if (head !== null) {
      head += text;
      if (head.length >= 8 || head.includes("?>")) {
        checkDeclaredEncoding(head, options.sourceName);
        if (!head.startsWith("<?xml") || head.includes("?>") || head.length > 1024) head = null;
      }
    }
    try {
      parser.write(text);
    } catch (err) {
      throw asStructuralError(err, handler);
    }
    // saxes buffers a text node, comment, tag or DOCTYPE whole before its event; an
    // over-long one is refused here, while it is still growing, not after it is complete.
    if (parser.position - handler.lastEventPosition > maxTokenChars) {
      throw handler.structural(`an XML text, tag, comment or DOCTYPE exceeds ${maxTokenChars} characters`);
    }
  };

  for await (const chunk of input) {
    if (!(chunk instanceof Uint8Array)) {
      throw new AppError("internal", "ICE Chat parser input must be bytes (do not set an encoding on the stream)");
    }
    for (let offset = 0; offset < chunk.length; offset += SLICE_BYTES) {
      const bytes = chunk.subarray(offset, offset + SLICE_BYTES);
      if (!sniffed) sniffed = sniffXmlStart(bytes, stats.bytesRead, options.sourceName);
      let failure: unknown = null;
      try {
        feed(decodeUtf8(decoder, bytes, stats.bytesRead, options.sourceName, true));
      } catch (err) {
        failure = err;
      }
      stats.bytesRead += bytes.length;
      // Records completed before a structural error are real messages: hand them over first.
      for (let i = 0; i < pending.length; i++) yield pending[i]!;
      pending.length = 0;
      if (failure) throw failure;
    }
  }

  let failure: unknown = null;
  try {
    if (stats.bytesRead === 0) throw sourceError(options.sourceName, "the file is empty");
    feed(decodeUtf8(decoder, new Uint8Array(0), stats.bytesRead, options.sourceName, false));
    if (handler.depth > 0) {
      throw handler.structural(`the file is truncated: it ends inside <${handler.openElementName ?? "?"}>`);
    }
    try {
      parser.close();
    } catch (err) {
      throw asStructuralError(err, handler);
    }
  } catch (err) {
    failure = err;
  }
  for (let i = 0; i < pending.length; i++) yield pending[i]!;
  pending.length = 0;
  if (failure) throw failure;
}

/**
 * The bytes are decoded as strict UTF-8; a file declaring another encoding would be misread,
 * so it is refused with a message that says why.
 */
function checkDeclaredEncoding(head: string, sourceName: string | undefined): void {
  if (!head.startsWith("<?xml")) return;
  const end = head.indexOf("?>");
  const declaration = end === -1 ? head : head.slice(0, end);
  const match = /\sencoding\s*=\s*(["'])([^"']*)\1/.exec(declaration);
  if (!match) return;
  const encoding = match[2]!.toLowerCase();
  if (encoding !== "utf-8" && encoding !== "utf8" && encoding !== "us-ascii" && encoding !== "ascii") {
    throw sourceError(sourceName, `unsupported encoding ${JSON.stringify(match[2]!.slice(0, 40))}: only UTF-8 is accepted`);
  }
}

function sourceError(sourceName: string | undefined, message: string): AppError {
  const source = sourceName ? ` ${JSON.stringify(sourceName)}` : "";
  return new AppError("source_invalid", `ICE Chat export${source} rejected: ${message}`);
}

function decodeUtf8(
  decoder: TextDecoder,
  bytes: Uint8Array,
  bytesBefore: number,
  sourceName: string | undefined,
  stream: boolean,
): string {
  try {
    return decoder.decode(bytes, { stream });
  } catch {
    const where = stream ? `within bytes ${bytesBefore}-${bytesBefore + bytes.length}` : "at the end of the file";
    throw sourceError(sourceName, `invalid UTF-8 ${where}`);
  }
}

/**
 * The first non-blank byte of an XML export is '<'. Anything else is most likely a file that
 * is still compressed or encrypted: say so instead of reporting a cryptic XML error.
 * Returns true once the decision is made.
 */
function sniffXmlStart(bytes: Uint8Array, bytesBefore: number, sourceName: string | undefined): boolean {
  let i = 0;
  if (bytesBefore === 0 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d) {
      i++;
      continue;
    }
    if (b === 0x3c) return true;
    const head = bytes.subarray(i, i + 4);
    const hex = Buffer.from(head).toString("hex").replace(/(..)(?!$)/g, "$1 ");
    throw sourceError(sourceName, `not XML (starts with bytes ${hex}${describeMagic(head)})`);
  }
  return false;
}

function describeMagic(head: Uint8Array): string {
  if (head[0] === 0x1f && head[1] === 0x8b) return ": gzip data, decompress it first";
  if (head[0] === 0x50 && head[1] === 0x4b) return ": a zip archive, extract it first";
  if (head[0] === 0x2d && head[1] === 0x2d && head[2] === 0x2d && head[3] === 0x2d) return ": armored text, PGP?";
  if (head[0] !== undefined && (head[0] & 0x80) !== 0) return ": binary data, PGP-encrypted?";
  return "";
}

function asStructuralError(err: unknown, handler: ExportHandler): AppError {
  if (isAppError(err)) return err;
  const raw = err instanceof Error ? err.message : String(err);
  // saxes prefixes "line:column: "; we report the position our own way.
  const message = raw.replace(/^\d+:\d+: /, "").replace(/\.$/, "");
  return handler.structural(`not well-formed XML: ${message}`);
}
