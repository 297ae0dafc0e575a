"use client";

import { useState, type FormEvent } from "react";
import { useApiTokens, useCreateApiToken, useRevokeApiToken } from "@/components/query/use-api-tokens";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

export function ApiTokensPanel({ canManage }: { canManage: boolean }) {
  const tokens = useApiTokens();
  const create = useCreateApiToken();
  const revoke = useRevokeApiToken();
  const [shown, setShown] = useState<string | null>(null);

  async function onCreate(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const name = String(new FormData(form).get("name") ?? "");
    const result = await create.mutateAsync(name).catch(() => null);
    if (result) {
      setShown(result.token);
      form.reset();
    }
  }

  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-600">
        API tokens let automation call the REST API (<code>Authorization: Bearer …</code>) with your role.
      </p>
      {canManage ? (
        <form onSubmit={onCreate} className="flex items-end gap-2">
          <label className="text-sm font-medium">
            Token name
            <input name="name" required maxLength={100} className="mt-1 block rounded border border-slate-300 px-3 py-2" />
          </label>
          <Button type="submit" disabled={create.isPending}>
            Create token
          </Button>
        </form>
      ) : (
        <Alert>Creating tokens needs the Mailbox Import Export role.</Alert>
      )}
      {create.error && <Alert tone="error">{create.error.message}</Alert>}
      {shown && (
        <Alert tone="success">
          Copy this token now; it is not shown again: <code data-testid="new-token" className="break-all font-mono">{shown}</code>
        </Alert>
      )}
      {tokens.isLoading && <p className="text-sm text-slate-500">Loading tokens…</p>}
      {tokens.error && <Alert tone="error">{tokens.error.message}</Alert>}
      {tokens.data && tokens.data.length === 0 && <p className="text-sm text-slate-500">No tokens yet.</p>}
      {tokens.data && tokens.data.length > 0 && (
        <table className="w-full text-left text-sm">
          <thead className="text-slate-600">
            <tr>
              <th className="py-1">Name</th>
              <th className="py-1">Token</th>
              <th className="py-1">Created</th>
              <th className="py-1">Last used</th>
              <th className="py-1">Status</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {tokens.data.map((t) => (
              <tr key={t.id} className="border-t border-slate-200">
                <td className="py-2">{t.name}</td>
                <td className="py-2 font-mono">{t.prefix}…</td>
                <td className="py-2">{new Date(t.createdAt).toISOString().slice(0, 16).replace("T", " ")}</td>
                <td className="py-2">{t.lastUsedAt ? new Date(t.lastUsedAt).toISOString().slice(0, 16).replace("T", " ") : "never"}</td>
                <td className="py-2">{t.revokedAt ? "Revoked" : "Active"}</td>
                <td className="py-2 text-right">
                  {canManage && !t.revokedAt && (
                    <Button variant="ghost" onClick={() => revoke.mutate(t.id)} disabled={revoke.isPending}>
                      Revoke
                    </Button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
