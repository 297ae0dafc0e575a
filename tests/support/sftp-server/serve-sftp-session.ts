import type { Stats as FsStats } from "node:fs";
import { promises as fs } from "node:fs";
import path from "node:path";
import { utils, type Attributes, type FileEntry, type SFTPWrapper } from "ssh2";
import { resolveJailedLink, resolveJailedPath, type JailResult } from "./resolve-jailed-path";
import type { SftpSimulatorFaults } from "./types";

// A read-only SFTP v3 file system over a local directory. Only the requests an
// ICE Chat download needs are answered; ssh2 itself replies OP_UNSUPPORTED to
// any request type without a listener (WRITE, REMOVE, MKDIR, RENAME, SETSTAT...).

const { STATUS_CODE, OPEN_MODE } = utils.sftp;
const WRITE_FLAGS = OPEN_MODE.WRITE | OPEN_MODE.APPEND | OPEN_MODE.CREAT | OPEN_MODE.TRUNC | OPEN_MODE.EXCL;
const READDIR_BATCH = 64;
const MAX_READ_BYTES = 256 * 1024;

export interface ServeContext {
  rootReal: string;
  faults: () => SftpSimulatorFaults;
  /** Abruptly destroys the TCP connection this session runs on. */
  dropConnection: () => void;
}

type OpenHandle =
  | { kind: "file"; file: fs.FileHandle; virtualPath: string }
  | { kind: "dir"; localPath: string; virtualPath: string; names: string[]; position: number };

export function serveSftpSession(sftp: SFTPWrapper, ctx: ServeContext): void {
  const handles = new Map<string, OpenHandle>();
  let nextHandle = 1;

  const register = (handle: OpenHandle): Buffer => {
    const id = Buffer.alloc(4);
    id.writeUInt32BE(nextHandle++);
    handles.set(id.toString("hex"), handle);
    return id;
  };
  const lookup = (id: Buffer) => handles.get(id.toString("hex"));
  const stalled = () => ctx.faults().stallAllRequests === true;
  const fail = (reqId: number, err: unknown) => sftp.status(reqId, statusFor(err), messageFor(err));
  const jailFail = (reqId: number, result: Extract<JailResult, { ok: false }>) =>
    result.reason === "outside_root" ? sftp.status(reqId, STATUS_CODE.PERMISSION_DENIED, "Permission denied") : sftp.status(reqId, STATUS_CODE.NO_SUCH_FILE, "No such file");
  const toAttrs = (stats: FsStats): Attributes => ({
    mode: stats.mode,
    uid: stats.uid,
    gid: stats.gid,
    size: Math.max(0, stats.size + (ctx.faults().misreportSizeBy ?? 0)),
    atime: Math.floor(stats.atimeMs / 1000),
    mtime: Math.floor(stats.mtimeMs / 1000),
  });

  sftp.on("REALPATH", (reqId, requested) => {
    if (stalled()) return;
    void (async () => {
      const result = await resolveJailedPath(ctx.rootReal, requested);
      if (!result.ok) return jailFail(reqId, result);
      const virtualReal = "/" + path.relative(ctx.rootReal, result.localPath).split(path.sep).filter(Boolean).join("/");
      const stats = await fs.stat(result.localPath);
      sftp.name(reqId, [{ filename: virtualReal, longname: virtualReal, attrs: toAttrs(stats) }]);
    })().catch((err: unknown) => fail(reqId, err));
  });

  const onStat = (follow: boolean) => (reqId: number, requested: string) => {
    if (stalled()) return;
    void (async () => {
      const result = follow ? await resolveJailedPath(ctx.rootReal, requested) : await resolveJailedLink(ctx.rootReal, requested);
      if (!result.ok) return jailFail(reqId, result);
      const stats = follow ? await fs.stat(result.localPath) : await fs.lstat(result.localPath);
      sftp.attrs(reqId, toAttrs(stats));
    })().catch((err: unknown) => fail(reqId, err));
  };
  sftp.on("STAT", onStat(true));
  sftp.on("LSTAT", onStat(false));

  sftp.on("OPENDIR", (reqId, requested) => {
    if (stalled()) return;
    void (async () => {
      const result = await resolveJailedPath(ctx.rootReal, requested);
      if (!result.ok) return jailFail(reqId, result);
      if ((ctx.faults().denyDirectories ?? []).includes(result.virtualPath)) {
        return sftp.status(reqId, STATUS_CODE.PERMISSION_DENIED, "Permission denied");
      }
      const stats = await fs.stat(result.localPath);
      if (!stats.isDirectory()) return sftp.status(reqId, STATUS_CODE.FAILURE, "Not a directory");
      const names = await fs.readdir(result.localPath);
      names.sort();
      sftp.handle(reqId, register({ kind: "dir", localPath: result.localPath, virtualPath: result.virtualPath, names: [".", "..", ...names], position: 0 }));
    })().catch((err: unknown) => fail(reqId, err));
  });

  sftp.on("READDIR", (reqId, id) => {
    if (stalled()) return;
    const handle = lookup(id);
    if (!handle || handle.kind !== "dir") return sftp.status(reqId, STATUS_CODE.FAILURE, "Invalid handle");
    void (async () => {
      if (handle.position >= handle.names.length) return sftp.status(reqId, STATUS_CODE.EOF);
      const batch = handle.names.slice(handle.position, handle.position + READDIR_BATCH);
      handle.position += batch.length;
      const entries: FileEntry[] = [];
      for (const name of batch) {
        try {
          // lstat like OpenSSH: a symlink is listed as a link, not as its target.
          const stats = await fs.lstat(path.join(handle.localPath, name));
          const attrs = toAttrs(stats);
          entries.push({ filename: name, longname: formatLongname(name, attrs, stats), attrs });
        } catch {
          // Vanished between readdir and lstat: skip, as a real server would.
        }
      }
      if (entries.length === 0) return sftp.status(reqId, STATUS_CODE.EOF);
      sftp.name(reqId, entries);
    })().catch((err: unknown) => fail(reqId, err));
  });

  sftp.on("OPEN", (reqId, filename, flags) => {
    if (stalled()) return;
    if ((flags & WRITE_FLAGS) !== 0 || (flags & OPEN_MODE.READ) === 0) {
      return sftp.status(reqId, STATUS_CODE.PERMISSION_DENIED, "Read-only file system");
    }
    void (async () => {
      const result = await resolveJailedPath(ctx.rootReal, filename);
      if (!result.ok) return jailFail(reqId, result);
      const file = await fs.open(result.localPath, "r");
      const stats = await file.stat();
      if (!stats.isFile()) {
        await file.close();
        return sftp.status(reqId, STATUS_CODE.FAILURE, "Not a regular file");
      }
      sftp.handle(reqId, register({ kind: "file", file, virtualPath: result.virtualPath }));
    })().catch((err: unknown) => fail(reqId, err));
  });

  sftp.on("READ", (reqId, id, offset, length) => {
    const handle = lookup(id);
    if (!handle || handle.kind !== "file") return sftp.status(reqId, STATUS_CODE.FAILURE, "Invalid handle");
    const faults = ctx.faults();
    if (faults.dropConnectionAfterBytes !== undefined && offset >= faults.dropConnectionAfterBytes) {
      ctx.dropConnection();
      return;
    }
    // A stalled server simply never answers; the client's deadline must fire.
    if (stalled() || (faults.stallReadsAfterBytes !== undefined && offset >= faults.stallReadsAfterBytes)) return;
    let limit = Math.min(length, MAX_READ_BYTES, faults.maxReadChunkBytes ?? MAX_READ_BYTES);
    if (faults.stallReadsAfterBytes !== undefined) limit = Math.min(limit, faults.stallReadsAfterBytes - offset);
    if (faults.dropConnectionAfterBytes !== undefined) limit = Math.min(limit, faults.dropConnectionAfterBytes - offset);
    void (async () => {
      const buffer = Buffer.alloc(Math.max(0, limit));
      const { bytesRead } = await handle.file.read(buffer, 0, buffer.length, offset);
      if (bytesRead === 0) return sftp.status(reqId, STATUS_CODE.EOF);
      sftp.data(reqId, buffer.subarray(0, bytesRead));
    })().catch((err: unknown) => fail(reqId, err));
  });

  sftp.on("FSTAT", (reqId, id) => {
    if (stalled()) return;
    const handle = lookup(id);
    if (!handle) return sftp.status(reqId, STATUS_CODE.FAILURE, "Invalid handle");
    void (async () => {
      const stats = handle.kind === "file" ? await handle.file.stat() : await fs.stat(handle.localPath);
      sftp.attrs(reqId, toAttrs(stats));
    })().catch((err: unknown) => fail(reqId, err));
  });

  sftp.on("CLOSE", (reqId, id) => {
    const handle = lookup(id);
    if (!handle) return sftp.status(reqId, STATUS_CODE.FAILURE, "Invalid handle");
    handles.delete(id.toString("hex"));
    const closing = handle.kind === "file" ? handle.file.close() : Promise.resolve();
    closing.then(
      () => sftp.status(reqId, STATUS_CODE.OK),
      (err: unknown) => fail(reqId, err),
    );
  });

  const releaseAll = () => {
    for (const handle of handles.values()) {
      if (handle.kind === "file") void handle.file.close().catch(() => undefined);
    }
    handles.clear();
  };
  sftp.on("close", releaseAll);
  sftp.on("end", releaseAll);
  sftp.on("error", () => releaseAll());
}

function statusFor(err: unknown): number {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === "ENOENT" || code === "ENOTDIR") return STATUS_CODE.NO_SUCH_FILE;
  if (code === "EACCES" || code === "EPERM") return STATUS_CODE.PERMISSION_DENIED;
  return STATUS_CODE.FAILURE;
}

function messageFor(err: unknown): string {
  const status = statusFor(err);
  if (status === STATUS_CODE.NO_SUCH_FILE) return "No such file";
  if (status === STATUS_CODE.PERMISSION_DENIED) return "Permission denied";
  return "Failure";
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** An `ls -l` style line, as OpenSSH sends in SSH_FXP_NAME. */
function formatLongname(name: string, attrs: Attributes, stats: FsStats): string {
  const type = stats.isDirectory() ? "d" : stats.isSymbolicLink() ? "l" : stats.isFile() ? "-" : "?";
  const bits = ["r", "w", "x", "r", "w", "x", "r", "w", "x"].map((ch, i) => ((attrs.mode >> (8 - i)) & 1 ? ch : "-")).join("");
  const when = new Date(attrs.mtime * 1000);
  const date = `${MONTHS[when.getUTCMonth()] ?? "Jan"} ${String(when.getUTCDate()).padStart(2, " ")} ${String(when.getUTCHours()).padStart(2, "0")}:${String(when.getUTCMinutes()).padStart(2, "0")}`;
  return `${type}${bits}    1 ${String(attrs.uid).padEnd(8)} ${String(attrs.gid).padEnd(8)} ${String(attrs.size).padStart(12)} ${date} ${name}`;
}
