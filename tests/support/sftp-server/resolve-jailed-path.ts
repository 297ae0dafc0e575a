import { promises as fs } from "node:fs";
import path from "node:path";

// Maps an SFTP path onto the served root. The virtual file system starts at "/"
// (the root directory), ".." cannot climb above it, and a symlink whose target lies
// outside the root is refused, so a test fixture can never leak the host's files.

export type JailResult =
  | { ok: true; virtualPath: string; localPath: string }
  | { ok: false; reason: "not_found" | "outside_root" | "invalid" };

/** Normalises a client-supplied path to an absolute virtual path ("/a/b"). */
export function toVirtualPath(sftpPath: string): string | null {
  if (sftpPath.includes("\0")) return null;
  // Windows-style separators are not separators in SFTP; keep them literal.
  return path.posix.resolve("/", sftpPath === "" ? "." : sftpPath);
}

/**
 * Resolves a path, following every symlink, and checks the result stays in the root.
 * `rootReal` must already be a realpath.
 */
export async function resolveJailedPath(rootReal: string, sftpPath: string): Promise<JailResult> {
  const virtualPath = toVirtualPath(sftpPath);
  if (virtualPath === null) return { ok: false, reason: "invalid" };
  const joined = path.join(rootReal, ...virtualPath.split("/").filter(Boolean));
  let real: string;
  try {
    real = await fs.realpath(joined);
  } catch {
    return { ok: false, reason: "not_found" };
  }
  if (!isInside(rootReal, real)) return { ok: false, reason: "outside_root" };
  return { ok: true, virtualPath, localPath: real };
}

/**
 * Like resolveJailedPath but does not follow a symlink in the last component
 * (for LSTAT and directory listings).
 */
export async function resolveJailedLink(rootReal: string, sftpPath: string): Promise<JailResult> {
  const virtualPath = toVirtualPath(sftpPath);
  if (virtualPath === null) return { ok: false, reason: "invalid" };
  if (virtualPath === "/") return { ok: true, virtualPath, localPath: rootReal };
  const parent = await resolveJailedPath(rootReal, path.posix.dirname(virtualPath));
  if (!parent.ok) return parent;
  return { ok: true, virtualPath, localPath: path.join(parent.localPath, path.posix.basename(virtualPath)) };
}

export function isInside(rootReal: string, candidate: string): boolean {
  return candidate === rootReal || candidate.startsWith(rootReal.endsWith(path.sep) ? rootReal : rootReal + path.sep);
}
