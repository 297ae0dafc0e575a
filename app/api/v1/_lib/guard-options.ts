import "server-only";
import { env } from "@/lib/env";
import type { ValidateConnectorOptions } from "@/lib/connectors/validate-connector-connection";
import type { GraphEndpointPolicy } from "@/lib/graph/vet-graph-endpoints";

/** The SFTP network guard as configured (SFTP_ALLOW_PRIVATE_NETWORKS, SFTP_ALLOWED_PORTS). */
export function sftpGuardOptions(): ValidateConnectorOptions {
  const e = env();
  return { allowPrivateNetworks: e.SFTP_ALLOW_PRIVATE_NETWORKS, allowedPorts: e.SFTP_ALLOWED_PORTS };
}

/** The same guard for the Microsoft 365 endpoints (GRAPH_ALLOW_PRIVATE_NETWORKS). */
export function graphEndpointPolicy(): GraphEndpointPolicy {
  return { allowPrivateNetworks: env().GRAPH_ALLOW_PRIVATE_NETWORKS };
}
