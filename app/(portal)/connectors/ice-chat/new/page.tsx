import { Suspense } from "react";
import { requirePageUser } from "@/app/_server/page-user";
import { Alert } from "@/components/ui/alert";
import { ButtonLink } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { WizardLoader } from "@/components/wizard/wizard-loader";
import { canManageConnectors } from "@/lib/auth/roles";

export const dynamic = "force-dynamic";

export default async function NewIceChatConnectorPage() {
  const user = await requirePageUser();
  return (
    <>
      <PageHeader title="Add an ICE Chat connector" description="Data connectors › ICE Chat › Add connector" />
      {canManageConnectors(user) ? (
        <Suspense fallback={<p className="text-sm text-slate-600">Loading the wizard…</p>}>
          <WizardLoader />
        </Suspense>
      ) : (
        <div className="space-y-4">
          <Alert tone="warning">Adding a connector needs the Mailbox Import Export role. Ask an administrator to add it or to give you the role.</Alert>
          <ButtonLink href="/connectors/ice-chat" variant="secondary">
            Back to ICE Chat
          </ButtonLink>
        </div>
      )}
    </>
  );
}
