import type { SFTPWrapper } from "ssh2";
import type { SftpError } from "./sftp-error";
import type { SftpTimeouts } from "./types";

/** What the per-operation functions need from an open session. */
export interface SessionChannel {
  sftp: SFTPWrapper;
  timeouts: SftpTimeouts;
  /** Why the connection closed, once it has; undefined while it is open. */
  lostReason(): SftpError | undefined;
  /** Runs `listener` when the connection closes; returns a function that unsubscribes. */
  onLost(listener: (reason: SftpError) => void): () => void;
}
