import type { Resolver } from "@/lib/net/vet-target";

/** The checks a connection goes through, in order. */
export type ConnectionStage = "dns" | "tcp" | "ssh_handshake" | "host_key" | "authentication" | "directory_listing";

export interface SftpTimeouts {
  /** DNS lookup of the host name. */
  dnsMs: number;
  /** TCP connect. */
  connectMs: number;
  /** SSH handshake plus authentication (ssh2 readyTimeout). */
  handshakeMs: number;
  /** Each metadata request (open SFTP, stat, readdir). */
  operationMs: number;
  /** A download with no bytes arriving for this long is abandoned. */
  idleMs: number;
  /** Upper bound for one whole file transfer. */
  transferMs: number;
  keepaliveIntervalMs: number;
  keepaliveCountMax: number;
}

export const DEFAULT_SFTP_TIMEOUTS: SftpTimeouts = {
  dnsMs: 10_000,
  connectMs: 15_000,
  handshakeMs: 30_000,
  operationMs: 30_000,
  idleMs: 60_000,
  transferMs: 30 * 60_000,
  keepaliveIntervalMs: 15_000,
  keepaliveCountMax: 4,
};

export interface SftpCredentials {
  /** ICE Chat uses the firm code as the SFTP user name. */
  username: string;
  password?: string;
  /** OpenSSH or PEM private key text. */
  privateKey?: string;
  passphrase?: string;
}

export interface SftpNetworkPolicy {
  allowPrivateNetworks: boolean;
  allowedPorts: readonly number[];
  /** Injected in tests; defaults to the system resolver. */
  resolver?: Resolver;
}

export interface SftpTarget extends SftpCredentials, SftpNetworkPolicy {
  host: string;
  port: number;
  timeouts?: Partial<SftpTimeouts>;
}

/** For production transfers: the server must present the pinned host key. */
export interface SftpConnectOptions extends SftpTarget {
  /** "SHA256:..." as printed by `ssh-keygen -lf`. */
  pinnedFingerprint: string;
}

export interface HostKeyInfo {
  /** "SHA256:" + unpadded base64, the OpenSSH format. */
  fingerprint: string;
  /** Key type from the key blob, e.g. "ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256". */
  algorithm: string;
}

export type RemoteEntryType = "file" | "directory" | "symlink" | "other" | "invalid_name";

export interface RemoteEntry {
  name: string;
  /** remoteDir joined with name (POSIX). */
  path: string;
  size: number;
  mtime: Date;
  /** True for regular files and for symlinks that point at one. */
  isFile: boolean;
  type: RemoteEntryType;
}

export interface RemoteStat {
  size: number;
  mtime: Date;
  isFile: boolean;
  isDirectory: boolean;
}

export interface DownloadResult {
  /** Final local path (written to a temp file first, renamed once complete). */
  path: string;
  size: number;
  /** Hex SHA-256 of the bytes written. */
  sha256: string;
  remotePath: string;
  remoteMtime: Date;
}

export interface StageReport {
  stage: ConnectionStage;
  status: "ok" | "failed" | "skipped";
  ok: boolean;
  detail: string;
  fix?: string;
}

export interface ValidationResult {
  ok: boolean;
  stages: StageReport[];
  hostKey: HostKeyInfo | null;
  /** The first few directory entries, when the listing stage passed. */
  files?: RemoteEntry[];
}
