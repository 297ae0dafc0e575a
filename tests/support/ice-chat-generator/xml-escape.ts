// Minimal XML escaping for the generator's text and attribute values (there is no XML
// writer in the dependencies; these five characters are all XML 1.0 requires).

const SPECIAL = /[&<>"']/;
const SPECIAL_GLOBAL = /[&<>"']/g;
const REPLACEMENTS: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };

export function escapeXml(text: string): string {
  return SPECIAL.test(text) ? text.replace(SPECIAL_GLOBAL, (c) => REPLACEMENTS[c]!) : text;
}
