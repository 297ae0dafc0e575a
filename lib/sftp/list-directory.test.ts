import { describe, expect, it } from "vitest";
import type { SFTPWrapper } from "ssh2";
import { listDirectory } from "./list-directory";
import type { SessionChannel } from "./session-channel";
import { TEST_TIMEOUTS } from "@/tests/support/sftp-fixtures";

// A hostile or sloppy server, simulated at the ssh2 API level: the names and
// attributes below cannot be produced by a real file system.
function channelReturning(list: unknown[], statResult?: { size: number; mtime: number; file: boolean }): SessionChannel {
  const sftp = {
    readdir: (_dir: string, cb: (err: Error | undefined, list: unknown[]) => void) => cb(undefined, list),
    stat: (_path: string, cb: (err: Error | undefined, stats?: unknown) => void) =>
      statResult
        ? cb(undefined, { size: statResult.size, mtime: statResult.mtime, isFile: () => statResult.file, isDirectory: () => !statResult.file })
        : cb(Object.assign(new Error("No such file"), { code: 2 })),
  } as unknown as SFTPWrapper;
  return { sftp, timeouts: TEST_TIMEOUTS, lostReason: () => undefined, onLost: () => () => undefined };
}

const attrs = (mode: number | undefined, size: unknown = 10, mtime: unknown = 1_700_000_000) => ({ mode, size, mtime, uid: 0, gid: 0, atime: 0 });

describe("listDirectory with a hostile server", () => {
  it("never offers names that are not a single path component as files", async () => {
    const entries = await listDirectory(
      channelReturning([
        { filename: "../../etc/passwd", longname: "", attrs: attrs(0o100644) },
        { filename: "a/b", longname: "", attrs: attrs(0o100644) },
        { filename: "nul\0byte", longname: "", attrs: attrs(0o100644) },
        { filename: "", longname: "", attrs: attrs(0o100644) },
        { filename: ".", longname: "", attrs: attrs(0o040755) },
        { filename: "..", longname: "", attrs: attrs(0o040755) },
        { filename: "ok.pgp", longname: "", attrs: attrs(0o100644) },
      ]),
      "/outgoing",
    );
    expect(entries.map((e) => [e.name, e.type, e.isFile, e.path])).toEqual([
      ["../../etc/passwd", "invalid_name", false, "/outgoing"],
      ["a/b", "invalid_name", false, "/outgoing"],
      ["nul\0byte", "invalid_name", false, "/outgoing"],
      ["", "invalid_name", false, "/outgoing"],
      ["ok.pgp", "file", true, "/outgoing/ok.pgp"],
    ]);
  });

  it("falls back to the longname when permissions are missing, and tolerates garbage attributes", async () => {
    const entries = await listDirectory(
      channelReturning([
        { filename: "f", longname: "-rw-r--r-- 1 u g 5 Jan 1 00:00 f", attrs: attrs(undefined, "x", null) },
        { filename: "d", longname: "drwxr-xr-x 1 u g 0 Jan 1 00:00 d", attrs: attrs(undefined) },
        { filename: "s", longname: "srwxr-xr-x 1 u g 0 Jan 1 00:00 s", attrs: attrs(0o140755) },
        { filename: "n", longname: 42, attrs: undefined },
      ]),
      "/",
    );
    expect(entries.map((e) => [e.name, e.type, e.isFile])).toEqual([
      ["f", "file", true],
      ["d", "directory", false],
      ["s", "other", false],
      ["n", "other", false],
    ]);
    expect(entries[0]?.size).toBe(0);
    expect(entries[0]?.mtime.getTime()).toBe(0);
    expect(entries[1]?.path).toBe("/d");
  });

  it("reports a dangling symlink as not a file", async () => {
    const entries = await listDirectory(channelReturning([{ filename: "l", longname: "", attrs: attrs(0o120777) }]), "/x");
    expect(entries).toMatchObject([{ name: "l", type: "symlink", isFile: false }]);
  });

  it("treats a symlink to a file as a file with the target's size", async () => {
    const entries = await listDirectory(channelReturning([{ filename: "l", longname: "", attrs: attrs(0o120777, 3) }], { size: 99, mtime: 1_700_000_000, file: true }), "/x");
    expect(entries).toMatchObject([{ name: "l", type: "symlink", isFile: true, size: 99 }]);
  });
});
