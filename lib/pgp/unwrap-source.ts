import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { PrivateKey } from "openpgp";
import type { ZipFile } from "yauzl";
import { AppError } from "@/lib/errors";
import { ByteBudget, formatBytes, openBoundedGunzip } from "./bounded-streams";
import { DEFAULT_MAX_PLAINTEXT_BYTES, decryptPgpStreamToFile } from "./decrypt-stream";
import { readStreamHead } from "./peek-stream";
import { isZipDirectory, iterateZipEntries, openZipArchive, openZipEntryStream, unsafeZipEntryName, zipEntryName } from "./read-zip-entries";
import { type ContentKind, describeHead, isPgp, SNIFF_BYTES, sniffContent } from "./sniff-content";

export interface UnwrapLimits {
  /** Wrapping layers (PGP, gzip, zip) allowed around the XML; pgp > zip > xml is 2. Default 3. */
  maxDepth: number;
  /** Largest output of any one decompression or decryption stream. Default 4 GiB. */
  maxStreamBytes: number;
  /** Largest output of all decompression and decryption for the whole source. Default 16 GiB. */
  maxTotalBytes: number;
  /** Most entries one zip archive may list. Default 10,000. */
  maxZipEntries: number;
}

// Large reads: per-chunk overhead in openpgp's and saxes' stream plumbing dominates at 64 KiB.
const READ_CHUNK_BYTES = 1024 * 1024;

export const DEFAULT_UNWRAP_LIMITS: UnwrapLimits = {
  maxDepth: 3,
  maxStreamBytes: DEFAULT_MAX_PLAINTEXT_BYTES,
  maxTotalBytes: 16 * 1024 ** 3,
  maxZipEntries: 10_000,
};

export interface UnwrapSourceOptions {
  /** The downloaded file. */
  path: string;
  /** Its name as shown to admins (e.g. the SFTP file name); defaults to the path's base name. */
  name?: string;
  /** Existing directory for intermediate files; a private subdirectory is made and removed by dispose(). */
  workDir: string;
  /** Unlocked private keys, needed only if the source turns out to be PGP-encrypted. */
  decryptionKeys?: PrivateKey[];
  limits?: Partial<UnwrapLimits>;
  /** Called as soon as an entry is skipped, besides being recorded in `skipped`. */
  onSkipped?: (skipped: SkippedEntry) => void;
}

export interface XmlPart {
  /** Where the XML came from, e.g. "2026-11-22.zip.pgp > 2026-11-22.zip/chat-1.xml". */
  name: string;
  /** A fresh stream of the XML bytes on every call; valid until dispose(). */
  open(): Readable;
}

export type SkipReason = "not_xml" | "unsafe_name" | "encrypted_entry";

export interface SkippedEntry {
  name: string;
  reason: SkipReason;
  /** Admin-readable explanation. */
  message: string;
}

export interface UnwrappedSource {
  /** The XML parts, produced lazily while iterating (once). Errors (bombs, damage, bad PGP) are thrown as AppError. */
  parts: AsyncIterable<XmlPart>;
  /** Zip entries that were not imported, with the reason; complete once `parts` is exhausted. */
  skipped: SkippedEntry[];
  /** Closes archives and deletes every intermediate file (decrypted plaintext included). */
  dispose(): Promise<void>;
}

interface Blob {
  name: string;
  open(): Readable;
  /** Set when the bytes are already in a file (zip needs random access). */
  path?: string;
}

interface Context {
  limits: UnwrapLimits;
  keys: PrivateKey[];
  budget: ByteBudget;
  skipped: SkippedEntry[];
  onSkipped?: (skipped: SkippedEntry) => void;
  tempDir(): Promise<string>;
  zips: ZipFile[];
  tempFileCount: number;
}

/**
 * Unwraps an ICE export into its XML documents, detecting each layer by content: any nesting
 * of OpenPGP, gzip and zip around XML, up to `maxDepth` layers. Nothing is held whole in
 * memory: PGP plaintext and nested archives go to temp files, gzip is decoded on the fly.
 * Always call dispose() when done, also after an error.
 */
export function unwrapSource(options: UnwrapSourceOptions): UnwrappedSource {
  const limits = { ...DEFAULT_UNWRAP_LIMITS, ...options.limits };
  const name = options.name ?? path.basename(options.path);
  let sessionDir: Promise<string> | null = null;
  let iterated = false;
  const ctx: Context = {
    limits,
    keys: options.decryptionKeys ?? [],
    budget: new ByteBudget(limits.maxTotalBytes, name),
    skipped: [],
    onSkipped: options.onSkipped,
    tempDir: () => (sessionDir ??= mkdtemp(path.join(options.workDir, "unwrap-"))),
    zips: [],
    tempFileCount: 0,
  };
  const root: Blob = { name, path: options.path, open: () => createReadStream(options.path, { highWaterMark: READ_CHUNK_BYTES }) };
  return {
    parts: {
      [Symbol.asyncIterator]: () => {
        // A second pass would decrypt and decompress everything again and duplicate skip reports.
        if (iterated) throw new Error("unwrapSource parts can be iterated only once; keep the parts to reopen them");
        iterated = true;
        return unwrapBlob(root, 0, ctx, [], "fail");
      },
    },
    skipped: ctx.skipped,
    async dispose() {
      for (const zip of ctx.zips.splice(0)) zip.close();
      if (sessionDir) {
        const dir = await sessionDir.catch(() => null);
        sessionDir = null;
        if (dir) await rm(dir, { recursive: true, force: true });
      }
    },
  };
}

/** What to do with content that is not XML: fail the source, or report and skip a zip entry. */
type NotXmlPolicy = "fail" | "skip";

async function* unwrapBlob(blob: Blob, depth: number, ctx: Context, layers: ContentKind[], policy: NotXmlPolicy): AsyncGenerator<XmlPart> {
  const head = await readStreamHead(blob.open(), SNIFF_BYTES);
  const kind = sniffContent(head);
  if (kind === "xml") {
    yield { name: blob.name, open: blob.open };
    return;
  }
  if (kind === "empty" || kind === "unknown") {
    const what = kind === "empty" ? "is empty" : `is not XML, gzip, zip or OpenPGP (starts with ${describeHead(head)})`;
    if (policy === "skip") {
      recordSkip(ctx, { name: blob.name, reason: "not_xml", message: `Zip entry "${blob.name}" ${what}; it was not imported.` });
      return;
    }
    throw new AppError("source_invalid", `"${blob.name}" ${what}; it was not imported.`);
  }
  const chain = [...layers, kind];
  if (depth >= ctx.limits.maxDepth) {
    throw new AppError(
      "source_invalid",
      `"${blob.name}" is wrapped more than ${ctx.limits.maxDepth} layers deep (${chain.map(layerName).join(" > ")} > ...); it was not imported.`,
    );
  }
  if (isPgp(kind)) {
    yield* unwrapBlob(await decryptBlob(blob, ctx), depth + 1, ctx, chain, policy);
  } else if (kind === "gzip") {
    const inner: Blob = {
      name: `${blob.name} > ${stripExtension(blob.name, /\.(gz|gzip)$/i)}`,
      open: () => openBoundedGunzip(blob.open(), { name: blob.name, maxBytes: ctx.limits.maxStreamBytes, budget: ctx.budget }),
    };
    yield* unwrapBlob(inner, depth + 1, ctx, chain, policy);
  } else {
    yield* unwrapZip(blob.path ?? (await spoolToTempFile(blob, ctx)), blob.name, depth + 1, ctx, chain);
  }
}

async function decryptBlob(blob: Blob, ctx: Context): Promise<Blob> {
  if (ctx.keys.length === 0) {
    throw new AppError("crypto_failed", `"${blob.name}" is PGP-encrypted but no decryption key is configured for this connector.`);
  }
  const decrypted = await decryptPgpStreamToFile({
    input: blob.open(),
    decryptionKeys: ctx.keys,
    outputDir: await ctx.tempDir(),
    maxPlaintextBytes: Math.min(ctx.limits.maxStreamBytes, ctx.budget.remaining),
    sourceName: blob.name,
  });
  ctx.budget.charge(decrypted.bytes);
  const filePath = decrypted.path;
  return {
    name: `${blob.name} > ${stripExtension(blob.name, /\.(pgp|gpg|asc)$/i)}`,
    path: filePath,
    open: () => createReadStream(filePath, { highWaterMark: READ_CHUNK_BYTES }),
  };
}

async function* unwrapZip(zipPath: string, name: string, depth: number, ctx: Context, layers: ContentKind[]): AsyncGenerator<XmlPart> {
  const zip = await openZipArchive(zipPath, name);
  ctx.zips.push(zip);
  if (zip.entryCount > ctx.limits.maxZipEntries) {
    throw new AppError("source_invalid", `"${name}" lists ${zip.entryCount} entries, more than the allowed ${ctx.limits.maxZipEntries}; it was not imported.`);
  }
  let declaredTotal = 0;
  for await (const entry of iterateZipEntries(zip, name)) {
    const entryName = zipEntryName(entry);
    const fullName = `${name}/${entryName}`;
    if (isZipDirectory(entryName)) continue;
    const unsafe = unsafeZipEntryName(entryName);
    if (unsafe) {
      recordSkip(ctx, { name: fullName, reason: "unsafe_name", message: `Zip entry "${fullName}" has an unsafe name (${unsafe}); it was not imported.` });
      continue;
    }
    if (entry.isEncrypted()) {
      recordSkip(ctx, { name: fullName, reason: "encrypted_entry", message: `Zip entry "${fullName}" is password-protected, which is not supported; it was not imported.` });
      continue;
    }
    if (entry.uncompressedSize > ctx.limits.maxStreamBytes) {
      throw new AppError(
        "source_invalid",
        `Zip entry "${fullName}" declares ${entry.uncompressedSize} bytes, more than the allowed ${formatBytes(ctx.limits.maxStreamBytes)}; "${name}" was not imported.`,
      );
    }
    declaredTotal += entry.uncompressedSize;
    if (declaredTotal > ctx.limits.maxTotalBytes) {
      throw new AppError("source_invalid", `"${name}" declares more than the allowed ${formatBytes(ctx.limits.maxTotalBytes)} of content in total; it was not imported.`);
    }
    const blob: Blob = {
      name: fullName,
      open: () => openZipEntryStream(zip, entry, { name: fullName, maxBytes: ctx.limits.maxStreamBytes, budget: ctx.budget }),
    };
    yield* unwrapBlob(blob, depth, ctx, layers, "skip");
  }
}

async function spoolToTempFile(blob: Blob, ctx: Context): Promise<string> {
  const file = path.join(await ctx.tempDir(), `spool-${ctx.tempFileCount++}.bin`);
  await pipeline(blob.open(), createWriteStream(file, { flags: "wx", mode: 0o600 }));
  return file;
}

function recordSkip(ctx: Context, skipped: SkippedEntry): void {
  ctx.skipped.push(skipped);
  ctx.onSkipped?.(skipped);
}

function stripExtension(name: string, ext: RegExp): string {
  const base = name.split(/[/>]/).pop()?.trim() ?? name;
  const stripped = base.replace(ext, "");
  return stripped.length > 0 ? stripped : base;
}

function layerName(kind: ContentKind): string {
  return isPgp(kind) ? "pgp" : kind;
}
