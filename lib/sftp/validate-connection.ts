import { normalizeFingerprint } from "./host-key-fingerprint";
import { openSession, type HostKeyPolicy } from "./open-session";
import { SftpError } from "./sftp-error";
import type { SftpSession } from "./sftp-session";
import type { ConnectionStage, HostKeyInfo, RemoteEntry, SftpTarget, StageReport, ValidationResult } from "./types";

export interface ValidateConnectionOptions extends SftpTarget {
  /** When given, the server must present this key; when absent, the key is captured for the admin to confirm. */
  pinnedFingerprint?: string;
  /** The directory the connector will download from. */
  remoteDir: string;
  /** How many directory entries to return as a sample. Default 10. */
  sampleSize?: number;
}

export const CONNECTION_STAGES: readonly ConnectionStage[] = ["dns", "tcp", "ssh_handshake", "host_key", "authentication", "directory_listing"];

/**
 * Walks every connection stage and reports each one in words an admin can act on.
 * Expected failures never throw: they become a failed stage, and the stages after
 * it are reported as skipped. Unexpected errors (bugs) are rethrown.
 */
export async function validateConnection(options: ValidateConnectionOptions): Promise<ValidationResult> {
  const passed = new Map<ConnectionStage, string>();
  let hostKey: HostKeyInfo | null = null;
  let failure: SftpError | undefined;
  let files: RemoteEntry[] | undefined;

  let policy: HostKeyPolicy = { mode: "capture" };
  if (options.pinnedFingerprint !== undefined && options.pinnedFingerprint.trim() !== "") {
    const pinned = normalizeFingerprint(options.pinnedFingerprint);
    if (!pinned) {
      failure = new SftpError(
        { kind: "host_key_not_pinned", stage: "host_key", fix: "Copy the fingerprint exactly as shown, e.g. SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU." },
        "The pinned fingerprint is not a SHA256 fingerprint (SHA256: followed by 43 base64 characters).",
      );
      return buildResult(passed, failure, hostKey, files);
    }
    policy = { mode: "pinned", fingerprint: pinned };
  }

  let session: SftpSession | undefined;
  try {
    session = await openSession(options, policy, {
      onStagePassed: (stage, detail) => passed.set(stage, detail),
      onHostKey: (key) => {
        hostKey = key;
      },
    });
    const entries = await session.listDirectory(options.remoteDir);
    const fileCount = entries.filter((entry) => entry.isFile).length;
    passed.set(
      "directory_listing",
      entries.length === 0
        ? `${options.remoteDir} exists and is readable, but is empty.`
        : `${options.remoteDir} lists ${entries.length} entr${entries.length === 1 ? "y" : "ies"} (${fileCount} file${fileCount === 1 ? "" : "s"}).`,
    );
    files = entries.slice(0, options.sampleSize ?? 10);
  } catch (err) {
    if (!(err instanceof SftpError)) throw err;
    failure = explainListingFailure(err, options.remoteDir);
  } finally {
    await session?.close();
  }
  return buildResult(passed, failure, hostKey, files);
}

function explainListingFailure(err: SftpError, remoteDir: string): SftpError {
  if (err.stage !== "transfer") return err;
  const stage = "directory_listing" as const;
  switch (err.kind) {
    case "not_found":
      return new SftpError({ kind: "not_found", stage, fix: "Check the remote directory with ICE (often / or /outgoing)." }, `The directory ${remoteDir} does not exist on the server.`, { cause: err });
    case "permission_denied":
      return new SftpError({ kind: "permission_denied", stage, fix: "Ask ICE to grant the account read access to this directory." }, `The server denied access to ${remoteDir}.`, { cause: err });
    default:
      return new SftpError({ ...err.details, stage }, err.message, { cause: err });
  }
}

function buildResult(passed: Map<ConnectionStage, string>, failure: SftpError | undefined, hostKey: HostKeyInfo | null, files: RemoteEntry[] | undefined): ValidationResult {
  const failedStage = failure ? (failure.stage === "transfer" ? "directory_listing" : failure.stage) : undefined;
  let afterFailure = false;
  const stages: StageReport[] = CONNECTION_STAGES.map((stage): StageReport => {
    if (stage === failedStage && failure) {
      afterFailure = true;
      return { stage, status: "failed", ok: false, detail: failure.message, ...(failure.fix ? { fix: failure.fix } : {}) };
    }
    const detail = passed.get(stage);
    if (detail !== undefined && !afterFailure) return { stage, status: "ok", ok: true, detail };
    const why = afterFailure ? "Skipped because an earlier check failed." : failure ? "Not checked: the settings were rejected before connecting." : "Not reached.";
    return { stage, status: "skipped", ok: false, detail: why };
  });
  const ok = failure === undefined && stages.every((s) => s.ok);
  return { ok, stages, hostKey, ...(files ? { files } : {}) };
}
