import type { CheckKeysInput, CheckKeysResult } from "@/lib/connectors/api-schemas";
import { isAppError } from "@/lib/errors";
import { describePgpKey, readPgpPrivateKey } from "@/lib/keys/generate-pgp-key";
import { fingerprintOfSshPublicKey, parseSshPrivateKey } from "@/lib/keys/generate-ssh-key";

type KeyCheck = NonNullable<CheckKeysResult["pgp"]>;

/** Checks uploaded private keys (parse + passphrase) and says what is wrong in words; never echoes key material. */
export async function checkKeys(input: CheckKeysInput): Promise<CheckKeysResult> {
  return {
    pgp: input.pgpPrivateKey ? await checkPgpKey(input.pgpPrivateKey, input.pgpPassphrase) : null,
    ssh: input.sshPrivateKey ? checkSshKey(input.sshPrivateKey, input.sshPassphrase) : null,
  };
}

export async function checkPgpKey(armored: string, passphrase: string | undefined): Promise<KeyCheck> {
  try {
    const key = await readPgpPrivateKey(armored, passphrase || undefined);
    const summary = await describePgpKey(key);
    const now = Date.now();
    const expiry = summary.expiresAt
      ? summary.expiresAt.getTime() <= now
        ? `; it EXPIRED on ${summary.expiresAt.toISOString().slice(0, 10)}`
        : `; expires ${summary.expiresAt.toISOString().slice(0, 10)}`
      : "; does not expire";
    const who = summary.userIds.length > 0 ? ` (${summary.userIds.join(", ").slice(0, 200)})` : "";
    return {
      ok: summary.expiresAt === null || summary.expiresAt.getTime() > now,
      detail: `OpenPGP private key ${summary.fingerprint}${who} unlocked${expiry}.`,
      fingerprint: summary.fingerprint,
      expiresAt: summary.expiresAt?.toISOString() ?? null,
    };
  } catch (err) {
    if (isAppError(err)) return { ok: false, detail: err.message };
    throw err;
  }
}

export function checkSshKey(pem: string, passphrase: string | undefined): KeyCheck {
  try {
    const key = parseSshPrivateKey(pem, passphrase || undefined);
    const fingerprint = fingerprintOfSshPublicKey(key.getPublicSSH());
    return { ok: true, detail: `SSH private key (${key.type}) ${fingerprint} read successfully.`, fingerprint };
  } catch (err) {
    if (isAppError(err)) return { ok: false, detail: err.message };
    throw err;
  }
}
