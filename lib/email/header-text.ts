// Makes untrusted chat text safe for a single header line. CR/LF (and every other control
// character) become spaces, so a room name like "x\r\nBcc: y" cannot start a new header.
// Encoding non-ASCII is MailComposer's job (RFC 2047 encoded words).

const CONTROL_RUN = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;
const HAS_CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

export function toHeaderText(value: string, maxLength = 256): string {
  let text = HAS_CONTROL.test(value) ? value.replace(CONTROL_RUN, " ") : value;
  text = text.trim();
  if (text.length > maxLength) {
    let cut = maxLength - 1;
    // Never leave half a surrogate pair behind.
    const code = text.charCodeAt(cut - 1);
    if (code >= 0xd800 && code <= 0xdbff) cut--;
    text = `${text.slice(0, cut)}…`;
  }
  return text;
}
