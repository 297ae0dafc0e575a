import { describe, expect, it } from "vitest";
import { fakeResolver, refusal } from "@/tests/support/fake-resolver";
import { systemResolver, vetTarget, type Resolver, type VetTargetOptions } from "./vet-target";

const strict: VetTargetOptions = { allowPrivateNetworks: false, allowedPorts: [22] };
const lenient: VetTargetOptions = { allowPrivateNetworks: true, allowedPorts: [22, 2222] };

describe("vetTarget", () => {
  it("returns the resolved public address to connect to", async () => {
    const resolver = fakeResolver({ "sftp.example.com": ["203.0.114.10", "2606:4700::1"] });
    const vetted = await vetTarget({ host: "sftp.example.com", port: 22 }, { ...strict, resolver });
    expect(vetted).toEqual({ host: "sftp.example.com", address: "203.0.114.10", family: 4, port: 22, resolvedAddresses: ["203.0.114.10", "2606:4700::1"] });
    expect(resolver.calls).toEqual(["sftp.example.com"]);
  });

  it("does not consult the resolver for IP literals", async () => {
    const resolver = fakeResolver({});
    await expect(vetTarget({ host: "8.8.8.8", port: 22 }, { ...strict, resolver })).resolves.toMatchObject({ address: "8.8.8.8", family: 4 });
    await expect(vetTarget({ host: "[2606:4700::1]", port: 22 }, { ...strict, resolver })).resolves.toMatchObject({ address: "2606:4700::1", family: 6 });
    expect(resolver.calls).toEqual([]);
  });

  it("names the address, its kind and the setting when refusing a private answer", async () => {
    const resolver = fakeResolver({ "internal.example.com": ["10.0.0.5"] });
    const err = await refusal(vetTarget({ host: "internal.example.com", port: 22 }, { ...strict, resolver }));
    expect(err.code).toBe("validation_failed");
    expect(err.message).toBe("internal.example.com resolves to 10.0.0.5, a private address; set SFTP_ALLOW_PRIVATE_NETWORKS=true to allow it.");
    expect(err.details).toEqual({ reason: "address_refused", address: "10.0.0.5", category: "private" });
  });

  it.each([
    "127.0.0.1",
    "127.8.9.10",
    "::1",
    "10.1.2.3",
    "172.20.0.1",
    "192.168.0.10",
    "169.254.1.1",
    "fe80::1",
    "fd12::1",
    "100.64.1.1",
    "::ffff:127.0.0.1",
    "::ffff:c0a8:101",
    "2002:c0a8:101::1",
    "64:ff9b::a00:1",
  ])("refuses internal address %s unless private networks are allowed", async (address) => {
    const err = await refusal(vetTarget({ host: address, port: 22 }, strict));
    expect(err.code).toBe("validation_failed");
    expect(err.message).toContain("SFTP_ALLOW_PRIVATE_NETWORKS");
    await expect(vetTarget({ host: address, port: 22 }, lenient)).resolves.toMatchObject({ port: 22 });
  });

  it.each([
    "169.254.169.254",
    "::ffff:169.254.169.254",
    "fd00:ec2::254",
    "100.100.100.200",
    "168.63.129.16",
    "0.0.0.0",
    "::",
    "224.0.0.1",
    "ff02::1",
    "255.255.255.255",
    "240.0.0.1",
    "192.0.2.1",
    "2001:db8::1",
    "::ffff:0.0.0.0",
  ])("always refuses %s, even with private networks allowed", async (address) => {
    const err = await refusal(vetTarget({ host: address, port: 22 }, lenient));
    expect(err.code).toBe("validation_failed");
    expect(err.message).toContain("never allowed");
  });

  it("judges names that decode to loopback by the resolved address (decimal, hex, octal, short forms)", async () => {
    const resolver = fakeResolver({ "2130706433": ["127.0.0.1"], "0x7f.1": ["127.0.0.1"], "017700000001": ["127.0.0.1"], "127.1": ["127.0.0.1"] });
    for (const host of ["2130706433", "0x7f.1", "017700000001", "127.1"]) {
      const err = await refusal(vetTarget({ host, port: 22 }, { ...strict, resolver }));
      expect(err.message).toBe(`${host} resolves to 127.0.0.1, a loopback address; set SFTP_ALLOW_PRIVATE_NETWORKS=true to allow it.`);
    }
  });

  it("the system resolver also turns numeric shorthands into the address they mean", async () => {
    for (const host of ["127.1", "2130706433"]) {
      const err = await refusal(vetTarget({ host, port: 22 }, { ...strict, resolver: systemResolver }));
      expect(err.details).toMatchObject({ reason: "address_refused", address: "127.0.0.1", category: "loopback" });
    }
  });

  it("refuses a name when any of its answers is internal (rebinding with mixed answers)", async () => {
    const resolver = fakeResolver({ "mixed.example.com": ["8.8.8.8", "192.168.1.10"] });
    const err = await refusal(vetTarget({ host: "mixed.example.com", port: 22 }, { ...strict, resolver }));
    expect(err.details).toMatchObject({ address: "192.168.1.10", category: "private" });
  });

  it("resolves exactly once and returns the address so a later answer cannot swap it", async () => {
    let call = 0;
    const rebinding: Resolver = async () => [{ address: call++ === 0 ? "8.8.4.4" : "127.0.0.1", family: 4 }];
    const vetted = await vetTarget({ host: "rebind.example.com", port: 22 }, { ...strict, resolver: rebinding });
    expect(vetted.address).toBe("8.8.4.4");
    expect(call).toBe(1);
  });

  it("unwraps an allowed IPv4-mapped address to plain IPv4", async () => {
    await expect(vetTarget({ host: "::ffff:8.8.8.8", port: 22 }, strict)).resolves.toMatchObject({ address: "8.8.8.8", family: 4 });
  });

  it("refuses ports outside the allowed list, and invalid ports", async () => {
    const notAllowed = await refusal(vetTarget({ host: "8.8.8.8", port: 2222 }, strict));
    expect(notAllowed.message).toBe("Port 2222 is not allowed (allowed: 22); add it to SFTP_ALLOWED_PORTS to allow it.");
    expect(notAllowed.details).toEqual({ reason: "port_not_allowed" });
    for (const port of [0, -1, 65_536, 22.5, Number.NaN]) {
      const invalid = await refusal(vetTarget({ host: "8.8.8.8", port }, { ...strict, allowedPorts: [port] }));
      expect(invalid.details).toEqual({ reason: "invalid_port" });
    }
  });

  it.each(["", "   ", "sftp://host.example.com", "user@host.example.com", "host.example.com:22", "host/path", "host name", "bad\u0000host", "-leading.example.com", "exämple.com", "a".repeat(254), "[not-ipv6]"])(
    "refuses the malformed host %j without resolving it",
    async (host) => {
      const resolver = fakeResolver({});
      const err = await refusal(vetTarget({ host, port: 22 }, { ...strict, resolver }));
      expect(err.code).toBe("validation_failed");
      expect(err.details).toEqual({ reason: "invalid_host" });
      expect(resolver.calls).toEqual([]);
      expect(err.message).not.toContain("\u0000");
    },
  );

  it("reports DNS failures as connection failures", async () => {
    const err = await refusal(vetTarget({ host: "nowhere.invalid", port: 22 }, { ...strict, resolver: fakeResolver({}) }));
    expect(err.code).toBe("connection_failed");
    expect(err.message).toBe("Could not resolve nowhere.invalid: no such host name. Check the host name.");
    expect(err.details).toEqual({ reason: "dns_failed" });
  });

  it("bounds a resolver that never answers", async () => {
    const hanging: Resolver = () => new Promise(() => undefined);
    const err = await refusal(vetTarget({ host: "slow.example.com", port: 22 }, { ...strict, resolver: hanging, dnsTimeoutMs: 50 }));
    expect(err.code).toBe("connection_failed");
    expect(err.message).toMatch(/timed out/);
  });

  it("refuses empty and garbage resolver answers", async () => {
    const empty: Resolver = async () => [];
    expect((await refusal(vetTarget({ host: "empty.example.com", port: 22 }, { ...strict, resolver: empty }))).code).toBe("connection_failed");
    const garbage: Resolver = async () => [{ address: "not-an-ip", family: 4 }];
    expect((await refusal(vetTarget({ host: "garbage.example.com", port: 22 }, { ...strict, resolver: garbage }))).message).toMatch(/invalid address/);
  });

  it("trims surrounding whitespace an admin pasted", async () => {
    await expect(vetTarget({ host: "  8.8.8.8 ", port: 22 }, strict)).resolves.toMatchObject({ host: "8.8.8.8" });
  });
});
