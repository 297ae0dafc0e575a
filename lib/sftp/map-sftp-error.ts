import { sanitizeRemoteText, SftpError } from "./sftp-error";

// SFTP status codes (draft-ietf-secsh-filexfer-02), as ssh2 puts them in err.code.
const NO_SUCH_FILE = 2;
const PERMISSION_DENIED = 3;
const OP_UNSUPPORTED = 8;

/** Turns an ssh2 SFTP callback error into an SftpError that says what to do. */
export function mapSftpError(err: unknown, operation: string, remotePath: string, connectionLost?: SftpError): SftpError {
  if (err instanceof SftpError) return err;
  if (connectionLost) {
    return new SftpError(
      { kind: "connection_lost", stage: "transfer", fix: "Retry; if it keeps happening, check the network path to the SFTP server." },
      `The connection to the SFTP server was lost during ${operation} of ${remotePath} (${connectionLost.message}).`,
      { cause: err },
    );
  }
  const code = (err as { code?: unknown } | null | undefined)?.code;
  const serverMessage = sanitizeRemoteText((err as { message?: unknown } | null | undefined)?.message);
  if (code === NO_SUCH_FILE) {
    return new SftpError({ kind: "not_found", stage: "transfer" }, `${remotePath} does not exist on the SFTP server.`, { cause: err });
  }
  if (code === PERMISSION_DENIED) {
    return new SftpError(
      { kind: "permission_denied", stage: "transfer", fix: "Ask ICE to grant the firm's SFTP account read access to this path." },
      `The SFTP server denied access to ${remotePath}.`,
      { cause: err },
    );
  }
  if (code === OP_UNSUPPORTED) {
    return new SftpError({ kind: "sftp_failure", stage: "transfer" }, `The SFTP server does not support ${operation}.`, { cause: err });
  }
  if (/no response from server|not open|channel.*clos|connection.*(lost|reset)/i.test(serverMessage)) {
    return new SftpError(
      { kind: "connection_lost", stage: "transfer", fix: "Retry; if it keeps happening, check the network path to the SFTP server." },
      `The connection to the SFTP server was lost during ${operation} of ${remotePath}.`,
      { cause: err },
    );
  }
  return new SftpError(
    { kind: "sftp_failure", stage: "transfer" },
    `${capitalize(operation)} of ${remotePath} failed: ${serverMessage || "unknown error"}.`,
    { cause: err },
  );
}

export function operationTimeout(operation: string, remotePath: string, ms: number): SftpError {
  return new SftpError(
    { kind: "timeout", stage: "transfer", fix: "The server stopped answering; retry later and close this connection." },
    `The SFTP server did not answer ${operation} of ${remotePath} within ${formatDuration(ms)}.`,
  );
}

export function formatDuration(ms: number): string {
  return ms >= 1000 && ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
