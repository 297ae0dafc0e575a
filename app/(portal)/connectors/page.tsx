import { requirePageUser } from "@/app/_server/page-user";
import { ConnectorTable } from "@/components/connectors/connector-table";
import { ConnectorTypes } from "@/components/connectors/connector-types";
import { PageHeader } from "@/components/ui/page-header";
import { listConnectors } from "@/lib/connectors/list-connectors";
import { db } from "@/lib/db";

export const dynamic = "force-dynamic";

export default async function DataConnectorsPage() {
  await requirePageUser();
  const connectors = await listConnectors(db());
  return (
    <>
      <PageHeader
        title="Data connectors"
        description="Import and archive third-party chat data in Microsoft 365, where legal hold, eDiscovery and retention apply to it."
      />
      <h2 className="mb-3 text-lg font-semibold">Connector types</h2>
      <ConnectorTypes />
      <h2 className="mb-3 mt-8 text-lg font-semibold">Your connectors</h2>
      <ConnectorTable connectors={connectors} />
    </>
  );
}
