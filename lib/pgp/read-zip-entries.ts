import { Readable } from "node:stream";
import * as zlib from "node:zlib";
import yauzl, { type Entry, type ZipFile } from "yauzl";
import { AppError } from "@/lib/errors";
import { type BoundedStreamOptions, errorMessage, limitStream } from "./bounded-streams";

export async function openZipArchive(path: string, name: string): Promise<ZipFile> {
  try {
    // decodeStrings: false keeps yauzl from aborting the whole archive on one unsafe entry
    // name; names are decoded and checked here so such entries can be reported and skipped.
    return await yauzl.openPromise(path, { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true });
  } catch (err) {
    throw new AppError("source_invalid", `"${name}" is not a readable zip archive (damaged or truncated: ${errorMessage(err)}); it was not imported.`);
  }
}

export async function* iterateZipEntries(zip: ZipFile, name: string): AsyncGenerator<Entry> {
  const entries = zip.eachEntry();
  for (;;) {
    let next: IteratorResult<Entry>;
    try {
      next = await entries.next();
    } catch (err) {
      throw new AppError("source_invalid", `"${name}" has a damaged zip directory (${errorMessage(err)}); it was not imported.`);
    }
    if (next.done) return;
    yield next.value;
  }
}

/** The entry's name, decoded as the zip format says (UTF-8 flag, Info-ZIP unicode field, else CP437). */
export function zipEntryName(entry: Entry): string {
  const name = yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, false);
  // Printable in logs and reports whatever bytes the archive holds.
  return name.replace(/[\u0000-\u001f\u007f]/g, "?");
}

export function isZipDirectory(name: string): boolean {
  return name.endsWith("/");
}

/** Why an entry name is unsafe to honour (we never extract by name, but such archives are suspect). */
export function unsafeZipEntryName(name: string): string | null {
  if (name.length === 0) return "empty entry name";
  if (name.startsWith("/") || /^[a-zA-Z]:/.test(name)) return "absolute path";
  if (name.split("/").includes("..")) return "path traversal ('..')";
  return null;
}

/**
 * Opens an entry's data as a stream bounded by the limits; checks the CRC-32 at the end,
 * which yauzl itself does not, so a damaged entry fails instead of yielding wrong bytes.
 */
export function openZipEntryStream(zip: ZipFile, entry: Entry, options: BoundedStreamOptions): Readable {
  const crc32 = typeof zlib.crc32 === "function" ? zlib.crc32 : null;
  async function* read(): AsyncGenerator<Buffer> {
    let raw: Readable;
    try {
      raw = await zip.openReadStreamPromise(entry);
    } catch (err) {
      throw new AppError("source_invalid", `Cannot read zip entry "${options.name}" (${errorMessage(err)}); it was not imported.`);
    }
    let crc = 0;
    const counted = limitStream(raw, options);
    try {
      for await (const chunk of counted as AsyncIterable<Buffer>) {
        if (crc32) crc = crc32(chunk, crc);
        yield chunk;
      }
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw new AppError("source_invalid", `Zip entry "${options.name}" is damaged (${errorMessage(err)}); it was not imported.`);
    } finally {
      counted.destroy();
    }
    if (crc32 && crc >>> 0 !== entry.crc32 >>> 0) {
      throw new AppError("source_invalid", `Zip entry "${options.name}" is damaged (CRC-32 mismatch); it was not imported.`);
    }
  }
  return Readable.from(read(), { objectMode: false });
}
