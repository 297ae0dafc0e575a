import { createGunzip } from "node:zlib";
import { pipeline, Readable } from "node:stream";
import { AppError } from "@/lib/errors";

/**
 * Bytes that may still be produced by decompression for one source file, across all its
 * layers and entries: a per-stream cap alone would let a zip of many small bombs through.
 */
export class ByteBudget {
  private used = 0;

  constructor(
    readonly limit: number,
    private readonly sourceName: string,
  ) {}

  get remaining(): number {
    return Math.max(0, this.limit - this.used);
  }

  charge(bytes: number): void {
    this.used += bytes;
    if (this.used > this.limit) {
      throw new AppError(
        "source_invalid",
        `"${this.sourceName}" expands to more than the allowed ${formatBytes(this.limit)} in total (possible decompression bomb); it was not imported.`,
      );
    }
  }
}

export interface BoundedStreamOptions {
  /** Shown in errors, e.g. "export.zip/day1.xml.gz". */
  name: string;
  /** This one stream may not produce more. */
  maxBytes: number;
  budget?: ByteBudget;
}

/** A gunzip stream that fails once it has produced more than the allowed bytes. */
export function openBoundedGunzip(source: Readable, options: BoundedStreamOptions): Readable {
  async function* inflate(): AsyncGenerator<Buffer> {
    const gunzip = pipeline(source, createGunzip(), () => {
      // Errors surface through the iteration below.
    });
    let total = 0;
    try {
      for await (const chunk of gunzip as AsyncIterable<Buffer>) {
        total += chunk.length;
        checkLimits(total, chunk.length, options);
        yield chunk;
      }
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw new AppError("source_invalid", `"${options.name}" is damaged gzip data (${errorMessage(err)}); it was not imported.`);
    } finally {
      gunzip.destroy();
      source.destroy();
    }
  }
  return Readable.from(inflate(), { objectMode: false });
}

/** Counts bytes of an already-decoding stream (e.g. a zip entry) against the same limits. */
export function limitStream(source: Readable, options: BoundedStreamOptions, onEnd?: (total: number) => void): Readable {
  async function* count(): AsyncGenerator<Buffer> {
    let total = 0;
    try {
      for await (const chunk of source as AsyncIterable<Buffer>) {
        total += chunk.length;
        checkLimits(total, chunk.length, options);
        yield chunk;
      }
      onEnd?.(total);
    } finally {
      source.destroy();
    }
  }
  return Readable.from(count(), { objectMode: false });
}

function checkLimits(total: number, chunkLength: number, options: BoundedStreamOptions): void {
  if (total > options.maxBytes) {
    throw new AppError(
      "source_invalid",
      `"${options.name}" expands to more than the allowed ${formatBytes(options.maxBytes)} (possible decompression bomb); it was not imported.`,
    );
  }
  options.budget?.charge(chunkLength);
}

export function errorMessage(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  const cleaned = msg.replace(/[^\x20-\x7e]/g, "?");
  return cleaned.length > 160 ? cleaned.slice(0, 160) + "..." : cleaned;
}

export function formatBytes(n: number): string {
  if (n >= 1024 ** 3 && n % 1024 ** 3 === 0) return `${n / 1024 ** 3} GiB`;
  if (n >= 1024 ** 2 && n % 1024 ** 2 === 0) return `${n / 1024 ** 2} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}
