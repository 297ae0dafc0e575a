import type { RemoteEntry } from "@/lib/sftp";

export interface KnownSourceFile {
  path: string;
  size: bigint;
  mtime: Date;
  status: "PENDING" | "PROCESSED" | "FAILED";
}

/**
 * The files a run imports: regular files modified inside the run's window, plus any file
 * an earlier run saw but did not finish (so a failed or interrupted day is picked up by
 * the next run even when it has left the window). A file already processed with the same
 * path, size and mtime is never imported again; a changed file (new size or mtime) is.
 */
export function selectSourceFiles(
  listing: readonly RemoteEntry[],
  known: readonly KnownSourceFile[],
  window: { from: Date; to: Date },
): RemoteEntry[] {
  const key = (path: string, size: bigint | number, mtime: Date) => `${path}\n${size}\n${mtime.getTime()}`;
  const byKey = new Map(known.map((k) => [key(k.path, k.size, k.mtime), k]));
  return listing
    .filter((e) => e.isFile)
    .filter((e) => {
      const seen = byKey.get(key(e.path, BigInt(e.size), e.mtime));
      if (seen?.status === "PROCESSED") return false;
      if (seen) return true;
      return e.mtime >= window.from && e.mtime <= window.to;
    })
    .sort((a, b) => a.mtime.getTime() - b.mtime.getTime() || a.name.localeCompare(b.name));
}
