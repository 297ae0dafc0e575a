import { promises as dns } from "node:dns";
import { isIP } from "node:net";
import { AppError } from "@/lib/errors";
import { classifyAddress, describeCategory, INTERNAL_CATEGORIES, type AddressCategory } from "./classify-address";
import { isIPv4Mapped, parseIPv6, stripZone } from "./parse-ip";

// The SSRF guard for admin-supplied hosts. Policy:
// - the host is resolved ONCE here and the caller connects to the returned address,
//   so a second DNS answer (rebinding) can never change the destination;
// - if ANY resolved address is refused, the whole host is refused (a name that mixes
//   public and internal answers is either misconfigured or an attack);
// - internal networks (loopback, RFC 1918, link-local, unique-local, CGNAT, benchmarking)
//   are allowed only with allowPrivateNetworks;
// - cloud metadata endpoints, unspecified, multicast, broadcast, reserved and
//   documentation addresses are ALWAYS refused, even with allowPrivateNetworks:
//   no SFTP site lives there and reaching them from a server leaks credentials.

export interface ResolvedAddress {
  address: string;
  family: number;
}

export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export interface VetTargetOptions {
  allowPrivateNetworks: boolean;
  allowedPorts: readonly number[];
  /** Injected in tests; defaults to the system resolver (getaddrinfo, honours /etc/hosts). */
  resolver?: Resolver;
  dnsTimeoutMs?: number;
  /** The settings a refusal tells the operator to change (default: the SFTP ones). */
  settingNames?: { allowPrivateNetworks: string; allowedPorts?: string };
}

export interface VettedTarget {
  /** The host as the admin wrote it (trimmed, brackets removed). */
  host: string;
  /** The address to connect to; never resolve `host` again. */
  address: string;
  family: 4 | 6;
  port: number;
  /** Every address the name resolved to (all of them were vetted). */
  resolvedAddresses: string[];
}

export type VetRefusalReason = "invalid_host" | "invalid_port" | "port_not_allowed" | "address_refused" | "dns_failed";

export interface VetRefusalDetails {
  reason: VetRefusalReason;
  address?: string;
  category?: AddressCategory;
}

const DEFAULT_DNS_TIMEOUT_MS = 10_000;
const SFTP_SETTING_NAMES = { allowPrivateNetworks: "SFTP_ALLOW_PRIVATE_NETWORKS", allowedPorts: "SFTP_ALLOWED_PORTS" };
const HOSTNAME_PATTERN = /^(?=.{1,253}\.?$)[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*\.?$/i;

export const systemResolver: Resolver = async (hostname) => {
  const answers = await dns.lookup(hostname, { all: true, verbatim: true });
  return answers.map(({ address, family }) => ({ address, family }));
};

/**
 * Resolves and checks an admin-supplied host and port against the network policy.
 * Throws AppError("validation_failed") for a refused target and
 * AppError("connection_failed") when the name cannot be resolved.
 */
export async function vetTarget(target: { host: string; port: number }, options: VetTargetOptions): Promise<VettedTarget> {
  const host = normalizeHost(target.host);
  const names = options.settingNames ?? SFTP_SETTING_NAMES;
  const port = checkPort(target.port, options.allowedPorts, names.allowedPorts ?? SFTP_SETTING_NAMES.allowedPorts);

  const literalFamily = isIP(stripZone(host));
  const answers = literalFamily !== 0 ? [{ address: host, family: literalFamily }] : await resolveName(host, options);

  const resolvedAddresses: string[] = [];
  for (const answer of answers) {
    resolvedAddresses.push(judgeAddress(host, answer.address, options.allowPrivateNetworks, names.allowPrivateNetworks));
  }
  const first = resolvedAddresses[0];
  if (first === undefined) {
    throw new AppError("connection_failed", `${host} did not resolve to any address`, refusal("dns_failed"));
  }
  return { host, address: first, family: isIP(stripZone(first)) === 6 ? 6 : 4, port, resolvedAddresses };
}

function normalizeHost(raw: string): string {
  const trimmed = typeof raw === "string" ? raw.trim() : "";
  const bracketed = trimmed.startsWith("[") && trimmed.endsWith("]");
  const unbracketed = bracketed ? trimmed.slice(1, -1) : trimmed;
  if (unbracketed === "") {
    throw new AppError("validation_failed", "The SFTP host is empty.", refusal("invalid_host"));
  }
  // Brackets are only meaningful around an IPv6 literal.
  if (bracketed ? isIP(stripZone(unbracketed)) === 6 : isIP(stripZone(unbracketed)) !== 0 || HOSTNAME_PATTERN.test(unbracketed)) return unbracketed;
  throw new AppError(
    "validation_failed",
    `"${printable(unbracketed)}" is not a valid host name or IP address (write just the host, e.g. sftp.example.com, without scheme, user, port or path; internationalised names must be in punycode).`,
    refusal("invalid_host"),
  );
}

function checkPort(port: number, allowedPorts: readonly number[], allowedPortsSetting: string): number {
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new AppError("validation_failed", `Port ${String(port)} is not a valid TCP port (1-65535).`, refusal("invalid_port"));
  }
  if (!allowedPorts.includes(port)) {
    const allowed = allowedPorts.length > 0 ? allowedPorts.join(", ") : "none";
    throw new AppError(
      "validation_failed",
      `Port ${port} is not allowed (allowed: ${allowed}); add it to ${allowedPortsSetting} to allow it.`,
      refusal("port_not_allowed"),
    );
  }
  return port;
}

async function resolveName(host: string, options: VetTargetOptions): Promise<ResolvedAddress[]> {
  const resolver = options.resolver ?? systemResolver;
  const timeoutMs = options.dnsTimeoutMs ?? DEFAULT_DNS_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AppError("connection_failed", `DNS lookup of ${host} timed out after ${timeoutMs} ms.`, refusal("dns_failed"))), timeoutMs);
  });
  try {
    const answers = await Promise.race([resolver(host), timeout]);
    if (!Array.isArray(answers) || answers.length === 0) {
      throw new AppError("connection_failed", `${host} did not resolve to any address.`, refusal("dns_failed"));
    }
    return answers;
  } catch (err) {
    if (err instanceof AppError) throw err;
    const code = (err as NodeJS.ErrnoException | undefined)?.code;
    const why = code === "ENOTFOUND" || code === "EAI_NONAME" ? "no such host name" : code === "EAI_AGAIN" ? "the DNS server did not answer (temporary failure)" : `lookup failed (${code ?? "unknown error"})`;
    throw new AppError("connection_failed", `Could not resolve ${host}: ${why}. Check the host name.`, refusal("dns_failed"));
  } finally {
    clearTimeout(timer);
  }
}

function judgeAddress(host: string, rawAddress: unknown, allowPrivateNetworks: boolean, allowPrivateSetting: string): string {
  const address = typeof rawAddress === "string" ? rawAddress : "";
  if (isIP(stripZone(address)) === 0) {
    throw new AppError("connection_failed", `The resolver returned an invalid address for ${host}.`, refusal("dns_failed"));
  }
  const { category, embeddedIPv4 } = classifyAddress(address);
  const allowed = category === "public" || (allowPrivateNetworks && INTERNAL_CATEGORIES.has(category));
  if (!allowed) {
    const subject = address === host ? address : `${host} resolves to ${address}`;
    const embedded = embeddedIPv4 ? ` (it embeds the IPv4 address ${embeddedIPv4})` : "";
    const hint = INTERNAL_CATEGORIES.has(category) ? `; set ${allowPrivateSetting}=true to allow it` : "; connections to such addresses are never allowed";
    throw new AppError(
      "validation_failed",
      `${subject}, ${describeCategory(category)}${embedded}${hint}.`,
      refusal("address_refused", { address, category }),
    );
  }
  // Connect to IPv4-mapped addresses as plain IPv4: same host, no dual-stack surprises.
  const bytes = embeddedIPv4 ? parseIPv6(address) : null;
  if (embeddedIPv4 && bytes && isIPv4Mapped(bytes)) return embeddedIPv4;
  return address;
}

function refusal(reason: VetRefusalReason, extra: Omit<VetRefusalDetails, "reason"> = {}): VetRefusalDetails {
  return { reason, ...extra };
}

function printable(text: string): string {
  const cleaned = text.replace(/[\u0000-\u001f\u007f]/g, "?");
  return cleaned.length > 80 ? `${cleaned.slice(0, 80)}…` : cleaned;
}
