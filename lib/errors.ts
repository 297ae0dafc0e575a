// Expected errors carry a stable code and a message safe to show to an admin as is.
// Anything else is unexpected: callers log it with an id and show a generic message.

export type AppErrorCode =
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "validation_failed"
  | "payload_too_large"
  | "bad_origin"
  | "config_invalid"
  | "crypto_failed"
  | "source_invalid"
  | "connection_failed"
  | "destination_failed"
  | "internal";

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly details?: unknown;

  constructor(code: AppErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.details = details;
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}
