"use client";

import { useAcceptTerms } from "@/components/query/use-accept-terms";
import { WizardFooter } from "@/components/wizard/wizard-footer";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

/** Step 1: the connector's terms; Accept is audited, Cancel leaves without storing anything. */
export function TermsStep({ onAccepted, onCancel }: { onAccepted: () => void; onCancel: () => void }) {
  const accept = useAcceptTerms();
  return (
    <section aria-labelledby="terms-heading">
      <h2 id="terms-heading" className="text-xl font-semibold">
        Terms of service
      </h2>
      <div className="mt-4 max-h-96 space-y-3 overflow-y-auto rounded border border-slate-200 bg-slate-50 p-4 text-sm" tabIndex={0} aria-label="Terms of service text">
        <p>
          This connector imports chat data from a third-party source (ICE Chat, operated by Intercontinental Exchange) into mailboxes of
          your organization. By adding it you confirm that:
        </p>
        <ul className="list-disc space-y-1 pl-5">
          <li>your organization has an agreement with ICE Data Services that covers exporting its ICE Chat data to you;</li>
          <li>you are authorised to import this data and to store it in the selected destination, where your retention, legal hold and eDiscovery policies apply;</li>
          <li>the credentials and keys you enter belong to your firm; they are stored encrypted and are never shown again;</li>
          <li>imported items are copies: deleting them here does not delete them at ICE, and the connector cannot fix gaps in ICE&apos;s export.</li>
        </ul>
        <p>Your acceptance is recorded in the audit log with your user name and the time.</p>
      </div>
      {accept.error && (
        <div className="mt-4">
          <Alert tone="error">Could not record your acceptance: {accept.error.message}</Alert>
        </div>
      )}
      <WizardFooter>
        <Button onClick={() => accept.mutate(undefined, { onSuccess: onAccepted })} disabled={accept.isPending}>
          {accept.isPending ? "Accepting…" : "Accept"}
        </Button>
        <Button variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
      </WizardFooter>
    </section>
  );
}
