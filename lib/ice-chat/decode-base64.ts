// Strict base64: Buffer.from(x, "base64") silently skips garbage, which would turn a
// corrupt attachment into a wrong-but-plausible file. Line breaks and spaces (common in
// wrapped XML payloads) are allowed; anything else outside the alphabet is refused.

const WHITESPACE = /[\s]+/g;
const STRICT_BASE64 = /^[A-Za-z0-9+/]*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Decoded bytes, or null when the text is not valid base64. */
export function decodeStrictBase64(text: string): Buffer | null {
  const compact = /\s/.test(text) ? text.replace(WHITESPACE, "") : text;
  // Unpadded input is tolerated (some writers omit '='), but a lone trailing char never is.
  if (compact.length % 4 === 1) return null;
  if (compact.includes("=") && compact.length % 4 !== 0) return null;
  if (!STRICT_BASE64.test(compact)) return null;
  return Buffer.from(compact, "base64");
}
