import { Readable } from "node:stream";

export interface PeekedStream {
  /** Up to `byteCount` first bytes (fewer only if the stream is shorter). */
  head: Buffer;
  /** The whole stream again, head included, as a byte stream. Destroying it destroys the source. */
  stream: Readable;
}

/**
 * Reads the first bytes of a stream without losing them, so content can be sniffed
 * before deciding how to process it. Only the head is held in memory.
 */
export async function peekStream(source: Readable, byteCount: number): Promise<PeekedStream> {
  const iterator: AsyncIterator<unknown> = source[Symbol.asyncIterator]();
  const chunks: Buffer[] = [];
  let length = 0;
  let done = false;
  while (length < byteCount) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    const chunk = toBuffer(next.value);
    chunks.push(chunk);
    length += chunk.length;
  }
  const buffered = Buffer.concat(chunks);
  async function* replay(): AsyncGenerator<Buffer> {
    try {
      if (buffered.length > 0) yield buffered;
      if (done) return;
      for (;;) {
        const next = await iterator.next();
        if (next.done) {
          done = true;
          return;
        }
        yield toBuffer(next.value);
      }
    } finally {
      // Reached on early exit too (consumer destroyed the stream): release the source.
      if (!done) await iterator.return?.();
    }
  }
  return { head: buffered.subarray(0, byteCount), stream: Readable.from(replay(), { objectMode: false }) };
}

/** Reads the first bytes of a stream and closes it: for sniffing something that can be reopened. */
export async function readStreamHead(source: Readable, byteCount: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  try {
    for await (const chunk of source) {
      const buf = toBuffer(chunk);
      chunks.push(buf);
      length += buf.length;
      if (length >= byteCount) break;
    }
  } finally {
    source.destroy();
  }
  return Buffer.concat(chunks).subarray(0, byteCount);
}

function toBuffer(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (typeof chunk === "string") return Buffer.from(chunk, "utf8");
  throw new TypeError("expected a byte stream");
}
