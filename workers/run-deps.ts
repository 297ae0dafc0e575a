import path from "node:path";
import type { Logger } from "pino";
import { createArchiveDestination } from "@/lib/archive/archive-destination";
import { db } from "@/lib/db";
import type { Destination } from "@/lib/delivery/destination";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import type { Connector } from "@/lib/generated/prisma/client";
import { createGraphDestination } from "@/lib/graph";
import type { RunImportDeps } from "@/lib/imports/run-import";
import { appKeyring } from "@/lib/secrets";
import { resolveGraphConfig } from "@/lib/settings/graph-settings";

/** The import run's dependencies, from configuration. */
export function runDeps(log: Logger): RunImportDeps {
  const e = env();
  return {
    db: db(),
    keyring: appKeyring(),
    log,
    dataDir: path.resolve(e.DATA_DIR),
    sftp: { allowPrivateNetworks: e.SFTP_ALLOW_PRIVATE_NETWORKS, allowedPorts: e.SFTP_ALLOWED_PORTS },
    createDestination: async (connector: Connector): Promise<Destination> => {
      if (connector.destination === "LOCAL_ARCHIVE") return createArchiveDestination({ db: db(), connectorId: connector.id });
      // Read per run: a change saved in Settings applies to the next run without a worker restart.
      // Settings or env may name custom endpoints: vetted before each run (the SDK resolves them again).
      const config = await resolveGraphConfig(db(), appKeyring(), e, { allowPrivateNetworks: e.GRAPH_ALLOW_PRIVATE_NETWORKS });
      if (!config) {
        throw new AppError(
          "validation_failed",
          "Microsoft 365 delivery is not configured: enter the app registration under Settings → Microsoft 365 (Graph), or set GRAPH_TENANT_ID, GRAPH_CLIENT_ID and GRAPH_CLIENT_SECRET.",
        );
      }
      return createGraphDestination(config);
    },
  };
}
