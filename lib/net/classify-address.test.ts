import { describe, expect, it } from "vitest";
import { classifyAddress, type AddressCategory } from "./classify-address";
import { parseIPv6 } from "./parse-ip";

const cases: Array<[string, AddressCategory, string?]> = [
  // IPv4
  ["8.8.8.8", "public"],
  ["1.1.1.1", "public"],
  ["9.255.255.255", "public"],
  ["11.0.0.0", "public"],
  ["0.0.0.0", "unspecified"],
  ["0.1.2.3", "reserved"],
  ["10.0.0.5", "private"],
  ["10.255.255.255", "private"],
  ["100.63.255.255", "public"],
  ["100.64.0.0", "cgnat"],
  ["100.127.255.255", "cgnat"],
  ["100.128.0.0", "public"],
  ["100.100.100.200", "metadata"],
  ["127.0.0.1", "loopback"],
  ["127.255.255.254", "loopback"],
  ["169.254.0.1", "link_local"],
  ["169.254.169.254", "metadata"],
  ["169.254.170.2", "metadata"],
  ["168.63.129.16", "metadata"],
  ["172.15.255.255", "public"],
  ["172.16.0.0", "private"],
  ["172.31.255.255", "private"],
  ["172.32.0.0", "public"],
  ["192.0.0.8", "reserved"],
  ["192.0.2.1", "documentation"],
  ["192.88.99.1", "reserved"],
  ["192.167.255.255", "public"],
  ["192.168.1.1", "private"],
  ["192.169.0.0", "public"],
  ["198.18.0.1", "benchmarking"],
  ["198.19.255.255", "benchmarking"],
  ["198.20.0.0", "public"],
  ["198.51.100.7", "documentation"],
  ["203.0.113.9", "documentation"],
  ["224.0.0.1", "multicast"],
  ["239.255.255.255", "multicast"],
  ["240.0.0.1", "reserved"],
  ["255.255.255.254", "reserved"],
  ["255.255.255.255", "broadcast"],
  // IPv6
  ["::", "unspecified"],
  ["0:0:0:0:0:0:0:0", "unspecified"],
  ["::1", "loopback"],
  ["0:0:0:0:0:0:0:1", "loopback"],
  ["::2", "reserved"],
  ["::127.0.0.1", "reserved"],
  ["2606:4700:4700::1111", "public"],
  ["2a00:1450:4001:81b::200e", "public"],
  ["2001:db8::1", "documentation"],
  ["2001::1", "reserved"],
  ["3fff::1", "documentation"],
  ["fc00::1", "unique_local"],
  ["fd12:3456:789a::1", "unique_local"],
  ["fd00:ec2::254", "metadata"],
  ["FD00:EC2:0:0:0:0:0:254", "metadata"],
  ["fe80::1", "link_local"],
  ["fe80::1%eth0", "link_local"],
  ["febf:ffff::1", "link_local"],
  ["fec0::1", "private"],
  ["ff02::1", "multicast"],
  ["64:ff9b:1::a00:5", "private"],
  ["100::1", "reserved"],
  ["4000::1", "reserved"],
  ["1000::1", "reserved"],
];

describe("classifyAddress", () => {
  it.each(cases)("%s is %s", (address, category) => {
    expect(classifyAddress(address).category).toBe(category);
  });

  it.each([
    ["::ffff:10.0.0.5", "private", "10.0.0.5"],
    ["::ffff:a00:5", "private", "10.0.0.5"],
    ["0:0:0:0:0:ffff:7f00:1", "loopback", "127.0.0.1"],
    ["::FFFF:127.0.0.1", "loopback", "127.0.0.1"],
    ["::ffff:169.254.169.254", "metadata", "169.254.169.254"],
    ["::ffff:8.8.8.8", "public", "8.8.8.8"],
    ["::ffff:0.0.0.0", "unspecified", "0.0.0.0"],
    ["64:ff9b::10.0.0.1", "private", "10.0.0.1"],
    ["64:ff9b::808:808", "public", "8.8.8.8"],
    ["2002:a00:5::1", "private", "10.0.0.5"],
    ["2002:7f00:1::", "loopback", "127.0.0.1"],
    ["2002:808:808::1", "public", "8.8.8.8"],
  ] as const)("%s is judged by its embedded IPv4 (%s)", (address, category, embedded) => {
    const result = classifyAddress(address);
    expect(result.category).toBe(category);
    expect(result.embeddedIPv4).toBe(embedded);
  });

  it.each(["", "localhost", "127.1", "0x7f.0.0.1", "2130706433", "1.2.3.4.5", "::ffff:1.2.3", "1::2::3", "[::1]", "256.0.0.1", "01.2.3.4"])(
    "refuses to classify %j (not an IP literal)",
    (text) => {
      expect(() => classifyAddress(text)).toThrow(/not an IP address/);
    },
  );
});

describe("parseIPv6", () => {
  it("expands every textual form to the same bytes", () => {
    const forms = ["::ffff:10.0.0.5", "::ffff:a00:5", "0:0:0:0:0:ffff:a00:5", "0000:0000:0000:0000:0000:ffff:0a00:0005", "0::ffff:10.0.0.5"];
    const expected = Buffer.from("00000000000000000000ffff0a000005", "hex");
    for (const form of forms) expect(Buffer.from(parseIPv6(form) ?? new Uint8Array())).toEqual(expected);
  });

  it("handles :: at either end", () => {
    expect(Buffer.from(parseIPv6("1::") ?? []).toString("hex")).toBe("00010000000000000000000000000000");
    expect(Buffer.from(parseIPv6("::1") ?? []).toString("hex")).toBe("00000000000000000000000000000001");
    expect(Buffer.from(parseIPv6("1:2:3:4:5:6:1.2.3.4") ?? []).toString("hex")).toBe("00010002000300040005000601020304");
  });
});
