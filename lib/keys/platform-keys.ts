import type { PrivateKey } from "openpgp";
import type { Db } from "@/lib/db";
import { appendAudit, type AuditActor } from "@/lib/audit/append-audit";
import { generatePgpKey, readPgpPrivateKey } from "@/lib/keys/generate-pgp-key";
import { generateSshKey, type SshKeyAlgorithm } from "@/lib/keys/generate-ssh-key";
import { AppError } from "@/lib/errors";
import type { PlatformKeyKind, PlatformKeyPair } from "@/lib/generated/prisma/client";
import { secretContext } from "@/lib/secrets/contexts";
import type { Keyring } from "@/lib/secrets/keyring";
import { openSecret, sealSecrets } from "@/lib/secrets/record-secrets";

// "Use the public keys provided by this service": one SSH and one OpenPGP key pair per
// installation, generated on first use and stored envelope-encrypted. Rotation retires
// the old pair instead of deleting it: files ICE already encrypted to the old PGP key
// must still decrypt.

// Key generation is slow (RSA 4096); serialise first-use generation across processes.
const GENERATION_LOCK_ID = 0x1ce_0b3e;

export interface PlatformPublicKey {
  id: string;
  kind: PlatformKeyKind;
  algorithm: string;
  publicKey: string;
  fingerprint: string;
  createdAt: Date;
  expiresAt: Date | null;
}

export interface PlatformKeyOptions {
  sshAlgorithm?: SshKeyAlgorithm;
  /** Test hook: smaller RSA keys generate much faster. */
  rsaBits?: number;
}

function toPublic(row: PlatformKeyPair): PlatformPublicKey {
  const { id, kind, algorithm, publicKey, fingerprint, createdAt, expiresAt } = row;
  return { id, kind, algorithm, publicKey, fingerprint, createdAt, expiresAt };
}

async function generateRow(keyring: Keyring, kind: PlatformKeyKind, options: PlatformKeyOptions) {
  const id = crypto.randomUUID();
  const context = secretContext.platformKey(id);
  if (kind === "SSH") {
    const key = await generateSshKey({ algorithm: options.sshAlgorithm ?? "rsa", rsaBits: options.rsaBits, comment: "ice-chat-connector" });
    const { wrappedKey, sealed } = sealSecrets(keyring, context, null, { privateKey: key.privateKey });
    return {
      id, kind, algorithm: key.algorithm === "rsa" ? `rsa${options.rsaBits ?? 4096}` : key.algorithm,
      publicKey: key.publicKey, fingerprint: key.fingerprint, secretsDataKey: wrappedKey, privateKeyEnc: sealed.privateKey!,
    };
  }
  const key = await generatePgpKey({ userId: { name: "ICE Chat Connector" }, type: "rsa", rsaBits: options.rsaBits });
  const { wrappedKey, sealed } = sealSecrets(keyring, context, null, { privateKey: key.privateKeyArmored, passphrase: key.passphrase });
  return {
    id, kind, algorithm: `rsa${options.rsaBits ?? 4096}`, publicKey: key.publicKeyArmored, fingerprint: key.fingerprint,
    secretsDataKey: wrappedKey, privateKeyEnc: sealed.privateKey!, passphraseEnc: sealed.passphrase, expiresAt: key.expiresAt,
  };
}

/** The active public key of a kind, generating the pair on first use. */
export async function ensurePlatformKey(db: Db, keyring: Keyring, kind: PlatformKeyKind, options: PlatformKeyOptions = {}): Promise<PlatformPublicKey> {
  const active = await db.platformKeyPair.findFirst({ where: { kind, retiredAt: null }, orderBy: { createdAt: "desc" } });
  if (active) return toPublic(active);
  // Generate outside the transaction (seconds of CPU), then insert under the lock
  // unless another process won the race meanwhile.
  const data = await generateRow(keyring, kind, options);
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${GENERATION_LOCK_ID})`;
    const winner = await tx.platformKeyPair.findFirst({ where: { kind, retiredAt: null }, orderBy: { createdAt: "desc" } });
    if (winner) return toPublic(winner);
    return toPublic(await tx.platformKeyPair.create({ data }));
  }, { timeout: 30_000 });
}

/** Generates a new pair and retires the current one (kept for decryption). */
export async function rotatePlatformKey(
  db: Db,
  keyring: Keyring,
  kind: PlatformKeyKind,
  actor: AuditActor,
  options: PlatformKeyOptions = {},
): Promise<PlatformPublicKey> {
  const data = await generateRow(keyring, kind, options);
  const created = await db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${GENERATION_LOCK_ID})`;
    await tx.platformKeyPair.updateMany({ where: { kind, retiredAt: null }, data: { retiredAt: new Date() } });
    return tx.platformKeyPair.create({ data });
  }, { timeout: 30_000 });
  await appendAudit(db, {
    actor,
    action: "platform_key.rotated",
    targetType: "PlatformKeyPair",
    targetId: created.id,
    details: { kind, fingerprint: created.fingerprint },
  });
  return toPublic(created);
}

/** The active SSH private key (OpenSSH PEM) for SFTP authentication with platform keys. */
export async function platformSshPrivateKey(db: Db, keyring: Keyring): Promise<string> {
  const row = await db.platformKeyPair.findFirst({ where: { kind: "SSH", retiredAt: null }, orderBy: { createdAt: "desc" } });
  if (!row) throw new AppError("validation_failed", "No platform SSH key exists yet: download it from the connector wizard first.");
  return openSecret(keyring, secretContext.platformKey(row.id), row.secretsDataKey, "privateKey", row.privateKeyEnc);
}

/** Every platform PGP private key, newest first, unlocked: retired keys still decrypt older files. */
export async function platformPgpDecryptionKeys(db: Db, keyring: Keyring): Promise<PrivateKey[]> {
  const rows = await db.platformKeyPair.findMany({ where: { kind: "PGP" }, orderBy: { createdAt: "desc" } });
  return Promise.all(
    rows.map((row) => {
      const context = secretContext.platformKey(row.id);
      const armored = openSecret(keyring, context, row.secretsDataKey, "privateKey", row.privateKeyEnc);
      const passphrase = row.passphraseEnc ? openSecret(keyring, context, row.secretsDataKey, "passphrase", row.passphraseEnc) : undefined;
      return readPgpPrivateKey(armored, passphrase);
    }),
  );
}
