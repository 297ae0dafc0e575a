"use client";

import { useRef, useState, type FormEvent } from "react";
import {
  useGraphSettings,
  useRemoveGraphSettings,
  useSaveGraphSettings,
  useTestGraphConnection,
  type GraphImportMethod,
  type GraphSettingsForm,
  type GraphSettingsView,
} from "@/components/query/use-graph-settings";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

const SOURCE_LABELS: Record<GraphSettingsView["source"], string> = {
  settings: "Settings (stored encrypted in the database)",
  env: "Environment variables (GRAPH_TENANT_ID, GRAPH_CLIENT_ID, GRAPH_CLIENT_SECRET)",
  none: "Not configured",
};

const IMPORT_METHOD_LABELS: Record<GraphImportMethod, string> = {
  json: "JSON (Microsoft Graph v1.0)",
  importMime: "importMime (Microsoft Graph beta)",
};

const inputClass = "mt-1 block w-full rounded border border-slate-300 px-3 py-2 font-mono text-sm";

function readForm(form: HTMLFormElement): GraphSettingsForm {
  const data = new FormData(form);
  const text = (name: string) => String(data.get(name) ?? "");
  const importMethod: GraphImportMethod = text("importMethod") === "importMime" ? "importMime" : "json";
  return { tenantId: text("tenantId"), clientId: text("clientId"), clientSecret: text("clientSecret"), authorityHost: text("authorityHost"), graphBaseUrl: text("graphBaseUrl"), importMethod };
}

/** The two import methods, with what choosing the beta one means. */
function ImportMethodChoice({ value }: { value: GraphImportMethod }) {
  return (
    <fieldset className="text-sm" data-testid="graph-import-method-choice">
      <legend className="font-medium">Import method</legend>
      <div className="mt-1 space-y-2">
        <label className="flex items-start gap-2">
          <input type="radio" name="importMethod" value="json" defaultChecked={value !== "importMime"} className="mt-1" />
          <span>
            JSON (Microsoft Graph v1.0) — recommended
            <span className="block text-xs text-slate-600">
              Creates each item as a received message from JSON. Large attachments go through upload sessions, up to the mailbox&apos;s message size limit. Needs{" "}
              <code>Mail.ReadWrite</code>.
            </span>
          </span>
        </label>
        <label className="flex items-start gap-2">
          <input type="radio" name="importMethod" value="importMime" defaultChecked={value === "importMime"} className="mt-1" />
          <span>
            importMime (beta)
            <span className="block text-xs text-slate-600">
              Imports the original MIME message, keeping all its internet headers (<code>X-ICE-*</code>), body parts and attachments. A Microsoft Graph{" "}
              <strong>beta</strong> API: subject to change, and not supported by Microsoft in production. Needs the additional application permission{" "}
              <code>Mail-Advanced.ReadWrite.All</code>. There is no upload session: an item over about 3 MB of MIME (about 2 MB of attachments) fails as too large;
              import such items with the JSON method.
            </span>
          </span>
        </label>
      </div>
    </fieldset>
  );
}

export function GraphSettingsPanel({ canManage }: { canManage: boolean }) {
  const settings = useGraphSettings();
  const save = useSaveGraphSettings();
  const remove = useRemoveGraphSettings();
  const test = useTestGraphConnection();
  const formRef = useRef<HTMLFormElement>(null);
  const [saved, setSaved] = useState(false);
  const view = settings.data;

  async function onSave(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(false);
    test.reset();
    const result = await save.mutateAsync(readForm(event.currentTarget)).catch(() => null);
    if (result) setSaved(true);
  }

  function onTest() {
    setSaved(false);
    const form = formRef.current;
    // Unsaved values are tested as typed; an empty form tests what is in use.
    const values = form ? readForm(form) : null;
    test.mutate(values && values.tenantId.trim() ? values : null);
  }

  async function onRemove() {
    if (!window.confirm("Remove the Microsoft 365 settings? Delivery then uses the environment variables, if set.")) return;
    setSaved(false);
    test.reset();
    await remove.mutateAsync().catch(() => null);
  }

  return (
    <div className="space-y-4" data-testid="graph-settings">
      <p className="text-sm text-slate-600">
        Delivery into Microsoft 365 uses an Entra ID app registration. Give it the Microsoft Graph <strong>application</strong> permissions{" "}
        <code>Mail.ReadWrite</code> (import into mailboxes) and <code>User.Read.All</code> (find the mailboxes), and grant{" "}
        <strong>admin consent</strong>; the beta importMime import method needs <code>Mail-Advanced.ReadWrite.All</code> as well. Settings saved here
        take precedence over the <code>GRAPH_*</code> environment variables.
      </p>
      {settings.isLoading && <p className="text-sm text-slate-500">Loading…</p>}
      {settings.error && <Alert tone="error">{settings.error.message}</Alert>}
      {view && (
        <dl className="grid grid-cols-[10rem_1fr] gap-y-1 text-sm">
          <dt className="text-slate-600">Source</dt>
          <dd data-testid="graph-source">{SOURCE_LABELS[view.source]}</dd>
          <dt className="text-slate-600">Tenant id</dt>
          <dd className="font-mono" data-testid="graph-tenant-id">{view.tenantId ?? "—"}</dd>
          <dt className="text-slate-600">Client id</dt>
          <dd className="font-mono" data-testid="graph-client-id">{view.clientId ?? "—"}</dd>
          <dt className="text-slate-600">Client secret</dt>
          <dd data-testid="graph-secret-state">{view.hasClientSecret ? "•••• set" : "not set"}</dd>
          <dt className="text-slate-600">Authority host</dt>
          <dd className="font-mono">{view.authorityHost ?? "https://login.microsoftonline.com (default)"}</dd>
          <dt className="text-slate-600">Graph base URL</dt>
          <dd className="font-mono">{view.graphBaseUrl ?? "https://graph.microsoft.com (default)"}</dd>
          <dt className="text-slate-600">Import method</dt>
          <dd data-testid="graph-import-method">{IMPORT_METHOD_LABELS[view.importMethod]}</dd>
          {view.updatedAt && (
            <>
              <dt className="text-slate-600">Last changed</dt>
              <dd>
                {new Date(view.updatedAt).toISOString().slice(0, 16).replace("T", " ")} by {view.updatedBy}
              </dd>
            </>
          )}
        </dl>
      )}
      {view?.importMethod === "importMime" && (
        <div data-testid="graph-import-method-warning">
          <Alert tone="warning">
            Delivery uses the <strong>beta</strong> importMime API: Microsoft may change it, and does not support beta APIs in production. The app
            registration needs <code>Mail-Advanced.ReadWrite.All</code>; items over about 3 MB of MIME fail as too large.
          </Alert>
        </div>
      )}
      {view && !canManage && <Alert>Changing these settings needs the Mailbox Import Export role.</Alert>}
      {view && canManage && (
        <form ref={formRef} key={`${view.source}:${view.updatedAt ?? ""}`} onSubmit={onSave} className="space-y-3" autoComplete="off">
          <div className="grid gap-3 md:grid-cols-2">
            <label className="text-sm font-medium">
              Directory (tenant) id
              <input name="tenantId" required defaultValue={view.tenantId ?? ""} placeholder="00000000-0000-0000-0000-000000000000 or contoso.onmicrosoft.com" className={inputClass} />
            </label>
            <label className="text-sm font-medium">
              Application (client) id
              <input name="clientId" required defaultValue={view.clientId ?? ""} placeholder="00000000-0000-0000-0000-000000000000" className={inputClass} />
            </label>
            <label className="text-sm font-medium md:col-span-2">
              Client secret
              <input
                name="clientSecret"
                type="password"
                autoComplete="new-password"
                placeholder={view.source === "settings" && view.hasClientSecret ? "•••• set — leave blank to keep it" : "the secret's Value from Certificates & secrets"}
                className={inputClass}
              />
            </label>
          </div>
          <ImportMethodChoice value={view.importMethod} />
          <details className="text-sm">
            <summary className="cursor-pointer text-slate-700">Advanced (national clouds)</summary>
            <div className="mt-2 grid gap-3 md:grid-cols-2">
              <label className="text-sm font-medium">
                Authority host
                <input name="authorityHost" defaultValue={view.authorityHost ?? ""} placeholder="https://login.microsoftonline.com" className={inputClass} />
              </label>
              <label className="text-sm font-medium">
                Graph base URL
                <input name="graphBaseUrl" defaultValue={view.graphBaseUrl ?? ""} placeholder="https://graph.microsoft.com" className={inputClass} />
              </label>
            </div>
            <p className="mt-2 text-slate-600">Changing either of these requires entering the client secret again.</p>
          </details>
          <div className="flex flex-wrap gap-2">
            <Button type="submit" disabled={save.isPending}>
              Save
            </Button>
            <Button variant="secondary" onClick={onTest} disabled={test.isPending}>
              {test.isPending ? "Testing…" : "Test connection"}
            </Button>
            {view.source === "settings" && (
              <Button variant="danger" onClick={onRemove} disabled={remove.isPending}>
                Remove
              </Button>
            )}
          </div>
        </form>
      )}
      {saved && <Alert tone="success">Microsoft 365 settings saved. The next import run uses them.</Alert>}
      {save.error && <Alert tone="error">{save.error.message}</Alert>}
      {remove.error && <Alert tone="error">{remove.error.message}</Alert>}
      {test.error && <Alert tone="error">{test.error.message}</Alert>}
      {test.data && (
        <div data-testid="graph-test-result">
          <Alert tone={test.data.ok ? "success" : "error"}>
            {test.data.ok ? "Connection works." : "Connection failed."}
            <ul className="mt-2 space-y-1">
              {test.data.stages.map((s) => (
                <li key={s.stage}>
                  <strong>{s.stage === "token" ? "Sign-in (token)" : "Graph (list users)"}:</strong> {s.ok ? "ok" : "failed"} — {s.detail}
                  {s.fix && <div className="mt-1 font-medium">Fix: {s.fix}</div>}
                </li>
              ))}
            </ul>
          </Alert>
        </div>
      )}
    </div>
  );
}
