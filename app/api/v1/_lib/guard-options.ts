import "server-only";
import { env } from "@/lib/env";
import type { ValidateConnectorOptions } from "@/lib/connectors/validate-connector-connection";

/** The SFTP network guard as configured (SFTP_ALLOW_PRIVATE_NETWORKS, SFTP_ALLOWED_PORTS). */
export function sftpGuardOptions(): ValidateConnectorOptions {
  const e = env();
  return { allowPrivateNetworks: e.SFTP_ALLOW_PRIVATE_NETWORKS, allowedPorts: e.SFTP_ALLOWED_PORTS };
}
