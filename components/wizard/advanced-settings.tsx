"use client";

import { TextField } from "@/components/wizard/fields";
import type { FieldErrors, WizardFields } from "@/components/wizard/wizard-state";

type Props = {
  fields: WizardFields;
  setField: <K extends keyof WizardFields>(key: K, value: WizardFields[K]) => void;
  errors: FieldErrors;
  onBlur: (field: keyof WizardFields) => void;
};

/** Settings most connectors leave at their defaults; collapsed unless one of them is invalid. */
export function AdvancedSettings({ fields, setField, errors, onBlur }: Props) {
  const hasError = Boolean(errors.remoteDirectory || errors.dailyItemLimit || errors.scheduleTime);
  return (
    <details className="rounded border border-slate-200 p-4" open={hasError || undefined}>
      <summary className="cursor-pointer text-sm font-semibold outline-none focus-visible:ring-2 focus-visible:ring-brand">Advanced settings</summary>
      <div className="mt-4 grid gap-4 sm:grid-cols-2">
        <TextField
          id="remoteDirectory"
          label="Remote directory"
          value={fields.remoteDirectory}
          onValueChange={(v) => setField("remoteDirectory", v)}
          onBlur={() => onBlur("remoteDirectory")}
          hint="Folder on the SFTP site that holds the daily exports. Default /."
          error={errors.remoteDirectory}
        />
        <TextField
          id="dailyItemLimit"
          label="Daily item limit"
          inputMode="numeric"
          value={fields.dailyItemLimit}
          onValueChange={(v) => setField("dailyItemLimit", v)}
          onBlur={() => onBlur("dailyItemLimit")}
          hint="A run with more items stops and waits for your approval. Default 200000."
          error={errors.dailyItemLimit}
        />
        <TextField
          id="scheduleTime"
          label="Daily run time (UTC)"
          placeholder="HH:MM"
          value={fields.scheduleTime}
          onValueChange={(v) => setField("scheduleTime", v)}
          onBlur={() => onBlur("scheduleTime")}
          hint="Optional, 24-hour HH:MM in UTC. Left empty, a time is chosen for you."
          error={errors.scheduleTime}
        />
        <fieldset>
          <legend className="block text-sm font-medium">Destination</legend>
          <div className="mt-2 space-y-1 text-sm">
            <label className="flex items-center gap-2">
              <input type="radio" name="destination" checked={fields.destination === "graph"} onChange={() => setField("destination", "graph")} />
              Microsoft 365 mailboxes (Microsoft Graph)
            </label>
            <label className="flex items-center gap-2">
              <input type="radio" name="destination" checked={fields.destination === "local_archive"} onChange={() => setField("destination", "local_archive")} />
              Local archive (this installation)
            </label>
          </div>
        </fieldset>
      </div>
    </details>
  );
}
