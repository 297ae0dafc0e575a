import { createHash, randomUUID } from "node:crypto";
import { createWriteStream, promises as fs } from "node:fs";
import path from "node:path";
import { Transform, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import { openReadStream, sizeMismatch } from "./open-read-stream";
import { SftpError } from "./sftp-error";
import type { SessionChannel } from "./session-channel";
import { statRemoteFile } from "./stat-remote-file";
import type { DownloadResult } from "./types";

export interface DownloadFileOptions {
  /** Name of the local file; defaults to the remote base name. */
  localName?: string;
}

/**
 * Downloads one remote file into `localDir` so that a complete, size-checked file
 * appears at its final name or nothing does. Deliberately not fastGet: its parallel
 * out-of-order reads have corrupted files on some servers. The bytes go to a temp
 * file, are fsynced, compared with a fresh stat of the remote file, then renamed.
 */
export async function downloadFile(channel: SessionChannel, remotePath: string, localDir: string, options: DownloadFileOptions = {}): Promise<DownloadResult> {
  const localName = checkLocalName(options.localName ?? path.posix.basename(remotePath), remotePath);
  const before = await statRemoteFile(channel, remotePath);
  if (!before.isFile) {
    throw new SftpError({ kind: "invalid_path", stage: "transfer" }, `${remotePath} is not a regular file on the SFTP server.`);
  }
  if (!Number.isFinite(before.size) || before.size < 0) {
    throw new SftpError({ kind: "sftp_failure", stage: "transfer" }, `The SFTP server did not report the size of ${remotePath}, so the download cannot be verified.`);
  }

  const finalPath = path.join(localDir, localName);
  const tempPath = path.join(localDir, `.${localName}.${randomUUID()}.part`);
  const hash = createHash("sha256");
  let written = 0;
  const hasher = new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      hash.update(chunk);
      written += chunk.length;
      callback(null, chunk);
    },
  });

  try {
    try {
      await pipeline(openReadStream(channel, remotePath), hasher, createWriteStream(tempPath, { flags: "wx", mode: 0o600 }));
    } catch (err) {
      if (err instanceof SftpError) throw err;
      throw localIoError(err, `writing ${tempPath}`);
    }
    await syncFile(tempPath);

    const after = await statRemoteFile(channel, remotePath);
    if (written !== after.size) throw sizeMismatch(remotePath, written, after.size);
    if (written !== before.size) throw sizeMismatch(remotePath, written, before.size);

    try {
      await fs.rename(tempPath, finalPath);
    } catch (err) {
      throw localIoError(err, `renaming to ${finalPath}`);
    }
    return { path: finalPath, size: written, sha256: hash.digest("hex"), remotePath, remoteMtime: after.mtime };
  } catch (err) {
    await fs.rm(tempPath, { force: true }).catch(() => undefined);
    throw err;
  }
}

function checkLocalName(name: string, remotePath: string): string {
  if (name === "" || name === "." || name === ".." || /[/\\\u0000-\u001f\u007f]/.test(name) || name.length > 255) {
    throw new SftpError({ kind: "invalid_path", stage: "transfer" }, `Refusing to save ${JSON.stringify(remotePath)}: its file name is not safe to use locally.`);
  }
  return name;
}

async function syncFile(filePath: string): Promise<void> {
  // A crash after rename must not leave a complete-looking but unflushed file.
  try {
    const handle = await fs.open(filePath, "r+");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (err) {
    throw localIoError(err, `flushing ${filePath}`);
  }
}

function localIoError(err: unknown, action: string): SftpError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code ?? "unknown error";
  return new SftpError({ kind: "local_io", stage: "transfer", fix: "Check free disk space and permissions of the download directory." }, `Local file error while ${action}: ${code}.`, { cause: err });
}
