"use client";

import Link from "next/link";
import type { ReactNode } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { WizardFooter } from "@/components/wizard/wizard-footer";
import { MASKED, type MappingState, type StoredConnector, type ValidationState, type WizardFields, type WizardSecrets } from "@/components/wizard/wizard-state";

type Props = {
  fields: WizardFields;
  secrets: WizardSecrets;
  stored: StoredConnector | null;
  validation: ValidationState | null;
  preview: MappingState | null;
  stepHref: (step: "credentials" | "mapping") => string;
  saving: boolean;
  saveError: string | null;
  onBack: () => void;
  onFinish: () => void;
  onCancel: () => void;
};

function Section({ title, editHref, editLabel, children }: { title: string; editHref: string; editLabel: string; children: ReactNode }) {
  return (
    <section className="rounded border border-slate-200 p-4">
      <div className="flex items-center justify-between">
        <h3 className="text-sm font-semibold">{title}</h3>
        <Link href={editHref} className="text-sm font-semibold text-brand underline outline-none focus-visible:ring-2 focus-visible:ring-brand" aria-label={editLabel}>
          Edit
        </Link>
      </div>
      <dl className="mt-3 grid grid-cols-[14rem_1fr] gap-x-4 gap-y-1 text-sm">{children}</dl>
    </section>
  );
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt className="text-slate-600">{label}</dt>
      <dd className="break-all" data-testid={`review-${label.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`}>
        {children}
      </dd>
    </>
  );
}

/** A secret shows only whether it is set: new ("set"), kept from the stored connector, or absent. */
function secretText(entered: string, storedHas: boolean | undefined): string {
  if (entered) return MASKED;
  if (storedHas) return "•••••• (stored, unchanged)";
  return "not set";
}

export function ReviewStep({ fields, secrets, stored, validation, preview, stepHref, saving, saveError, onBack, onFinish, onCancel }: Props) {
  const own = fields.keyMode === "own";
  const storedOwn = stored?.keyMode === "own";
  const hostKey = validation?.result.hostKey ?? null;
  let mapping: string;
  if (fields.mappingCsv !== null) mapping = `${fields.mappingFileName ?? "mapping file"}: ${preview?.result.count ?? "?"} users`;
  else if (stored && stored.mappingRows > 0) mapping = `Current mapping file kept (${stored.mappingRows} rows)`;
  else mapping = "None";

  return (
    <section aria-labelledby="review-heading">
      <h2 id="review-heading" className="text-xl font-semibold">
        Review and finish
      </h2>
      <p className="mt-1 text-sm text-slate-600">Check the settings; {stored ? "Save changes" : "Finish"} stores the connector and schedules its daily run.</p>
      <div className="mt-6 space-y-4">
        <Section title="Credentials for content source" editHref={stepHref("credentials")} editLabel="Edit credentials">
          <Row label="Name">{fields.name.trim()}</Row>
          <Row label="Keys">{own ? "Your own PGP and SSH private keys" : "PGP and SSH keys provided by this service"}</Row>
          <Row label="Firm code">{fields.firmCode.trim()}</Row>
          <Row label="Password">{secretText(secrets.password, stored?.hasPassword)}</Row>
          <Row label="SFTP URL">{fields.sftpHost.trim()}</Row>
          <Row label="SFTP port">{fields.sftpPort.trim()}</Row>
          {own && (
            <>
              <Row label="PGP private key">{secretText(secrets.pgpPrivateKey, storedOwn && stored.hasPgpPrivateKey)}</Row>
              <Row label="PGP key passphrase">{secretText(secrets.pgpPassphrase, false)}</Row>
              <Row label="SSH private key">{secretText(secrets.sshPrivateKey, storedOwn && stored.hasSshPrivateKey)}</Row>
              <Row label="SSH key passphrase">{secretText(secrets.sshPassphrase, false)}</Row>
            </>
          )}
          <Row label="Host key fingerprint">{hostKey ? `${hostKey.fingerprint} (${hostKey.algorithm}), confirmed` : "not validated"}</Row>
          <Row label="Remote directory">{fields.remoteDirectory.trim()}</Row>
          <Row label="Daily item limit">{Number(fields.dailyItemLimit).toLocaleString("en-US")}</Row>
          <Row label="Daily run time (UTC)">{fields.scheduleTime.trim() || "chosen automatically"}</Row>
          <Row label="Destination">{fields.destination === "graph" ? "Microsoft 365 mailboxes" : "Local archive"}</Row>
        </Section>
        <Section title="User mapping" editHref={stepHref("mapping")} editLabel="Edit user mapping">
          <Row label="Automatic user mapping">{fields.autoMapping ? "On (SenderEmail / RecipientEmail)" : "Off"}</Row>
          <Row label="Mapping file">{mapping}</Row>
        </Section>
      </div>
      {saveError && (
        <div className="mt-4">
          <Alert tone="error">{saveError}</Alert>
        </div>
      )}
      <WizardFooter>
        <Button variant="secondary" onClick={onBack} disabled={saving}>
          Back
        </Button>
        <Button onClick={onFinish} disabled={saving}>
          {saving ? "Saving…" : stored ? "Save changes" : "Finish"}
        </Button>
        <Button variant="ghost" onClick={onCancel} disabled={saving}>
          Cancel
        </Button>
      </WizardFooter>
    </section>
  );
}
