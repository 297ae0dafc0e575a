import { formatIPv4, matchesPrefix, parseIPv4, parseIPv6 } from "./parse-ip";

/**
 * What kind of destination an IP address is, for the SSRF guard.
 * - public: globally routable unicast.
 * - internal kinds (loopback, private, link_local, unique_local, cgnat, benchmarking):
 *   reachable only inside some network; allowed only when the operator opts in.
 * - never-allowed kinds (unspecified, multicast, broadcast, reserved, documentation, metadata).
 */
export type AddressCategory =
  | "public"
  | "loopback"
  | "private"
  | "link_local"
  | "unique_local"
  | "cgnat"
  | "benchmarking"
  | "unspecified"
  | "multicast"
  | "broadcast"
  | "reserved"
  | "documentation"
  | "metadata";

export interface AddressClassification {
  category: AddressCategory;
  /** For IPv4-mapped / NAT64 / 6to4 IPv6 forms: the embedded IPv4 address that was judged. */
  embeddedIPv4?: string;
}

export const INTERNAL_CATEGORIES: ReadonlySet<AddressCategory> = new Set<AddressCategory>([
  "loopback",
  "private",
  "link_local",
  "unique_local",
  "cgnat",
  "benchmarking",
]);

const CATEGORY_LABELS: Record<AddressCategory, string> = {
  public: "a public address",
  loopback: "a loopback address",
  private: "a private address",
  link_local: "a link-local address",
  unique_local: "an IPv6 unique-local (private) address",
  cgnat: "a carrier-grade NAT (100.64.0.0/10) address",
  benchmarking: "a benchmarking-network (198.18.0.0/15) address",
  unspecified: "the unspecified address",
  multicast: "a multicast address",
  broadcast: "the broadcast address",
  reserved: "a reserved address",
  documentation: "a documentation-only address",
  metadata: "a cloud metadata service address",
};

export function describeCategory(category: AddressCategory): string {
  return CATEGORY_LABELS[category];
}

interface Range {
  network: Uint8Array;
  prefix: number;
  category: AddressCategory;
}

function v4(cidr: string, category: AddressCategory): Range {
  const [net, prefix] = cidr.split("/");
  const bytes = parseIPv4(net ?? "");
  if (!bytes) throw new Error(`bad IPv4 range ${cidr}`);
  return { network: bytes, prefix: Number(prefix ?? 32), category };
}

function v6(cidr: string, category: AddressCategory): Range {
  const [net, prefix] = cidr.split("/");
  const bytes = parseIPv6(net ?? "");
  if (!bytes) throw new Error(`bad IPv6 range ${cidr}`);
  return { network: bytes, prefix: Number(prefix ?? 128), category };
}

// Most specific first: the first match wins. Metadata endpoints sit inside
// link-local / CGNAT / public space, so they come before their enclosing ranges.
const IPV4_RANGES: readonly Range[] = [
  v4("169.254.169.254/32", "metadata"), // AWS, GCP, Azure, OpenStack, DigitalOcean...
  v4("169.254.170.2/32", "metadata"), // AWS ECS task credentials
  v4("169.254.170.23/32", "metadata"), // AWS EKS pod identity
  v4("100.100.100.200/32", "metadata"), // Alibaba Cloud
  v4("168.63.129.16/32", "metadata"), // Azure wire server (public-looking)
  v4("0.0.0.0/32", "unspecified"),
  v4("0.0.0.0/8", "reserved"),
  v4("10.0.0.0/8", "private"),
  v4("100.64.0.0/10", "cgnat"),
  v4("127.0.0.0/8", "loopback"),
  v4("169.254.0.0/16", "link_local"),
  v4("172.16.0.0/12", "private"),
  v4("192.0.0.0/24", "reserved"),
  v4("192.0.2.0/24", "documentation"),
  v4("192.88.99.0/24", "reserved"),
  v4("192.168.0.0/16", "private"),
  v4("198.18.0.0/15", "benchmarking"),
  v4("198.51.100.0/24", "documentation"),
  v4("203.0.113.0/24", "documentation"),
  v4("224.0.0.0/4", "multicast"),
  v4("255.255.255.255/32", "broadcast"),
  v4("240.0.0.0/4", "reserved"),
];

const IPV6_RANGES: readonly Range[] = [
  v6("fd00:ec2::254/128", "metadata"), // AWS IMDS over IPv6
  v6("fd00:ec2::23/128", "metadata"), // AWS EKS pod identity over IPv6
  v6("::/128", "unspecified"),
  v6("::1/128", "loopback"),
  v6("::/96", "reserved"), // deprecated IPv4-compatible form
  v6("64:ff9b:1::/48", "private"), // local-use NAT64
  v6("100::/64", "reserved"), // discard-only
  v6("2001:db8::/32", "documentation"),
  v6("2001::/23", "reserved"), // IETF protocol assignments incl. Teredo, ORCHID
  v6("3fff::/20", "documentation"),
  v6("5f00::/16", "reserved"), // SRv6 SIDs
  v6("fc00::/7", "unique_local"),
  v6("fe80::/10", "link_local"),
  v6("fec0::/10", "private"), // deprecated site-local
  v6("ff00::/8", "multicast"),
];

const IPV4_MAPPED = v6("::ffff:0:0/96", "reserved");
const NAT64_WELL_KNOWN = v6("64:ff9b::/96", "reserved");
const SIX_TO_FOUR = v6("2002::/16", "reserved");
const GLOBAL_UNICAST = v6("2000::/3", "public");

/**
 * Classifies an IP literal. Throws for anything that is not an IP literal:
 * callers resolve host names first.
 */
export function classifyAddress(ip: string): AddressClassification {
  const v4Bytes = parseIPv4(ip);
  if (v4Bytes) return { category: classifyIPv4(v4Bytes) };

  const v6Bytes = parseIPv6(ip);
  if (!v6Bytes) throw new Error(`not an IP address: ${JSON.stringify(ip)}`);

  // Forms that carry an IPv4 address are judged by that address, so
  // ::ffff:10.0.0.5 or 2002:0a00:0005:: cannot smuggle a private target.
  if (matchesPrefix(v6Bytes, IPV4_MAPPED.network, IPV4_MAPPED.prefix) || matchesPrefix(v6Bytes, NAT64_WELL_KNOWN.network, NAT64_WELL_KNOWN.prefix)) {
    const embedded = v6Bytes.subarray(12, 16);
    return { category: classifyIPv4(embedded), embeddedIPv4: formatIPv4(embedded) };
  }
  if (matchesPrefix(v6Bytes, SIX_TO_FOUR.network, SIX_TO_FOUR.prefix)) {
    const embedded = v6Bytes.subarray(2, 6);
    return { category: classifyIPv4(embedded), embeddedIPv4: formatIPv4(embedded) };
  }

  for (const range of IPV6_RANGES) {
    if (matchesPrefix(v6Bytes, range.network, range.prefix)) return { category: range.category };
  }
  // Only 2000::/3 is allocated for global unicast; everything else is unassigned.
  if (matchesPrefix(v6Bytes, GLOBAL_UNICAST.network, GLOBAL_UNICAST.prefix)) return { category: "public" };
  return { category: "reserved" };
}

function classifyIPv4(bytes: Uint8Array): AddressCategory {
  for (const range of IPV4_RANGES) {
    if (matchesPrefix(bytes, range.network, range.prefix)) return range.category;
  }
  return "public";
}
