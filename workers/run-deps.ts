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

/** The import run's dependencies, from configuration. */
export function runDeps(log: Logger): RunImportDeps {
  const e = env();
  return {
    db: db(),
    keyring: appKeyring(),
    log,
    dataDir: path.resolve(e.DATA_DIR),
    sftp: { allowPrivateNetworks: e.SFTP_ALLOW_PRIVATE_NETWORKS, allowedPorts: e.SFTP_ALLOWED_PORTS },
    createDestination: (connector: Connector): Destination => {
      if (connector.destination === "LOCAL_ARCHIVE") return createArchiveDestination({ db: db(), connectorId: connector.id });
      if (!e.GRAPH_TENANT_ID || !e.GRAPH_CLIENT_ID || !e.GRAPH_CLIENT_SECRET) {
        throw new AppError("validation_failed", "Microsoft 365 delivery is not configured: set GRAPH_TENANT_ID, GRAPH_CLIENT_ID and GRAPH_CLIENT_SECRET.");
      }
      return createGraphDestination({
        tenantId: e.GRAPH_TENANT_ID,
        clientId: e.GRAPH_CLIENT_ID,
        clientSecret: e.GRAPH_CLIENT_SECRET,
        authorityHost: e.GRAPH_AUTHORITY_HOST,
        graphBaseUrl: e.GRAPH_BASE_URL,
      });
    },
  };
}
