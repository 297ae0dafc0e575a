import { Transform, type TransformCallback } from "node:stream";
import { formatDuration, mapSftpError } from "./map-sftp-error";
import { SftpError } from "./sftp-error";
import type { SessionChannel } from "./session-channel";

export interface OpenReadStreamOptions {
  /** If given, the stream errors (size_mismatch) unless exactly this many bytes arrive. */
  expectedSize?: number;
}

/**
 * A readable stream of a remote file that cannot hang: it errors when no bytes
 * arrive for `idleMs`, when the whole transfer exceeds `transferMs`, and as soon
 * as the connection drops. Errors are SftpError.
 */
export function openReadStream(channel: SessionChannel, remotePath: string, options: OpenReadStreamOptions = {}): Transform {
  const { idleMs, transferMs } = channel.timeouts;
  let bytes = 0;

  const guard = new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      bytes += chunk.length;
      idleTimer.refresh();
      callback(null, chunk);
    },
    flush(callback: TransformCallback) {
      if (options.expectedSize !== undefined && bytes !== options.expectedSize) {
        callback(sizeMismatch(remotePath, bytes, options.expectedSize));
        return;
      }
      callback();
    },
  });

  const fail = (err: SftpError) => {
    if (!guard.destroyed) guard.destroy(err);
  };
  const idleTimer = setTimeout(() => {
    // A slow consumer (backpressure) is not a stalled server: keep waiting.
    if (guard.writableNeedDrain || guard.readableLength >= guard.readableHighWaterMark) {
      idleTimer.refresh();
      return;
    }
    fail(
      new SftpError(
        { kind: "timeout", stage: "transfer", fix: "The server stopped sending data; retry later and close this connection." },
        `No data arrived for ${formatDuration(idleMs)} while downloading ${remotePath} (${bytes} bytes received).`,
      ),
    );
  }, idleMs);
  const overallTimer = setTimeout(
    () =>
      fail(
        new SftpError(
          { kind: "timeout", stage: "transfer", fix: "Raise the transfer time limit or check the network throughput." },
          `Downloading ${remotePath} took longer than ${formatDuration(transferMs)} (${bytes} bytes received).`,
        ),
      ),
    transferMs,
  );
  const unsubscribe = channel.onLost((reason) => fail(mapSftpError(reason, "download", remotePath, reason)));

  const alreadyLost = channel.lostReason();
  if (alreadyLost) {
    queueMicrotask(() => fail(mapSftpError(alreadyLost, "download", remotePath, alreadyLost)));
  }
  let source: ReturnType<SessionChannel["sftp"]["createReadStream"]> | null = null;
  if (!alreadyLost) {
    try {
      source = channel.sftp.createReadStream(remotePath);
    } catch (err) {
      queueMicrotask(() => fail(mapSftpError(err, "download", remotePath, channel.lostReason())));
    }
  }
  source?.on("error", (err: unknown) => fail(mapSftpError(err, "download", remotePath, channel.lostReason())));
  source?.pipe(guard);

  guard.once("close", () => {
    clearTimeout(idleTimer);
    clearTimeout(overallTimer);
    unsubscribe();
    if (source && !source.destroyed) {
      source.unpipe(guard);
      // Closing the remote handle may itself hang on a stalled server; nothing waits on it.
      source.destroy();
    }
  });
  return guard;
}

export function sizeMismatch(remotePath: string, received: number, expected: number): SftpError {
  return new SftpError(
    { kind: "size_mismatch", stage: "transfer", fix: "The file may still be being written by ICE; the next run will retry it." },
    `Downloaded ${received} bytes of ${remotePath} but the server reports ${expected} bytes.`,
  );
}
