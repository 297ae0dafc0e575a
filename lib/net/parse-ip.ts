import { isIPv4, isIPv6 } from "node:net";

// Byte-level parsing so range checks are plain prefix comparisons. We rely on
// node:net to decide what a valid literal is (it rejects inet_aton shorthands
// such as "127.1" or "0x7f.0.0.1"), then decode the canonical forms ourselves.

/** Four bytes of a dotted-quad IPv4 literal, or null when it is not one. */
export function parseIPv4(text: string): Uint8Array | null {
  if (!isIPv4(text)) return null;
  const parts = text.split(".").map((part) => Number.parseInt(part, 10));
  return Uint8Array.from(parts);
}

/** Sixteen bytes of an IPv6 literal (zone id stripped), or null when it is not one. */
export function parseIPv6(text: string): Uint8Array | null {
  const withoutZone = stripZone(text);
  if (!isIPv6(withoutZone)) return null;

  let head = withoutZone;
  const embedded: number[] = [];
  const lastColon = head.lastIndexOf(":");
  const tail = head.slice(lastColon + 1);
  if (tail.includes(".")) {
    const v4 = parseIPv4(tail);
    if (!v4) return null;
    embedded.push(((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0));
    // Keep the trailing ":" when the v4 part follows "::" so the split below sees it.
    head = head.slice(0, lastColon + 1);
    if (head.endsWith(":") && !head.endsWith("::")) head = head.slice(0, -1);
  }

  const groupsNeeded = 8 - embedded.length;
  let groups: number[];
  const doubleColon = head.indexOf("::");
  if (doubleColon >= 0) {
    const left = splitGroups(head.slice(0, doubleColon));
    const right = splitGroups(head.slice(doubleColon + 2));
    const zeros = groupsNeeded - left.length - right.length;
    if (zeros < 0) return null;
    groups = [...left, ...new Array<number>(zeros).fill(0), ...right];
  } else {
    groups = splitGroups(head);
  }
  groups = [...groups, ...embedded];
  if (groups.length !== 8 || groups.some((g) => !Number.isInteger(g) || g < 0 || g > 0xffff)) return null;

  const bytes = new Uint8Array(16);
  groups.forEach((group, i) => {
    bytes[i * 2] = group >> 8;
    bytes[i * 2 + 1] = group & 0xff;
  });
  return bytes;
}

export function stripZone(text: string): string {
  const percent = text.indexOf("%");
  return percent >= 0 ? text.slice(0, percent) : text;
}

export function formatIPv4(bytes: Uint8Array): string {
  return Array.from(bytes.subarray(0, 4)).join(".");
}

/** True for ::ffff:0:0/96, the IPv4-mapped IPv6 block. */
export function isIPv4Mapped(bytes: Uint8Array): boolean {
  return bytes.length === 16 && bytes.subarray(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
}

/** True when the first `prefixLength` bits of `address` equal those of `network`. */
export function matchesPrefix(address: Uint8Array, network: Uint8Array, prefixLength: number): boolean {
  if (address.length !== network.length || prefixLength > address.length * 8) return false;
  const fullBytes = Math.floor(prefixLength / 8);
  for (let i = 0; i < fullBytes; i++) {
    if (address[i] !== network[i]) return false;
  }
  const remainingBits = prefixLength % 8;
  if (remainingBits === 0) return true;
  const mask = (0xff << (8 - remainingBits)) & 0xff;
  return ((address[fullBytes] ?? 0) & mask) === ((network[fullBytes] ?? 0) & mask);
}

function splitGroups(text: string): number[] {
  if (text === "") return [];
  return text.split(":").map((group) => (/^[0-9a-f]{1,4}$/i.test(group) ? Number.parseInt(group, 16) : Number.NaN));
}
