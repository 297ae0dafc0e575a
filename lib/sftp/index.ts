export { connectSftp } from "./connect-sftp";
export { validateConnection, CONNECTION_STAGES, type ValidateConnectionOptions } from "./validate-connection";
export { SftpSession } from "./sftp-session";
export { SftpError, isSftpError, type SftpErrorKind, type SftpErrorStage, type SftpErrorDetails } from "./sftp-error";
export { fingerprintHostKey, fingerprintOpenSshLine, normalizeFingerprint, readKeyAlgorithm } from "./host-key-fingerprint";
export type { DownloadFileOptions } from "./download-file";
export type { OpenReadStreamOptions } from "./open-read-stream";
export * from "./types";
