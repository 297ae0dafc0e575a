// One definition of "a valid mailbox address", shared by the mapping file, participant
// resolution and the e-mail builder, so a value accepted in one place is accepted in all.
import * as z from "zod";

// RFC 5321 limits; checked before the pattern so hostile long input costs nothing.
const MAX_ADDRESS_LENGTH = 254;
const MAX_LOCAL_PART_LENGTH = 64;

// zod's pattern: dot-atom local part, letters-only TLD, no quoted strings, no display name,
// no IP literals. Stricter than RFC 5322 on purpose: every accepted value must be a
// mailbox Microsoft 365 can host, and anything odd is better reported than guessed.
const EMAIL_PATTERN: RegExp = z.regexes.email;

/** True when `value` is a bare e-mail address (no display name, no surrounding spaces). */
export function isValidEmailAddress(value: string): boolean {
  if (value.length === 0 || value.length > MAX_ADDRESS_LENGTH) return false;
  const at = value.lastIndexOf("@");
  if (at < 1 || at > MAX_LOCAL_PART_LENGTH) return false;
  return EMAIL_PATTERN.test(value);
}

/**
 * The canonical form of an address (trimmed, lower case), or undefined when it is not a
 * valid address. Mailboxes compare case-insensitively in Microsoft 365, so lower case
 * lets us deduplicate deliveries with a plain string comparison.
 */
export function normalizeEmailAddress(value: string | undefined | null): string | undefined {
  if (value == null) return undefined;
  const trimmed = value.trim();
  return isValidEmailAddress(trimmed) ? trimmed.toLowerCase() : undefined;
}
