import type { Stats } from "ssh2";
import { mapSftpError, operationTimeout } from "./map-sftp-error";
import type { SessionChannel } from "./session-channel";
import type { RemoteStat } from "./types";
import { callWithDeadline } from "./with-deadline";

/** stat() (follows symlinks) with the operation deadline. */
export async function statRemoteFile(channel: SessionChannel, remotePath: string): Promise<RemoteStat> {
  const lost = channel.lostReason();
  if (lost) throw mapSftpError(lost, "stat", remotePath, lost);
  try {
    const stats = await callWithDeadline<Stats>(
      channel.timeouts.operationMs,
      () => operationTimeout("stat", remotePath, channel.timeouts.operationMs),
      (cb) => channel.sftp.stat(remotePath, cb),
    );
    return {
      size: Number(stats.size),
      mtime: new Date(Number(stats.mtime) * 1000),
      isFile: stats.isFile(),
      isDirectory: stats.isDirectory(),
    };
  } catch (err) {
    throw mapSftpError(err, "stat", remotePath, channel.lostReason());
  }
}
