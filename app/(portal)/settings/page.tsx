import { requirePageUser } from "@/app/_server/page-user";
import { ApiTokensPanel } from "@/components/settings/api-tokens-panel";
import { GraphSettingsPanel } from "@/components/settings/graph-settings-panel";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { canManageConnectors, ROLE_LABELS } from "@/lib/auth/roles";

export const dynamic = "force-dynamic";

export default async function SettingsPage() {
  const user = await requirePageUser();
  return (
    <>
      <PageHeader title="Settings" />
      <div className="grid gap-6">
        <Card title="Your account">
          <dl className="grid grid-cols-[10rem_1fr] gap-y-1 text-sm">
            <dt className="text-slate-600">E-mail</dt>
            <dd>{user.email}</dd>
            <dt className="text-slate-600">Role</dt>
            <dd data-testid="role">{ROLE_LABELS[user.role]}</dd>
          </dl>
        </Card>
        <Card title="Microsoft 365 (Graph)">
          <GraphSettingsPanel canManage={canManageConnectors(user)} />
        </Card>
        <Card title="API tokens">
          <ApiTokensPanel canManage={canManageConnectors(user)} />
        </Card>
      </div>
    </>
  );
}
