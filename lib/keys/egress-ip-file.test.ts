import { describe, expect, it } from "vitest";
import { renderEgressIpFile } from "@/lib/keys/egress-ip-file";

const when = new Date("2026-11-26T00:00:00Z");

describe("egress IP file", () => {
  it("lists configured addresses", () => {
    const text = renderEgressIpFile(["203.0.113.7", "2001:db8::7"], {}, when);
    expect(text.split("\n").filter((l) => l && !l.startsWith("#"))).toEqual(["203.0.113.7", "2001:db8::7"]);
    expect(text).toContain("CONNECTOR_EGRESS_IPS");
  });

  it("falls back to detected non-loopback addresses and says so", () => {
    const text = renderEgressIpFile([], {
      lo: [{ address: "127.0.0.1", netmask: "255.0.0.0", family: "IPv4", mac: "00:00:00:00:00:00", internal: true, cidr: "127.0.0.1/8" }],
      eth0: [
        { address: "198.51.100.4", netmask: "255.255.255.0", family: "IPv4", mac: "aa:bb:cc:dd:ee:ff", internal: false, cidr: "198.51.100.4/24" },
        { address: "198.51.100.4", netmask: "255.255.255.0", family: "IPv4", mac: "aa:bb:cc:dd:ee:ff", internal: false, cidr: "198.51.100.4/24" },
      ],
    }, when);
    expect(text).toMatch(/Detected/);
    expect(text.split("\n").filter((l) => l && !l.startsWith("#"))).toEqual(["198.51.100.4"]);
  });
});
