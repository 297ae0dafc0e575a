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
  // A day repeats the same few thousand addresses on every message: remember the verdicts.
  const known = normalized.get(value);
  if (known !== undefined) return known === INVALID ? undefined : known;
  const trimmed = value.trim();
  const result = isValidEmailAddress(trimmed) ? trimmed.toLowerCase() : undefined;
  if (value.length <= MAX_ADDRESS_LENGTH + 16) {
    if (normalized.size >= MAX_REMEMBERED) normalized.clear();
    normalized.set(value, result ?? INVALID);
  }
  return result;
}

const INVALID = "\u0000invalid";
// Bounded so a hostile feed with millions of distinct addresses cannot grow it without limit.
const MAX_REMEMBERED = 50_000;
const normalized = new Map<string, string>();
