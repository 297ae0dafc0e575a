import { requirePageUser } from "@/app/_server/page-user";
import { ConnectorDashboard } from "@/components/connectors/connector-dashboard";
import { ConnectorTypes } from "@/components/connectors/connector-types";
import { PageHeader } from "@/components/ui/page-header";
import { canManageConnectors } from "@/lib/auth/roles";

export const dynamic = "force-dynamic";

// ?selected=<id> opens that connector's flyout (the wizard lands here after saving).
// Only an id-shaped value is passed on; the flyout fetches it through the API, which
// answers 404 for anything else.
const ID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export default async function DataConnectorsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requirePageUser();
  const { selected } = await searchParams;
  const initialSelected = typeof selected === "string" && ID_SHAPE.test(selected) ? selected.toLowerCase() : null;
  return (
    <>
      <PageHeader
        title="Data connectors"
        description="Import and archive third-party chat data in Microsoft 365, where legal hold, eDiscovery and retention apply to it."
      />
      <h2 className="mb-3 text-lg font-semibold">Connector types</h2>
      <ConnectorTypes />
      <h2 className="mb-3 mt-8 text-lg font-semibold">Your connectors</h2>
      <ConnectorDashboard canManage={canManageConnectors(user)} initialSelected={initialSelected} />
    </>
  );
}
