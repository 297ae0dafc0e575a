import { Suspense } from "react";
import { requirePageUser } from "@/app/_server/page-user";
import { Alert } from "@/components/ui/alert";
import { ButtonLink } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { WizardLoader } from "@/components/wizard/wizard-loader";
import { canManageConnectors } from "@/lib/auth/roles";

export const dynamic = "force-dynamic";

export default async function EditIceChatConnectorPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePageUser();
  const { id } = await params;
  return (
    <>
      <PageHeader
        title="Edit ICE Chat connector"
        description="Change the connector's settings. Secrets you leave blank keep their stored values."
      />
      {canManageConnectors(user) ? (
        <Suspense fallback={<p className="text-sm text-slate-600">Loading the wizard…</p>}>
          <WizardLoader connectorId={id} />
        </Suspense>
      ) : (
        <div className="space-y-4">
          <Alert tone="warning">Changing a connector needs the Mailbox Import Export role.</Alert>
          <ButtonLink href="/connectors" variant="secondary">
            Back to Data connectors
          </ButtonLink>
        </div>
      )}
    </>
  );
}
