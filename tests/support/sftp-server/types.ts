export interface SftpSimulatorFaults {
  /** Never answer READ requests at or beyond this byte offset (a hung server). */
  stallReadsAfterBytes?: number;
  /** Destroy the TCP connection when a READ reaches this byte offset. */
  dropConnectionAfterBytes?: number;
  /** Add this many bytes to every size the server reports (STAT, LSTAT, FSTAT, READDIR). */
  misreportSizeBy?: number;
  /** Cap each READ answer at this many bytes (servers may return short reads). */
  maxReadChunkBytes?: number;
  /** Answer OPENDIR on these virtual paths (e.g. "/outgoing") with PERMISSION_DENIED. */
  denyDirectories?: string[];
  /** Refuse to start the SFTP subsystem after a successful login. */
  refuseSftpSubsystem?: boolean;
  /** Never answer any metadata request (REALPATH, STAT, OPENDIR, READDIR, OPEN...). */
  stallAllRequests?: boolean;
}

export interface SftpSimulatorOptions {
  /** Local directory served read-only as "/". */
  root: string;
  /** The only accepted user name (ICE Chat uses the firm code). */
  firmCode: string;
  password?: string;
  /** OpenSSH public key lines ("ssh-ed25519 AAAA... comment"). */
  authorizedPublicKeys?: string[];
  /** Demand password AND public key (the first accepted method yields "partial success"). */
  requireBoth?: boolean;
  /** How the server asks for the password. Default "password". */
  passwordMethod?: "password" | "keyboard-interactive";
  /** Host private key (OpenSSH or PEM). Default: an ed25519 key generated once per process. */
  hostKey?: string;
  /** Loopback address to bind. Default 127.0.0.1. */
  host?: string;
  /** Default 0: a random free port. */
  port?: number;
  faults?: SftpSimulatorFaults;
}

export interface SftpSimulator {
  host: string;
  port: number;
  /** OpenSSH style: "SHA256:" + unpadded base64 of sha256(public key blob). */
  hostKeyFingerprint: string;
  hostKeyAlgorithm: string;
  /** The host public key as an OpenSSH line (what ssh-keyscan would print, minus the host). */
  hostPublicKey: string;
  setAuthorizedKeys(lines: string[]): void;
  setPassword(password: string | undefined): void;
  setFaults(faults: SftpSimulatorFaults): void;
  /** Number of currently open TCP connections. */
  openConnections(): number;
  stop(): Promise<void>;
}
