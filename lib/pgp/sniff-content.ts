// Detects what a file holds from its first bytes, never from its name (ICE files may be
// named .xml, .gz, .zip, .pgp or nothing useful at all).

export type ContentKind = "pgp-armored" | "pgp-binary" | "gzip" | "zip" | "xml" | "empty" | "unknown";

/** Enough bytes for every check below, including leading whitespace before armor or XML. */
export const SNIFF_BYTES = 1024;

const UTF8_BOM = [0xef, 0xbb, 0xbf];
const ARMOR_PREFIX = Buffer.from("-----BEGIN PGP ", "ascii");

// Packet tags that can start an encrypted (or compressed) OpenPGP message: PKESK, SKESK,
// compressed, SED (no integrity: recognised so the decryptor can refuse it by name),
// marker, SEIPD, and the v5 AEAD packet.
const MESSAGE_START_TAGS = new Set([1, 3, 8, 9, 10, 18, 20]);

export function sniffContent(head: Uint8Array): ContentKind {
  if (head.length === 0) return "empty";
  const b0 = head[0] ?? 0;
  const b1 = head[1];
  if (b0 === 0x1f && b1 === 0x8b) return "gzip";
  if (b0 === 0x50 && b1 === 0x4b && (isSeq(head, 2, [0x03, 0x04]) || isSeq(head, 2, [0x05, 0x06]))) {
    // Local file header, or the end-of-central-directory record that alone makes an empty archive.
    return "zip";
  }
  if ((b0 === 0xff && b1 === 0xfe && head[2] === 0x3c) || (b0 === 0xfe && b1 === 0xff && head[3] === 0x3c)) {
    return "xml"; // UTF-16 with BOM; the parser decides whether it can read that encoding
  }
  // A UTF-8 BOM also has its high bit set: look past it before reading the byte as a packet header.
  if (b0 & 0x80 && !isSeq(head, 0, UTF8_BOM)) {
    return MESSAGE_START_TAGS.has(packetTag(b0)) ? "pgp-binary" : "unknown";
  }
  const start = skipBomAndWhitespace(head);
  if (start >= head.length) return "unknown"; // only whitespace in the sniffed window
  if (head[start] === 0x3c) return "xml";
  if (isSeq(head, start, ARMOR_PREFIX)) return "pgp-armored";
  return "unknown";
}

export function isPgp(kind: ContentKind): boolean {
  return kind === "pgp-armored" || kind === "pgp-binary";
}

/** Packet tag of an OpenPGP packet header byte, in either the old or the new format. */
export function packetTag(headerByte: number): number {
  return headerByte & 0x40 ? headerByte & 0x3f : (headerByte & 0x3c) >> 2;
}

/** Short, log-safe description of unrecognised content: the first bytes in hex. */
export function describeHead(head: Uint8Array): string {
  return Buffer.from(head.subarray(0, 8)).toString("hex").replace(/(..)/g, "$1 ").trim();
}

function skipBomAndWhitespace(head: Uint8Array): number {
  let i = isSeq(head, 0, UTF8_BOM) ? UTF8_BOM.length : 0;
  while (i < head.length) {
    const c = head[i];
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
    i++;
  }
  return i;
}

function isSeq(head: Uint8Array, offset: number, seq: ArrayLike<number>): boolean {
  if (offset + seq.length > head.length) return false;
  for (let i = 0; i < seq.length; i++) {
    if (head[offset + i] !== seq[i]) return false;
  }
  return true;
}
