import path from "node:path";
import type { FileEntryWithStats } from "ssh2";
import { mapSftpError, operationTimeout } from "./map-sftp-error";
import type { SessionChannel } from "./session-channel";
import { statRemoteFile } from "./stat-remote-file";
import type { RemoteEntry, RemoteEntryType } from "./types";
import { callWithDeadline } from "./with-deadline";

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;

/**
 * Lists one remote directory. Every entry is returned with its type; callers that
 * only want downloadable files filter on `isFile` (symlinks to regular files count).
 */
export async function listDirectory(channel: SessionChannel, remoteDir: string): Promise<RemoteEntry[]> {
  const lost = channel.lostReason();
  if (lost) throw mapSftpError(lost, "directory listing", remoteDir, lost);
  let raw: FileEntryWithStats[];
  try {
    raw = await callReaddir(channel, remoteDir);
  } catch (err) {
    throw mapSftpError(err, "directory listing", remoteDir, channel.lostReason());
  }

  const entries: RemoteEntry[] = [];
  for (const item of raw) {
    const name = typeof item.filename === "string" ? item.filename : "";
    if (name === "." || name === "..") continue;
    const entry: RemoteEntry = {
      name,
      path: path.posix.join(remoteDir, name),
      size: toNumber(item.attrs?.size),
      mtime: new Date(toNumber(item.attrs?.mtime) * 1000),
      isFile: false,
      type: entryType(item),
    };
    // A hostile or broken server can send names that are not a single path
    // component; keep them visible but never treat them as downloadable files.
    if (name === "" || name.includes("/") || name.includes("\0")) {
      entry.type = "invalid_name";
      entry.path = remoteDir;
    } else if (entry.type === "file") {
      entry.isFile = true;
    } else if (entry.type === "symlink") {
      const target = await statRemoteFile(channel, entry.path).catch(() => null);
      if (target?.isFile) {
        entry.isFile = true;
        entry.size = target.size;
        entry.mtime = target.mtime;
      }
    }
    entries.push(entry);
  }
  return entries;
}

async function callReaddir(channel: SessionChannel, remoteDir: string): Promise<FileEntryWithStats[]> {
  const timeoutMs = channel.timeouts.operationMs;
  const list = await callWithDeadline<FileEntryWithStats[]>(
    timeoutMs,
    () => operationTimeout("directory listing", remoteDir, timeoutMs),
    (cb) => channel.sftp.readdir(remoteDir, cb),
  );
  return Array.isArray(list) ? list : [];
}

function entryType(item: FileEntryWithStats): RemoteEntryType {
  const mode = item.attrs?.mode;
  if (typeof mode === "number") {
    const format = mode & S_IFMT;
    if (format === S_IFREG) return "file";
    if (format === S_IFDIR) return "directory";
    if (format === S_IFLNK) return "symlink";
    if (format !== 0) return "other";
  }
  // Servers that omit permissions still send an `ls -l` style longname.
  switch (typeof item.longname === "string" ? item.longname.charAt(0) : "") {
    case "-":
      return "file";
    case "d":
      return "directory";
    case "l":
      return "symlink";
    default:
      return "other";
  }
}

function toNumber(value: unknown): number {
  const n = Number(value);
  return Number.isFinite(n) ? n : 0;
}
