// The network guard for the Microsoft 365 endpoints an administrator may type in Settings
// (authority host, Graph base URL). The client secret goes to the first and access tokens
// to the second, and "Test connection" reports how a host answered, so without this an
// administrator could point them at internal services (SSRF). Same policy as for SFTP
// hosts (lib/net/vet-target): internal addresses only when the operator allows them,
// metadata and other special addresses never, and only port 443 unless allowed.
//
// Unlike the SFTP client, the Graph SDK and @azure/identity resolve the name again when
// they connect, so this check is repeated before every connection test and every run
// rather than pinned to one address; a DNS answer that flips in between is the residual risk
// (documented in docs/operations.md).

import { AppError, isAppError } from "@/lib/errors";
import { vetTarget, type Resolver, type VetRefusalDetails } from "@/lib/net/vet-target";
import { normalizeHttpsUrl } from "@/lib/settings/graph-settings-input";

export interface GraphEndpointPolicy {
  /** GRAPH_ALLOW_PRIVATE_NETWORKS: lets the endpoints be internal hosts on any port (emulators, tests). */
  allowPrivateNetworks: boolean;
  resolver?: Resolver;
  dnsTimeoutMs?: number;
}

export interface GraphEndpoints {
  authorityHost?: string;
  graphBaseUrl?: string;
}

const SETTING_NAMES = { allowPrivateNetworks: "GRAPH_ALLOW_PRIVATE_NETWORKS" };
const HTTPS_PORT = 443;

/**
 * Refuses custom endpoints that resolve to addresses the policy does not allow, with
 * AppError("validation_failed") naming the endpoint. Unset endpoints mean Microsoft's
 * public cloud and are not looked up. A name that does not resolve is not refused here:
 * nothing can be reached through it, and the connection test reports it with a fix.
 */
export async function vetGraphEndpoints(endpoints: GraphEndpoints, policy: GraphEndpointPolicy): Promise<void> {
  const checks: [label: string, raw: string | undefined][] = [
    ["The authority host", endpoints.authorityHost],
    ["The Microsoft Graph base URL", endpoints.graphBaseUrl],
  ];
  for (const [label, raw] of checks) {
    if (!raw) continue;
    const url = new URL(normalizeHttpsUrl(raw, label));
    const port = url.port === "" ? HTTPS_PORT : Number(url.port);
    try {
      await vetTarget(
        { host: url.hostname, port },
        {
          allowPrivateNetworks: policy.allowPrivateNetworks,
          // The port is judged below, after the address: where a URL points matters more.
          allowedPorts: [port],
          resolver: policy.resolver,
          dnsTimeoutMs: policy.dnsTimeoutMs,
          settingNames: SETTING_NAMES,
        },
      );
    } catch (error) {
      if (isAppError(error) && (error.details as VetRefusalDetails | undefined)?.reason === "dns_failed") continue;
      const reason = error instanceof Error ? error.message : String(error);
      throw new AppError("validation_failed", `${label} ${url.host} is not allowed: ${reason}`);
    }
    if (port !== HTTPS_PORT && !policy.allowPrivateNetworks) {
      throw new AppError(
        "validation_failed",
        `${label} ${url.host} is not allowed: Microsoft 365 endpoints use port 443, not ${port}; set GRAPH_ALLOW_PRIVATE_NETWORKS=true to allow other ports (emulators and tests only).`,
      );
    }
  }
}
