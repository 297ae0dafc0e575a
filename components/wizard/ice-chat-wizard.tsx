"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useEffect, useState } from "react";
import { ApiError, apiFetch } from "@/components/query/api-fetch";
import { useConnectorForEdit } from "@/components/query/use-connector-for-edit";
import { useCreateConnector } from "@/components/query/use-create-connector";
import { nameAvailablePath } from "@/components/query/use-name-available";
import { useUpdateConnector } from "@/components/query/use-update-connector";
import { Alert } from "@/components/ui/alert";
import { CredentialsStep } from "@/components/wizard/credentials-step";
import { MappingStep } from "@/components/wizard/mapping-step";
import { ReviewStep } from "@/components/wizard/review-step";
import { StepList, type StepListItem } from "@/components/wizard/step-list";
import { TermsStep } from "@/components/wizard/terms-step";
import {
  clearDraft,
  connectionSignature,
  createBody,
  credentialErrors,
  defaultFields,
  EMPTY_SECRETS,
  fieldsFromConnector,
  isConnectionReady,
  loadDraft,
  mappingBlocker,
  patchBody,
  saveDraft,
  STEP_LABELS,
  storageKey,
  storedFromConnector,
  type MappingState,
  type StepId,
  type StoredConnector,
  type ValidationState,
  type WizardFields,
  type WizardSecrets,
} from "@/components/wizard/wizard-state";

// The wizard reads sessionStorage while initialising its state, so it renders in the
// browser only (see wizard-loader.tsx); the server renders the page frame around it.

export function IceChatWizard({ connectorId }: { connectorId?: string }) {
  const connector = useConnectorForEdit(connectorId);
  if (!connectorId) return <WizardBody stored={null} initialFromServer={null} />;
  if (connector.isPending) return <p className="text-sm text-slate-600">Loading the connector…</p>;
  if (connector.error) return <Alert tone="error">The connector could not be loaded: {connector.error.message}</Alert>;
  return <WizardBody key={connector.data.id} stored={storedFromConnector(connector.data)} initialFromServer={fieldsFromConnector(connector.data)} />;
}

function useUpdate(id: string | undefined) {
  // One hook call in both modes (hooks cannot be conditional); unused when creating.
  return useUpdateConnector(id ?? "");
}

function WizardBody({ stored, initialFromServer }: { stored: StoredConnector | null; initialFromServer: WizardFields | null }) {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const key = storageKey(stored?.id);
  const basedOn = stored?.updatedAt ?? null;

  const [draft] = useState(() => loadDraft(key, basedOn));
  const [fields, setFields] = useState<WizardFields>(() => draft?.fields ?? initialFromServer ?? defaultFields());
  const [termsAccepted, setTermsAccepted] = useState(() => draft?.termsAccepted ?? false);
  const [secrets, setSecrets] = useState<WizardSecrets>(EMPTY_SECRETS);
  const [validation, setValidation] = useState<ValidationState | null>(null);
  const [preview, setPreview] = useState<MappingState | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const create = useCreateConnector();
  const update = useUpdate(stored?.id);

  useEffect(() => saveDraft(key, fields, termsAccepted, basedOn), [key, fields, termsAccepted, basedOn]);

  const setField = useCallback(<K extends keyof WizardFields>(k: K, v: WizardFields[K]) => setFields((prev) => ({ ...prev, [k]: v })), []);
  const setSecret = useCallback((k: keyof WizardSecrets, v: string) => setSecrets((prev) => ({ ...prev, [k]: v })), []);

  const order: StepId[] = stored ? ["credentials", "mapping", "review"] : ["terms", "credentials", "mapping", "review"];
  const complete: Record<StepId, boolean> = {
    terms: stored !== null || termsAccepted,
    credentials:
      Object.keys(credentialErrors(fields, secrets, stored)).length === 0 && isConnectionReady(validation, connectionSignature(fields, secrets)),
    mapping: mappingBlocker(fields, preview, stored) === null,
    review: false,
  };
  const firstOpen = order.find((s) => !complete[s]) ?? "review";
  const accessible = (step: StepId) => order.slice(0, order.indexOf(step)).every((s) => complete[s]);
  const requested = searchParams.get("step") as StepId | null;
  const current: StepId = requested && order.includes(requested) && accessible(requested) ? requested : firstOpen;
  const stepHref = useCallback((step: StepId) => `${pathname}?step=${step}`, [pathname]);

  // Keep the URL honest: a reload (secrets gone) or a hand-typed later step lands on the first open step.
  useEffect(() => {
    if (requested !== current) router.replace(stepHref(current), { scroll: false });
  }, [requested, current, router, stepHref]);

  const go = (step: StepId) => {
    router.push(stepHref(step));
    window.scrollTo({ top: 0 });
  };
  const next = (step: StepId) => order[order.indexOf(step) + 1] ?? "review";
  const prev = (step: StepId) => order[order.indexOf(step) - 1];

  function cancel() {
    clearDraft(key);
    router.push(stored ? `/connectors?selected=${encodeURIComponent(stored.id)}` : "/connectors/ice-chat");
  }

  async function finish() {
    if (!validation) return;
    setSaving(true);
    setSaveError(null);
    try {
      const { available } = await apiFetch<{ available: boolean }>(nameAvailablePath(fields.name.trim(), stored?.id));
      if (!available) {
        setSaveError(`A connector named "${fields.name.trim()}" already exists. Edit the credentials step and choose another name.`);
        return;
      }
      const saved = stored
        ? await update.mutateAsync(patchBody(fields, secrets, validation, stored))
        : await create.mutateAsync(createBody(fields, secrets, validation));
      clearDraft(key);
      router.push(`/connectors?selected=${encodeURIComponent(saved.id)}`);
    } catch (err) {
      if (err instanceof ApiError && err.code === "conflict") setSaveError(`${err.message} Edit the credentials step and choose another name.`);
      else setSaveError(`The connector could not be saved: ${err instanceof Error ? err.message : "unknown error"}`);
    } finally {
      setSaving(false);
    }
  }

  const steps: StepListItem[] = order.map((id) => ({
    id,
    label: STEP_LABELS[id],
    // A later step is never shown as done before the admin has been through it.
    state: id === current ? "current" : complete[id] && order.indexOf(id) < order.indexOf(current) ? "complete" : "upcoming",
    ...(accessible(id) ? { href: stepHref(id) } : {}),
  }));

  const back = prev(current);
  return (
    <div className="grid gap-6 lg:grid-cols-[16rem_1fr]" data-testid="ice-chat-wizard" data-step={current}>
      <aside className="rounded-lg border border-slate-200 bg-white p-3 shadow-sm lg:self-start">
        <StepList steps={steps} />
      </aside>
      <div className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
        {current === "terms" && (
          <TermsStep
            onAccepted={() => {
              setTermsAccepted(true);
              go("credentials");
            }}
            onCancel={cancel}
          />
        )}
        {current === "credentials" && (
          <CredentialsStep
            fields={fields}
            secrets={secrets}
            setField={setField}
            setSecret={setSecret}
            stored={stored}
            validation={validation}
            setValidation={setValidation}
            restored={draft !== null}
            {...(back ? { onBack: () => go(back) } : {})}
            onNext={() => go(next("credentials"))}
            onCancel={cancel}
          />
        )}
        {current === "mapping" && (
          <MappingStep
            fields={fields}
            setField={setField}
            stored={stored}
            preview={preview}
            setPreview={setPreview}
            onBack={() => go("credentials")}
            onNext={() => go("review")}
            onCancel={cancel}
          />
        )}
        {current === "review" && (
          <ReviewStep
            fields={fields}
            secrets={secrets}
            stored={stored}
            validation={validation}
            preview={preview}
            stepHref={stepHref}
            saving={saving}
            saveError={saveError}
            onBack={() => go("mapping")}
            onFinish={finish}
            onCancel={cancel}
          />
        )}
      </div>
    </div>
  );
}
