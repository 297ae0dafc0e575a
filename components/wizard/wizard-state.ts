import type { ConnectorView } from "@/components/query/connector-views";
import type {
  ConnectorPatchInput,
  ConnectorWriteInput,
  Destination,
  KeyMode,
  MappingPreviewResult,
  ValidateConnectionInput,
  ValidateConnectionResult,
} from "@/components/query/wizard-api-types";
import { createConnectorSchema } from "@/lib/connectors/connector-input";

// The wizard's data and rules, free of React: what is kept where (non-secret fields in
// sessionStorage, secrets only in memory), which step is reachable, and what is sent.

export type StepId = "terms" | "credentials" | "mapping" | "review";

export const STEP_LABELS: Record<StepId, string> = {
  terms: "Terms of service",
  credentials: "Add credentials for content source",
  mapping: "Map ICE Chat users to Microsoft 365 users",
  review: "Review and finish",
};

/** Everything the admin enters that is NOT a secret: safe for sessionStorage. Numbers stay strings so half-typed input survives. */
export interface WizardFields {
  name: string;
  firmCode: string;
  sftpHost: string;
  sftpPort: string;
  keyMode: KeyMode;
  remoteDirectory: string;
  dailyItemLimit: string;
  scheduleTime: string;
  destination: Destination;
  autoMapping: boolean;
  mappingCsv: string | null;
  mappingFileName: string | null;
}

/** Never written to browser storage or the URL. */
export interface WizardSecrets {
  password: string;
  pgpPrivateKey: string;
  pgpPassphrase: string;
  sshPrivateKey: string;
  sshPassphrase: string;
}

export type FieldName = keyof WizardFields | keyof WizardSecrets;
export type FieldErrors = Partial<Record<FieldName, string>>;

export const EMPTY_SECRETS: WizardSecrets = { password: "", pgpPrivateKey: "", pgpPassphrase: "", sshPrivateKey: "", sshPassphrase: "" };

export function defaultFields(): WizardFields {
  return {
    name: "",
    firmCode: "",
    sftpHost: "",
    sftpPort: "22",
    keyMode: "platform",
    remoteDirectory: "/",
    dailyItemLimit: "200000",
    scheduleTime: "",
    destination: "local_archive",
    autoMapping: true,
    mappingCsv: null,
    mappingFileName: null,
  };
}

export function fieldsFromConnector(c: ConnectorView): WizardFields {
  return {
    name: c.name,
    firmCode: c.firmCode,
    sftpHost: c.sftpHost,
    sftpPort: String(c.sftpPort),
    keyMode: c.keyMode,
    remoteDirectory: c.remoteDirectory,
    dailyItemLimit: String(c.dailyItemLimit),
    scheduleTime: c.scheduleTime,
    destination: c.destination,
    autoMapping: c.autoMapping,
    mappingCsv: null,
    mappingFileName: null,
  };
}

/** What the edit wizard knows about the stored connector; null when creating. */
export interface StoredConnector {
  id: string;
  updatedAt: string;
  keyMode: KeyMode;
  hasPassword: boolean;
  hasPgpPrivateKey: boolean;
  hasSshPrivateKey: boolean;
  hostKeyFingerprint: string | null;
  mappingRows: number;
}

export function storedFromConnector(c: ConnectorView): StoredConnector {
  return {
    id: c.id,
    updatedAt: c.updatedAt,
    keyMode: c.keyMode,
    hasPassword: c.hasPassword,
    hasPgpPrivateKey: c.hasPgpPrivateKey,
    hasSshPrivateKey: c.hasSshPrivateKey,
    hostKeyFingerprint: c.hostKeyFingerprint,
    mappingRows: c.mappingRows,
  };
}

// ---- persistence (sessionStorage: this tab only, gone when the tab closes) ----

interface PersistedWizard {
  version: 1;
  fields: WizardFields;
  termsAccepted: boolean;
  /** Edit mode: the connector version the draft started from; a newer one discards the draft. */
  basedOn: string | null;
}

// Big mapping files would exhaust the ~5 MB sessionStorage quota; those are re-uploaded after a reload.
const MAX_PERSISTED_CSV = 1_000_000;

export function storageKey(connectorId: string | undefined): string {
  return connectorId ? `ice-chat-wizard:edit:${connectorId}` : "ice-chat-wizard:new";
}

export function loadDraft(key: string, basedOn: string | null): { fields: WizardFields; termsAccepted: boolean } | null {
  try {
    const raw = window.sessionStorage.getItem(key);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Partial<PersistedWizard>;
    if (parsed.version !== 1 || !parsed.fields || parsed.basedOn !== basedOn) return null;
    return { fields: { ...defaultFields(), ...parsed.fields }, termsAccepted: parsed.termsAccepted === true };
  } catch {
    return null;
  }
}

export function saveDraft(key: string, fields: WizardFields, termsAccepted: boolean, basedOn: string | null): void {
  const keepCsv = fields.mappingCsv !== null && fields.mappingCsv.length <= MAX_PERSISTED_CSV;
  const draft: PersistedWizard = {
    version: 1,
    fields: { ...fields, mappingCsv: keepCsv ? fields.mappingCsv : null, mappingFileName: keepCsv ? fields.mappingFileName : null },
    termsAccepted,
    basedOn,
  };
  try {
    window.sessionStorage.setItem(key, JSON.stringify(draft));
  } catch {
    // Quota or privacy mode: the draft then only lives as long as the page.
  }
}

export function clearDraft(key: string): void {
  try {
    window.sessionStorage.removeItem(key);
  } catch {
    // Nothing stored, nothing to clear.
  }
}

// ---- validation ----

const shape = createConnectorSchema.shape;

function schemaError(schema: { safeParse(v: unknown): { success: boolean; error?: { issues: { message: string }[] } } }, value: unknown): string | undefined {
  const result = schema.safeParse(value);
  if (result.success) return undefined;
  return result.error?.issues[0]?.message ?? "is not valid";
}

function intError(text: string, min: number, max: number): string | undefined {
  if (!/^\d+$/.test(text.trim())) return "must be a whole number";
  const n = Number(text.trim());
  if (n < min || n > max) return `must be between ${min.toLocaleString("en-US")} and ${max.toLocaleString("en-US")}`;
  return undefined;
}

/** Per-field messages ("is required", …) for the credentials step, by the same zod rules the server applies. */
export function credentialErrors(f: WizardFields, s: WizardSecrets, stored: StoredConnector | null): FieldErrors {
  const errors: FieldErrors = {};
  const set = (field: FieldName, message: string | undefined) => {
    if (message) errors[field] = message;
  };
  set("name", schemaError(shape.name, f.name));
  set("firmCode", schemaError(shape.firmCode, f.firmCode));
  set("sftpHost", schemaError(shape.sftpHost, f.sftpHost));
  set("sftpPort", intError(f.sftpPort, 1, 65535));
  set("remoteDirectory", schemaError(shape.remoteDirectory, f.remoteDirectory.trim()));
  set("dailyItemLimit", intError(f.dailyItemLimit, 1, 100_000_000));
  if (f.scheduleTime.trim()) set("scheduleTime", schemaError(shape.scheduleTime, f.scheduleTime.trim()));

  const hasPassword = s.password !== "" || (stored?.hasPassword ?? false);
  if (f.keyMode === "platform") {
    if (!hasPassword) errors.password = "is required (ICE gives it to you with the firm code)";
  } else {
    // A stored key only counts if the connector already used own keys; a switch needs new keys.
    const storedOwn = stored?.keyMode === "own";
    if (!s.pgpPrivateKey.trim() && !(storedOwn && stored.hasPgpPrivateKey)) errors.pgpPrivateKey = "is required with your own keys";
    if (!s.sshPrivateKey.trim() && !(storedOwn && stored.hasSshPrivateKey) && !hasPassword) {
      errors.sshPrivateKey = "an SSH private key or a password is required";
    }
    if (s.pgpPrivateKey.trim() && !s.pgpPrivateKey.includes("-----BEGIN PGP PRIVATE KEY BLOCK-----")) {
      errors.pgpPrivateKey = "paste the whole armored block, from -----BEGIN PGP PRIVATE KEY BLOCK----- to the END line";
    }
    if (s.sshPrivateKey.trim() && !/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(s.sshPrivateKey)) {
      errors.sshPrivateKey = "paste the whole key, from -----BEGIN … PRIVATE KEY----- to the END line";
    }
  }
  return errors;
}

/** The values a validation result speaks for; any change makes the result stale. Memory only (it contains secrets). */
export function connectionSignature(f: WizardFields, s: WizardSecrets): string {
  const own = f.keyMode === "own";
  return JSON.stringify([
    f.firmCode.trim(),
    f.sftpHost.trim(),
    f.sftpPort.trim(),
    f.keyMode,
    f.remoteDirectory.trim(),
    s.password,
    own ? s.pgpPrivateKey : "",
    own ? s.pgpPassphrase : "",
    own ? s.sshPrivateKey : "",
    own ? s.sshPassphrase : "",
  ]);
}

export interface ValidationState {
  signature: string;
  result: ValidateConnectionResult;
  /** The fingerprint the admin confirmed (pinned on save). */
  confirmedFingerprint: string | null;
}

export function isConnectionReady(v: ValidationState | null, signature: string): boolean {
  return (
    v !== null &&
    v.signature === signature &&
    v.result.ok &&
    v.result.hostKey !== null &&
    v.confirmedFingerprint === v.result.hostKey.fingerprint
  );
}

export function validateInput(f: WizardFields, s: WizardSecrets, connectorId: string | undefined): ValidateConnectionInput {
  const own = f.keyMode === "own";
  const opt = (v: string) => (v === "" ? undefined : v);
  return {
    firmCode: f.firmCode.trim(),
    password: opt(s.password),
    sftpHost: f.sftpHost.trim(),
    sftpPort: Number(f.sftpPort.trim()),
    keyMode: f.keyMode,
    ...(own
      ? { pgpPrivateKey: opt(s.pgpPrivateKey), pgpPassphrase: opt(s.pgpPassphrase), sshPrivateKey: opt(s.sshPrivateKey), sshPassphrase: opt(s.sshPassphrase) }
      : {}),
    remoteDirectory: f.remoteDirectory.trim(),
    ...(connectorId ? { connectorId } : {}),
  };
}

export interface MappingState {
  csv: string;
  result: MappingPreviewResult;
}

/** Why the mapping step cannot be left, or null when it can. */
export function mappingBlocker(f: WizardFields, preview: MappingState | null, stored: StoredConnector | null): string | null {
  if (f.mappingCsv !== null) {
    if (!preview || preview.csv !== f.mappingCsv) return "The mapping file is still being checked.";
    if (preview.result.errorCount > 0 || !preview.result.ok) return "The mapping file has errors: fix them and upload it again, or remove the file.";
    if (preview.result.count === 0) return "The mapping file has no rows: upload one with at least one ImId,Mailbox row, or remove it.";
    return null;
  }
  if (!f.autoMapping && (stored?.mappingRows ?? 0) === 0) {
    return "Turn on automatic user mapping or upload a mapping file; otherwise nobody's chats can be imported.";
  }
  return null;
}

function commonBody(f: WizardFields, v: ValidationState) {
  return {
    name: f.name.trim(),
    firmCode: f.firmCode.trim(),
    sftpHost: f.sftpHost.trim(),
    sftpPort: Number(f.sftpPort.trim()),
    keyMode: f.keyMode,
    ...(v.result.hostKey ? { hostKeyFingerprint: v.result.hostKey.fingerprint, hostKeyAlgorithm: v.result.hostKey.algorithm } : {}),
    remoteDirectory: f.remoteDirectory.trim(),
    autoMapping: f.autoMapping,
    ...(f.mappingCsv !== null ? { mappingCsv: f.mappingCsv } : {}),
    dailyItemLimit: Number(f.dailyItemLimit.trim()),
    ...(f.scheduleTime.trim() ? { scheduleTime: f.scheduleTime.trim() } : {}),
    destination: f.destination,
  };
}

export function createBody(f: WizardFields, s: WizardSecrets, v: ValidationState): ConnectorWriteInput {
  const opt = (x: string) => (x === "" ? undefined : x);
  const own = f.keyMode === "own";
  return {
    ...commonBody(f, v),
    ...(s.password ? { password: s.password } : {}),
    ...(own
      ? { pgpPrivateKey: opt(s.pgpPrivateKey), pgpPassphrase: opt(s.pgpPassphrase), sshPrivateKey: opt(s.sshPrivateKey), sshPassphrase: opt(s.sshPassphrase) }
      : {}),
  };
}

export function patchBody(f: WizardFields, s: WizardSecrets, v: ValidationState, stored: StoredConnector): ConnectorPatchInput {
  const own = f.keyMode === "own";
  const body: ConnectorPatchInput = { ...commonBody(f, v) };
  if (s.password) body.password = s.password;
  if (own) {
    for (const k of ["pgpPrivateKey", "pgpPassphrase", "sshPrivateKey", "sshPassphrase"] as const) if (s[k]) body[k] = s[k];
  } else if (stored.keyMode === "own") {
    // Back to the platform's keys: the firm's own keys must not linger in storage.
    Object.assign(body, { pgpPrivateKey: null, pgpPassphrase: null, sshPrivateKey: null, sshPassphrase: null });
  }
  return body;
}

export const MASKED = "•••••• (set)";
