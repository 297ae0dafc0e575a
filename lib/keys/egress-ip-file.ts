import os from "node:os";

/**
 * The IP address file an admin gives ICE so its SFTP site accepts the connector. It
 * lists the configured egress addresses; when none are configured it lists this host's
 * non-loopback addresses and says they were detected (behind NAT they are not what ICE
 * sees, hence the warning).
 */
export function renderEgressIpFile(configured: readonly string[], interfaces = os.networkInterfaces(), now = new Date()): string {
  const lines = [`# ICE Chat Connector egress IP addresses (${now.toISOString()})`];
  if (configured.length > 0) {
    lines.push("# Configured by the operator (CONNECTOR_EGRESS_IPS).", ...configured);
  } else {
    const detected = Object.values(interfaces)
      .flatMap((list) => list ?? [])
      .filter((i) => !i.internal)
      .map((i) => i.address);
    lines.push(
      "# Detected from this host's network interfaces because CONNECTOR_EGRESS_IPS is not set.",
      "# If the connector reaches the internet through NAT or a proxy, ask your network team for the public address instead.",
      ...(detected.length > 0 ? [...new Set(detected)] : ["# (no non-loopback address found)"]),
    );
  }
  return lines.join("\n") + "\n";
}
