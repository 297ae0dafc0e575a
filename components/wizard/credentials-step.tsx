"use client";

import { useState } from "react";
import { apiFetch } from "@/components/query/api-fetch";
import { nameAvailablePath, useNameAvailable } from "@/components/query/use-name-available";
import { useValidateConnection } from "@/components/query/use-validate-connection";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { AdvancedSettings } from "@/components/wizard/advanced-settings";
import { SecretField, StatusText, TextField } from "@/components/wizard/fields";
import { KeyModeChoice } from "@/components/wizard/key-mode-choice";
import { OwnKeysFields } from "@/components/wizard/own-keys-fields";
import { useDebouncedValue } from "@/components/wizard/use-debounced-value";
import { ValidationPanel } from "@/components/wizard/validation-panel";
import { WizardFooter } from "@/components/wizard/wizard-footer";
import {
  connectionSignature,
  credentialErrors,
  isConnectionReady,
  validateInput,
  type FieldName,
  type StoredConnector,
  type ValidationState,
  type WizardFields,
  type WizardSecrets,
} from "@/components/wizard/wizard-state";

type Props = {
  fields: WizardFields;
  secrets: WizardSecrets;
  setField: <K extends keyof WizardFields>(key: K, value: WizardFields[K]) => void;
  setSecret: (key: keyof WizardSecrets, value: string) => void;
  stored: StoredConnector | null;
  validation: ValidationState | null;
  setValidation: (v: ValidationState | null) => void;
  restored: boolean;
  onBack?: () => void;
  onNext: () => void;
  onCancel: () => void;
};

// The name is not part of the connection: it must not invalidate a validation, and
// Validate does not need it. These are the fields Validate depends on.
const CONNECTION_FIELDS: FieldName[] = ["firmCode", "sftpHost", "sftpPort", "remoteDirectory", "password", "pgpPrivateKey", "sshPrivateKey"];

export function CredentialsStep(props: Props) {
  const { fields, secrets, setField, setSecret, stored, validation, setValidation } = props;
  const [touched, setTouched] = useState<Set<FieldName>>(() => new Set());
  const [showAll, setShowAll] = useState(false);
  const [nextError, setNextError] = useState<string | null>(null);
  const validate = useValidateConnection();

  const errors = credentialErrors(fields, secrets, stored);
  const visible = Object.fromEntries(Object.entries(errors).filter(([k]) => showAll || touched.has(k as FieldName)));
  const touch = (field: FieldName) => setTouched((prev) => (prev.has(field) ? prev : new Set(prev).add(field)));

  const debouncedName = useDebouncedValue(fields.name.trim(), 400);
  const nameCheck = useNameAvailable(debouncedName, stored?.id);
  const nameSettled = debouncedName === fields.name.trim() && !nameCheck.isFetching;
  const nameTaken = nameSettled && nameCheck.data === false;
  let nameStatus = null;
  if (!errors.name && fields.name.trim()) {
    if (!nameSettled) nameStatus = <StatusText tone="muted">Checking the name…</StatusText>;
    else if (nameCheck.data === true) nameStatus = <StatusText tone="ok">This name is available.</StatusText>;
    else if (nameCheck.error) nameStatus = <StatusText tone="error">The name could not be checked: {nameCheck.error.message}</StatusText>;
  }
  const nameError = visible.name ?? (nameTaken ? "A connector with this name already exists. Choose another name." : undefined);

  const signature = connectionSignature(fields, secrets);
  const ready = isConnectionReady(validation, signature);
  const connectionErrors = CONNECTION_FIELDS.filter((f) => errors[f]);

  function onValidate() {
    setShowAll(true);
    if (connectionErrors.length > 0) return;
    const sig = signature;
    validate.mutate(validateInput(fields, secrets, stored?.id), {
      onSuccess: (result) => setValidation({ signature: sig, result, confirmedFingerprint: null }),
    });
  }

  async function onNextClick() {
    setShowAll(true);
    setNextError(null);
    if (Object.keys(errors).length > 0 || !ready) return;
    // Check the name again now: another admin may have taken it since the last keystroke.
    try {
      const { available } = await apiFetch<{ available: boolean }>(nameAvailablePath(fields.name.trim(), stored?.id));
      if (!available) {
        setNextError("A connector with this name already exists. Choose another name.");
        return;
      }
    } catch (err) {
      setNextError(`The name could not be checked: ${err instanceof Error ? err.message : "unknown error"}`);
      return;
    }
    props.onNext();
  }

  let blocker: string | null = null;
  if (Object.keys(errors).length > 0 && showAll) blocker = "Fix the fields marked in red.";
  else if (nameTaken) blocker = "Choose a name that is not used yet.";
  else if (!validation || validation.signature !== signature) blocker = "Validate the connection to continue.";
  else if (!validation.result.ok) blocker = "The last validation failed: fix the problem and validate again.";
  else if (!ready) blocker = "Confirm the server's host key fingerprint to continue.";

  const storedHint = (has: boolean | undefined) => (stored && has ? "A password is stored: leave blank to keep it." : undefined);

  return (
    <section aria-labelledby="credentials-heading">
      <h2 id="credentials-heading" className="text-xl font-semibold">
        Add credentials for content source
      </h2>
      <div className="mt-3">
        <Alert tone={props.restored ? "warning" : "info"}>
          {props.restored ? "Your earlier entries were restored. " : ""}
          Passwords, private keys and passphrases are kept only in this page&apos;s memory, never in the browser&apos;s storage: after a reload, enter
          them again{stored ? " (or leave them blank to keep the stored ones)" : ""}.
        </Alert>
      </div>

      <div className="mt-6">
        <KeyModeChoice keyMode={fields.keyMode} onChange={(m) => setField("keyMode", m)} />
      </div>

      <h3 className="mt-8 text-sm font-semibold">Step 2: Enter the connection details ICE gave you</h3>
      <div className="mt-3 grid gap-4 sm:grid-cols-2">
        <div className="sm:col-span-2">
          <TextField
            id="name"
            label="Name"
            required
            maxLength={100}
            autoComplete="off"
            value={fields.name}
            onValueChange={(v) => setField("name", v)}
            onBlur={() => touch("name")}
            hint="A unique name for this connector, e.g. the firm or desk."
            error={nameError}
            status={nameStatus}
          />
        </div>
        <TextField
          id="firmCode"
          label="Firm code"
          required
          autoComplete="off"
          value={fields.firmCode}
          onValueChange={(v) => setField("firmCode", v)}
          onBlur={() => touch("firmCode")}
          hint="Your firm's ICE id; it is also the SFTP user name."
          error={visible.firmCode}
        />
        <SecretField
          id="password"
          label="Password"
          required={!(stored?.hasPassword ?? false) && fields.keyMode === "platform"}
          value={secrets.password}
          onValueChange={(v) => setSecret("password", v)}
          onBlur={() => touch("password")}
          hint={storedHint(stored?.hasPassword) ?? "The SFTP password ICE gave your firm."}
          error={visible.password}
        />
        <TextField
          id="sftpHost"
          label="SFTP URL"
          required
          autoComplete="off"
          placeholder="sftp.theice.com"
          value={fields.sftpHost}
          onValueChange={(v) => setField("sftpHost", v)}
          onBlur={() => touch("sftpHost")}
          hint="Host name or IP address of the ICE Chat SFTP site, without sftp://."
          error={visible.sftpHost}
        />
        <TextField
          id="sftpPort"
          label="SFTP port"
          required
          inputMode="numeric"
          value={fields.sftpPort}
          onValueChange={(v) => setField("sftpPort", v)}
          onBlur={() => touch("sftpPort")}
          error={visible.sftpPort}
        />
      </div>

      {fields.keyMode === "own" && (
        <div className="mt-6">
          <OwnKeysFields secrets={secrets} setSecret={setSecret} errors={visible} onBlur={touch} stored={stored} />
        </div>
      )}

      <div className="mt-6">
        <AdvancedSettings fields={fields} setField={setField} errors={visible} onBlur={touch} />
      </div>

      <div className="mt-6 space-y-4">
        <div className="flex items-center gap-3">
          <Button variant="secondary" onClick={onValidate} disabled={validate.isPending}>
            {validate.isPending ? "Validating…" : "Validate connection"}
          </Button>
          {showAll && connectionErrors.length > 0 && <span className="text-sm text-red-700">Fix the fields marked in red first.</span>}
        </div>
        {validate.error && <Alert tone="error">The connection could not be validated: {validate.error.message}</Alert>}
        {validation && !validate.isPending && (
          <ValidationPanel
            validation={validation}
            stale={validation.signature !== signature}
            pinnedFingerprint={stored?.hostKeyFingerprint ?? null}
            onConfirm={(fp) => setValidation({ ...validation, confirmedFingerprint: fp })}
          />
        )}
      </div>

      {nextError && (
        <div className="mt-4">
          <Alert tone="error">{nextError}</Alert>
        </div>
      )}
      <WizardFooter blocker={ready && !nameTaken && Object.keys(errors).length === 0 ? null : blocker}>
        {props.onBack && (
          <Button variant="secondary" onClick={props.onBack}>
            Back
          </Button>
        )}
        <Button onClick={onNextClick} disabled={!ready || nameTaken} aria-describedby={blocker ? "wizard-blocker" : undefined}>
          Next
        </Button>
        <Button variant="ghost" onClick={props.onCancel}>
          Cancel
        </Button>
      </WizardFooter>
    </section>
  );
}
