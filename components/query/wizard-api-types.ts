// Request and response shapes of the wizard's endpoints, as the browser sees them
// (docs: /tmp/api-contract.md → docs/api.md). Kept free of lib/ so no server module
// reaches a client bundle.

export type KeyMode = "platform" | "own";
export type Destination = "graph" | "local_archive";

export type ValidationStageName = "dns" | "tcp" | "ssh_handshake" | "host_key" | "authentication" | "directory_listing" | "pgp_key";

export interface ValidationStage {
  stage: ValidationStageName;
  status: "ok" | "failed" | "skipped";
  detail: string;
  fix?: string;
}

export interface ValidateConnectionInput {
  firmCode: string;
  password?: string;
  sftpHost: string;
  sftpPort: number;
  keyMode: KeyMode;
  sshPrivateKey?: string;
  sshPassphrase?: string;
  pgpPrivateKey?: string;
  pgpPassphrase?: string;
  remoteDirectory?: string;
  hostKeyFingerprint?: string;
  connectorId?: string;
}

export interface ValidateConnectionResult {
  ok: boolean;
  stages: ValidationStage[];
  hostKey: { fingerprint: string; algorithm: string } | null;
  files: { name: string; size: number; mtime: string }[];
  pgpCheck: { ok: boolean; detail: string } | null;
}

export interface CheckKeysInput {
  pgpPrivateKey?: string;
  pgpPassphrase?: string;
  sshPrivateKey?: string;
  sshPassphrase?: string;
}

export interface KeyCheck {
  ok: boolean;
  detail: string;
  fingerprint?: string;
  expiresAt?: string | null;
}

export interface CheckKeysResult {
  pgp: KeyCheck | null;
  ssh: KeyCheck | null;
}

export interface MappingPreviewResult {
  ok: boolean;
  count: number;
  errorCount: number;
  errors: { line: number; message: string }[];
  preview: { imId: string; mailbox: string; line: number }[];
  delimiter: string;
}

/** The create body (lib/connectors/connector-input.ts); PATCH takes any subset, "" or omitted secret = keep. */
export interface ConnectorWriteInput {
  name: string;
  firmCode: string;
  password?: string;
  sftpHost: string;
  sftpPort: number;
  keyMode: KeyMode;
  pgpPrivateKey?: string;
  pgpPassphrase?: string;
  sshPrivateKey?: string;
  sshPassphrase?: string;
  hostKeyFingerprint?: string;
  hostKeyAlgorithm?: string;
  remoteDirectory: string;
  autoMapping: boolean;
  mappingCsv?: string;
  dailyItemLimit: number;
  scheduleTime?: string;
  destination: Destination;
}

type SecretField = "password" | "pgpPrivateKey" | "pgpPassphrase" | "sshPrivateKey" | "sshPassphrase";

/** PATCH body: any subset; a secret omitted or "" keeps the stored value, null clears it. */
export type ConnectorPatchInput = Partial<Omit<ConnectorWriteInput, SecretField>> & Partial<Record<SecretField, string | null>>;
