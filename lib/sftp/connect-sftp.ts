import { normalizeFingerprint } from "./host-key-fingerprint";
import { openSession } from "./open-session";
import { SftpError } from "./sftp-error";
import type { SftpSession } from "./sftp-session";
import type { SftpConnectOptions } from "./types";

/**
 * Connects for a real transfer. The server must present the pinned host key:
 * trust-on-first-use is only available through validateConnection, where an admin
 * looks at the fingerprint before it is saved.
 */
export async function connectSftp(options: SftpConnectOptions): Promise<SftpSession> {
  const pinned = typeof options.pinnedFingerprint === "string" ? normalizeFingerprint(options.pinnedFingerprint) : null;
  if (!pinned) {
    throw new SftpError(
      { kind: "host_key_not_pinned", stage: "host_key", fix: "Validate the connection, confirm the server fingerprint with ICE, and save it." },
      "No valid host key fingerprint is pinned for this connector (expected SHA256:...).",
    );
  }
  return openSession(options, { mode: "pinned", fingerprint: pinned });
}
