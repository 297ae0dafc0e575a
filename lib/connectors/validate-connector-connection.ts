import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { PrivateKey } from "openpgp";
import { validateConnectionSchema, type ConnectionValidation, type ValidateConnectionInput, type ValidationStageReport } from "@/lib/connectors/api-schemas";
import { readConnectorSecrets, type ConnectorSecrets } from "@/lib/connectors/connector-secrets";
import type { Db } from "@/lib/db";
import { AppError, isAppError } from "@/lib/errors";
import { readPgpPrivateKey } from "@/lib/keys/generate-pgp-key";
import { platformSshPrivateKey } from "@/lib/keys/platform-keys";
import { decryptPgpStreamToFile } from "@/lib/pgp/decrypt-stream";
import { peekStream } from "@/lib/pgp/peek-stream";
import { isPgp, SNIFF_BYTES, sniffContent } from "@/lib/pgp/sniff-content";
import type { Keyring } from "@/lib/secrets/keyring";
import { connectSftp, validateConnection, type RemoteEntry, type SftpTimeouts } from "@/lib/sftp";

export interface ValidateConnectorOptions {
  /** From env SFTP_ALLOW_PRIVATE_NETWORKS / SFTP_ALLOWED_PORTS: the network guard. */
  allowPrivateNetworks: boolean;
  allowedPorts: readonly number[];
  timeouts?: Partial<SftpTimeouts>;
  /** Where the sample decryption writes its (deleted) plaintext. Default: the OS temp dir. */
  tempDir?: string;
}

/** Only small files are downloaded for the sample decryption: validation must stay quick. */
export const SAMPLE_MAX_BYTES = 20 * 1024 * 1024;
const SAMPLE_MAX_PLAINTEXT_BYTES = 1024 ** 3;
/** How many listed files are opened to look for an OpenPGP one. */
const SAMPLE_CANDIDATES = 5;
const LISTED_FILES = 20;

/**
 * The wizard's "Validate connection": every SFTP stage (through the network guard) plus
 * a "pgp_key" stage. With own keys the OpenPGP key is unlocked and, when the directory
 * holds an OpenPGP file, a small one is decrypted as proof; with platform keys the
 * platform key must exist. Failures are data (ok: false), never exceptions.
 */
export async function validateConnectorConnection(db: Db, keyring: Keyring, input: ValidateConnectionInput, options: ValidateConnectorOptions): Promise<ConnectionValidation> {
  const parsed = validateConnectionSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new AppError("validation_failed", `${issue.path.join(".") || "input"}: ${issue.message}`, { issues: parsed.error.issues });
  }
  const v = parsed.data;
  const stored: ConnectorSecrets = v.connectorId ? await readConnectorSecrets(db, keyring, v.connectorId) : {};
  const pick = (given: string | undefined, fallback: string | undefined) => (given ? given : fallback);
  const password = pick(v.password, stored.password);

  let privateKey: string | undefined;
  let passphrase: string | undefined;
  let platformKeyProblem: string | undefined;
  if (v.keyMode === "platform") {
    try {
      privateKey = await platformSshPrivateKey(db, keyring);
    } catch (err) {
      if (!isAppError(err)) throw err;
      platformKeyProblem = err.message;
    }
  } else {
    privateKey = pick(v.sshPrivateKey, stored.sshPrivateKey);
    passphrase = pick(v.sshPassphrase, stored.sshPassphrase);
  }

  const target = {
    host: v.sftpHost,
    port: v.sftpPort,
    username: v.firmCode,
    password,
    privateKey,
    passphrase,
    allowPrivateNetworks: options.allowPrivateNetworks,
    allowedPorts: options.allowedPorts,
    timeouts: options.timeouts,
  };
  const result = await validateConnection({ ...target, pinnedFingerprint: v.hostKeyFingerprint, remoteDir: v.remoteDirectory, sampleSize: LISTED_FILES });
  const stages: ValidationStageReport[] = result.stages.map((s) => ({ stage: s.stage, status: s.status, detail: s.detail, ...(s.fix ? { fix: s.fix } : {}) }));
  if (platformKeyProblem) {
    const auth = stages.find((s) => s.stage === "authentication");
    if (auth?.status === "failed") auth.fix = `${platformKeyProblem} Then send the public key to ICE.`;
  }
  const files = result.files ?? [];

  let pgpStage: ValidationStageReport;
  let pgpCheck: ConnectionValidation["pgpCheck"] = null;
  if (v.keyMode === "platform") {
    pgpStage = await checkPlatformPgpKey(db);
  } else {
    const armored = pick(v.pgpPrivateKey, stored.pgpPrivateKey);
    const keyPassphrase = pick(v.pgpPassphrase, stored.pgpPassphrase);
    let key: PrivateKey | undefined;
    if (!armored) {
      pgpStage = { stage: "pgp_key", status: "failed", detail: "No OpenPGP private key was given.", fix: "Upload the private key whose public key ICE encrypts the exports with." };
    } else {
      try {
        key = await readPgpPrivateKey(armored, keyPassphrase);
        pgpStage = { stage: "pgp_key", status: "ok", detail: "The OpenPGP private key was read and unlocked." };
      } catch (err) {
        if (!isAppError(err)) throw err;
        pgpStage = { stage: "pgp_key", status: "failed", detail: err.message, fix: "Upload the OpenPGP private key (armored) and its passphrase." };
      }
    }
    if (key && result.ok && result.hostKey) {
      pgpCheck = await trySampleDecryption({ ...target, pinnedFingerprint: result.hostKey.fingerprint }, v.remoteDirectory, files, key, options.tempDir);
      if (pgpCheck) {
        pgpStage = pgpCheck.ok
          ? { stage: "pgp_key", status: "ok", detail: `The OpenPGP private key was unlocked. ${pgpCheck.detail}` }
          : { stage: "pgp_key", status: "failed", detail: pgpCheck.detail, fix: "Make sure ICE encrypts the exports to the public key of this private key (send it to ICE again if in doubt)." };
      }
    }
  }
  stages.push(pgpStage);

  return {
    ok: result.ok && pgpStage.status === "ok",
    stages,
    hostKey: result.hostKey ? { fingerprint: result.hostKey.fingerprint, algorithm: result.hostKey.algorithm } : null,
    files: files.map((f) => ({ name: f.name, size: f.size, mtime: f.mtime.toISOString() })),
    pgpCheck,
  };
}

async function checkPlatformPgpKey(db: Db): Promise<ValidationStageReport> {
  const key = await db.platformKeyPair.findFirst({ where: { kind: "PGP", retiredAt: null }, orderBy: { createdAt: "desc" }, select: { fingerprint: true } });
  if (!key) {
    return {
      stage: "pgp_key",
      status: "failed",
      detail: "No platform OpenPGP key exists yet, so ICE cannot encrypt exports for this service.",
      fix: "Download the platform OpenPGP public key from the wizard and send it to ICE.",
    };
  }
  return { stage: "pgp_key", status: "ok", detail: `Files encrypted to the platform OpenPGP key ${key.fingerprint} will be decrypted.` };
}

type SampleTarget = Parameters<typeof connectSftp>[0];

/**
 * Opens the first few small files, and decrypts the first that looks like OpenPGP into a
 * temporary directory (deleted afterwards). Null when no listed file is OpenPGP.
 */
async function trySampleDecryption(
  target: SampleTarget,
  remoteDir: string,
  files: RemoteEntry[],
  key: PrivateKey,
  tempRoot: string | undefined,
): Promise<{ ok: boolean; detail: string } | null> {
  const candidates = files.filter((f) => f.isFile && f.size > 0 && f.size <= SAMPLE_MAX_BYTES).slice(0, SAMPLE_CANDIDATES);
  if (candidates.length === 0) return null;
  let session;
  try {
    session = await connectSftp(target);
  } catch (err) {
    if (!isAppError(err)) throw err;
    return { ok: false, detail: `Could not reconnect to download a sample file: ${err.message}` };
  }
  const dir = await mkdtemp(path.join(tempRoot ?? os.tmpdir(), "ice-validate-"));
  try {
    for (const file of candidates) {
      const remotePath = file.path || path.posix.join(remoteDir, file.name);
      let peeked;
      try {
        peeked = await peekStream(session.openReadStream(remotePath, { expectedSize: file.size }), SNIFF_BYTES);
      } catch (err) {
        if (!isAppError(err)) throw err;
        continue;
      }
      if (!isPgp(sniffContent(peeked.head))) {
        peeked.stream.destroy();
        continue;
      }
      try {
        const out = await decryptPgpStreamToFile({ input: peeked.stream, decryptionKeys: [key], outputDir: dir, maxPlaintextBytes: SAMPLE_MAX_PLAINTEXT_BYTES, sourceName: file.name });
        return { ok: true, detail: `Sample file ${file.name} (${file.size} bytes) decrypted to ${out.bytes} bytes.` };
      } catch (err) {
        if (!isAppError(err)) throw err;
        return { ok: false, detail: `Sample file ${file.name} could not be decrypted: ${err.message}` };
      }
    }
    return null;
  } finally {
    await session.close();
    await rm(dir, { recursive: true, force: true });
  }
}
