"use client";

import { useEffect, useRef, useState, type ChangeEvent } from "react";
import { useMappingPreview } from "@/components/query/use-mapping-preview";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { MappingPreview } from "@/components/wizard/mapping-preview";
import { WizardFooter } from "@/components/wizard/wizard-footer";
import { mappingBlocker, type MappingState, type StoredConnector, type WizardFields } from "@/components/wizard/wizard-state";

const MAX_BYTES = 5 * 1024 * 1024;

type Props = {
  fields: WizardFields;
  setField: <K extends keyof WizardFields>(key: K, value: WizardFields[K]) => void;
  stored: StoredConnector | null;
  preview: MappingState | null;
  setPreview: (p: MappingState | null) => void;
  onBack: () => void;
  onNext: () => void;
  onCancel: () => void;
};

export function MappingStep({ fields, setField, stored, preview, setPreview, onBack, onNext, onCancel }: Props) {
  const previewMutation = useMappingPreview();
  const { mutate: runPreview } = previewMutation;
  const [fileError, setFileError] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  // A file restored from sessionStorage after a reload has no preview in memory yet.
  const csv = fields.mappingCsv;
  useEffect(() => {
    if (csv !== null && (preview === null || preview.csv !== csv)) {
      runPreview(csv, { onSuccess: (result) => setPreview({ csv, result }) });
    }
  }, [csv, preview, runPreview, setPreview]);

  async function onFile(event: ChangeEvent<HTMLInputElement>) {
    setFileError(null);
    const file = event.target.files?.[0];
    if (!file) return;
    if (file.size > MAX_BYTES) {
      setFileError(`${file.name} is ${(file.size / 1024 / 1024).toFixed(1)} MiB; mapping files can be at most 5 MiB.`);
      event.target.value = "";
      return;
    }
    const text = await file.text();
    setPreview(null);
    setField("mappingFileName", file.name);
    setField("mappingCsv", text);
  }

  function removeFile() {
    setField("mappingCsv", null);
    setField("mappingFileName", null);
    setPreview(null);
    setFileError(null);
    if (fileInput.current) fileInput.current.value = "";
  }

  const blocker = mappingBlocker(fields, preview, stored);
  const current = preview && preview.csv === fields.mappingCsv ? preview : null;

  return (
    <section aria-labelledby="mapping-heading">
      <h2 id="mapping-heading" className="text-xl font-semibold">
        Map ICE Chat users to Microsoft 365 users
      </h2>
      <div className="mt-3">
        <Alert>
          <strong>How a participant is matched: </strong>A participant is looked up in the mapping file first, by ImId; if no valid mailbox is found
          there and automatic mapping is on, the SenderEmail/RecipientEmail address is used; otherwise the participant is not imported into and
          is reported once per run.
        </Alert>
      </div>

      <div className="mt-6 space-y-2">
        <label className="flex items-start gap-3 text-sm">
          <input
            type="checkbox"
            role="switch"
            aria-checked={fields.autoMapping}
            checked={fields.autoMapping}
            onChange={(e) => setField("autoMapping", e.target.checked)}
            className="mt-1"
          />
          <span>
            <span className="font-medium">Automatic user mapping</span>
            <span className="block text-xs text-slate-600">
              Use the SenderEmail and RecipientEmail addresses in the ICE Chat export as the Microsoft 365 mailbox.
            </span>
          </span>
        </label>
      </div>

      <div className="mt-6 space-y-3">
        <h3 className="text-sm font-semibold">Custom user mapping (optional)</h3>
        <p className="text-sm text-slate-600">
          A CSV file with two columns, <code>ImId</code> and <code>Mailbox</code>, one ICE Chat user per line.{" "}
          <a href="/api/v1/mapping-template.csv" download className="font-semibold text-brand underline">
            Download template
          </a>
        </p>
        {stored && stored.mappingRows > 0 && fields.mappingCsv === null && (
          <p className="text-sm text-slate-700">
            The connector has a mapping file with {stored.mappingRows} rows; it stays unless you upload a new one.{" "}
            <a href={`/api/v1/connectors/${encodeURIComponent(stored.id)}/mapping.csv`} download className="font-semibold text-brand underline">
              Download current mapping
            </a>
          </p>
        )}
        <div>
          <label htmlFor="mappingFile" className="block text-sm font-medium">
            Mapping file (CSV)
          </label>
          <input
            ref={fileInput}
            id="mappingFile"
            type="file"
            accept=".csv,text/csv,text/plain"
            onChange={onFile}
            aria-describedby={fileError ? "mappingFile-error" : undefined}
            className="mt-1 block text-sm file:mr-3 file:rounded file:border file:border-slate-300 file:bg-white file:px-3 file:py-1.5 file:text-sm file:font-semibold"
          />
          {fileError && (
            <p id="mappingFile-error" className="mt-1 text-xs font-medium text-red-700">
              {fileError}
            </p>
          )}
        </div>
        {fields.mappingCsv !== null && (
          <div className="flex items-center gap-3 text-sm">
            <span>
              Selected: <span className="font-medium">{fields.mappingFileName ?? "mapping file"}</span>
            </span>
            <Button variant="ghost" onClick={removeFile}>
              Remove file
            </Button>
          </div>
        )}
        {previewMutation.isPending && <p className="text-sm text-slate-600">Checking the mapping file…</p>}
        {previewMutation.error && !previewMutation.isPending && (
          <Alert tone="error">The mapping file could not be checked: {previewMutation.error.message}</Alert>
        )}
        {current && <MappingPreview result={current.result} fileName={fields.mappingFileName} />}
      </div>

      <WizardFooter blocker={blocker}>
        <Button variant="secondary" onClick={onBack}>
          Back
        </Button>
        <Button onClick={onNext} disabled={blocker !== null} aria-describedby={blocker ? "wizard-blocker" : undefined}>
          Next
        </Button>
        <Button variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
      </WizardFooter>
    </section>
  );
}
