"use client";

import { useState } from "react";
import { useCheckKeys } from "@/components/query/use-check-keys";
import type { KeyCheck } from "@/components/query/wizard-api-types";
import { SecretField, StatusText, TextAreaField } from "@/components/wizard/fields";
import type { FieldErrors, StoredConnector, WizardSecrets } from "@/components/wizard/wizard-state";

type Props = {
  secrets: WizardSecrets;
  setSecret: (key: keyof WizardSecrets, value: string) => void;
  errors: FieldErrors;
  onBlur: (field: keyof WizardSecrets) => void;
  stored: StoredConnector | null;
};

interface CheckedKey {
  /** The key + passphrase the result is about: a later edit hides it. */
  signature: string;
  result: KeyCheck;
}

function keyStatus(checked: CheckedKey | null, signature: string, what: string) {
  if (!checked || checked.signature !== signature) return null;
  const { result } = checked;
  const testId = `${what.toLowerCase()}-key-check`;
  if (!result.ok) return <StatusText tone="error" testId={testId}>{`${what} key: ${result.detail}`}</StatusText>;
  return <StatusText tone="ok" testId={testId}>{`${what} key OK: ${result.detail}`}</StatusText>;
}

/** The firm's own private keys, each checked on the server as soon as the admin leaves the field. */
export function OwnKeysFields({ secrets, setSecret, errors, onBlur, stored }: Props) {
  const check = useCheckKeys();
  const [pgp, setPgp] = useState<CheckedKey | null>(null);
  const [ssh, setSsh] = useState<CheckedKey | null>(null);
  const [checkError, setCheckError] = useState<string | null>(null);
  const pgpSig = JSON.stringify([secrets.pgpPrivateKey, secrets.pgpPassphrase]);
  const sshSig = JSON.stringify([secrets.sshPrivateKey, secrets.sshPassphrase]);
  const storedOwn = stored?.keyMode === "own";

  function runCheck(which: "pgp" | "ssh") {
    const key = which === "pgp" ? secrets.pgpPrivateKey : secrets.sshPrivateKey;
    if (!key.trim()) return;
    const signature = which === "pgp" ? pgpSig : sshSig;
    const input =
      which === "pgp"
        ? { pgpPrivateKey: secrets.pgpPrivateKey, ...(secrets.pgpPassphrase ? { pgpPassphrase: secrets.pgpPassphrase } : {}) }
        : { sshPrivateKey: secrets.sshPrivateKey, ...(secrets.sshPassphrase ? { sshPassphrase: secrets.sshPassphrase } : {}) };
    check.mutate(input, {
      onSuccess: (res) => {
        setCheckError(null);
        if (which === "pgp" && res.pgp) setPgp({ signature, result: res.pgp });
        if (which === "ssh" && res.ssh) setSsh({ signature, result: res.ssh });
      },
      onError: (err) => setCheckError(`The keys could not be checked: ${err.message}`),
    });
  }

  const keepHint = (has: boolean | undefined) => (storedOwn && has ? "A key is stored: leave blank to keep it." : undefined);

  return (
    <div className="grid gap-4">
      <TextAreaField
        id="pgpPrivateKey"
        label="PGP private key"
        required={!(storedOwn && stored?.hasPgpPrivateKey)}
        placeholder="-----BEGIN PGP PRIVATE KEY BLOCK-----"
        value={secrets.pgpPrivateKey}
        onValueChange={(v) => setSecret("pgpPrivateKey", v)}
        onBlur={() => {
          onBlur("pgpPrivateKey");
          runCheck("pgp");
        }}
        hint={keepHint(stored?.hasPgpPrivateKey) ?? "Paste the whole armored block, BEGIN and END lines included. ICE encrypts your exports to its public key."}
        error={errors.pgpPrivateKey}
        status={keyStatus(pgp, pgpSig, "PGP")}
      />
      <SecretField
        id="pgpPassphrase"
        label="PGP key passphrase"
        value={secrets.pgpPassphrase}
        onValueChange={(v) => setSecret("pgpPassphrase", v)}
        onBlur={() => {
          onBlur("pgpPassphrase");
          runCheck("pgp");
        }}
        hint="Leave empty if the key is not protected by a passphrase."
        error={errors.pgpPassphrase}
      />
      <TextAreaField
        id="sshPrivateKey"
        label="SSH private key"
        placeholder="-----BEGIN OPENSSH PRIVATE KEY-----"
        value={secrets.sshPrivateKey}
        onValueChange={(v) => setSecret("sshPrivateKey", v)}
        onBlur={() => {
          onBlur("sshPrivateKey");
          runCheck("ssh");
        }}
        hint={keepHint(stored?.hasSshPrivateKey) ?? "The key whose public half ICE installed for your firm (OpenSSH or PEM). Optional if ICE only uses the password."}
        error={errors.sshPrivateKey}
        status={keyStatus(ssh, sshSig, "SSH")}
      />
      <SecretField
        id="sshPassphrase"
        label="SSH key passphrase"
        value={secrets.sshPassphrase}
        onValueChange={(v) => setSecret("sshPassphrase", v)}
        onBlur={() => {
          onBlur("sshPassphrase");
          runCheck("ssh");
        }}
        hint="Leave empty if the key is not protected by a passphrase."
        error={errors.sshPassphrase}
      />
      {check.isPending && <StatusText tone="muted">Checking keys…</StatusText>}
      {checkError && <StatusText tone="error">{checkError}</StatusText>}
    </div>
  );
}
