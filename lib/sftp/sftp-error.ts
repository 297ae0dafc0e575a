import { AppError, type AppErrorCode } from "@/lib/errors";
import type { ConnectionStage } from "./types";

/**
 * Why an SFTP step failed. Stable strings the worker can branch on
 * (e.g. host_key_mismatch raises a HOST_KEY_MISMATCH alert and must not be retried).
 */
export type SftpErrorKind =
  | "target_refused"
  | "dns_failed"
  | "connection_refused"
  | "connection_timeout"
  | "network_unreachable"
  | "handshake_failed"
  | "handshake_timeout"
  | "host_key_mismatch"
  | "host_key_not_pinned"
  | "auth_failed"
  | "invalid_credentials"
  | "sftp_unavailable"
  | "not_found"
  | "permission_denied"
  | "timeout"
  | "connection_lost"
  | "size_mismatch"
  | "invalid_path"
  | "sftp_failure"
  | "local_io";

/** Where it failed: a connection stage, or "transfer" for work on an open session. */
export type SftpErrorStage = ConnectionStage | "transfer";

const APP_CODES: Record<SftpErrorKind, AppErrorCode> = {
  target_refused: "validation_failed",
  dns_failed: "connection_failed",
  connection_refused: "connection_failed",
  connection_timeout: "connection_failed",
  network_unreachable: "connection_failed",
  handshake_failed: "connection_failed",
  handshake_timeout: "connection_failed",
  host_key_mismatch: "connection_failed",
  host_key_not_pinned: "validation_failed",
  auth_failed: "connection_failed",
  invalid_credentials: "validation_failed",
  sftp_unavailable: "connection_failed",
  not_found: "not_found",
  permission_denied: "connection_failed",
  timeout: "connection_failed",
  connection_lost: "connection_failed",
  size_mismatch: "source_invalid",
  invalid_path: "validation_failed",
  sftp_failure: "connection_failed",
  local_io: "internal",
};

export interface SftpErrorDetails {
  kind: SftpErrorKind;
  stage: SftpErrorStage;
  fix?: string;
  /** host_key_mismatch: what was pinned and what the server presented. */
  expectedFingerprint?: string;
  actualFingerprint?: string;
  actualAlgorithm?: string;
  /** auth_failed: what the server said it accepts. */
  serverAuthMethods?: string[];
}

/** An expected SFTP failure; the message is safe to show an admin (never contains secrets). */
export class SftpError extends AppError {
  readonly kind: SftpErrorKind;
  readonly stage: SftpErrorStage;
  readonly fix?: string;
  declare readonly details: SftpErrorDetails;

  constructor(details: SftpErrorDetails, message: string, options?: { cause?: unknown }) {
    super(APP_CODES[details.kind], message, details);
    this.name = "SftpError";
    this.kind = details.kind;
    this.stage = details.stage;
    this.fix = details.fix;
    if (options?.cause !== undefined) (this as { cause?: unknown }).cause = options.cause;
  }
}

export function isSftpError(err: unknown): err is SftpError {
  return err instanceof SftpError;
}

/** Server-supplied text is hostile input: strip control characters and bound the length. */
export function sanitizeRemoteText(text: unknown, max = 200): string {
  const value = typeof text === "string" ? text : String(text ?? "");
  const cleaned = value.replace(/[\u0000-\u001f\u007f-\u009f]/g, " ").trim();
  return cleaned.length > max ? `${cleaned.slice(0, max)}…` : cleaned;
}
