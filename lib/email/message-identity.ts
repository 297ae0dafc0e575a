// Deterministic identities for converted items. The same chat message must always become
// the same Message-ID (and item-key digest) so a re-run, a retry or an overlapping run
// can recognise what it already delivered, and mail clients thread a conversation.
import crypto, { createHash } from "node:crypto";

// A run converts hundreds of thousands of items for one firm code: its domain is worked
// out once (bounded, since an installation has a handful of firm codes).
const domainCache = new Map<string, string>();
const DOMAIN_CACHE_LIMIT = 1000;

/** The ids live under the reserved `.invalid` TLD (RFC 2606): they never collide with real mail. */
export function messageIdDomainOf(firmCode: string | undefined): string {
  const key = firmCode ?? "";
  let domain = domainCache.get(key);
  if (domain === undefined) {
    domain = `ice-chat.${firmLabelOf(firmCode)}.invalid`;
    if (domainCache.size >= DOMAIN_CACHE_LIMIT) domainCache.clear();
    domainCache.set(key, domain);
  }
  return domain;
}

/**
 * Hex SHA-256 of (firm code, conversation id, message id). JSON encoding of the tuple keeps
 * it unambiguous (no separator can be smuggled inside an id). The firm code is compared
 * case-insensitively because ICE spells it in upper case and admins often do not.
 */
export function itemKeyDigestOf(firmCode: string | undefined, conversationId: string, messageId: string): string {
  return sha256Hex(JSON.stringify(["item", normalizeFirmCode(firmCode), conversationId, messageId]));
}

// Once per item at tens of thousands of items per second: the one-shot crypto.hash (Node
// 20.12+) skips the Hash object; older Node 20 releases fall back to createHash.
const oneShotHash = (crypto as { hash?: (algorithm: string, data: string, encoding: "hex") => string }).hash;
function sha256Hex(text: string): string {
  return oneShotHash ? oneShotHash("sha256", text, "hex") : createHash("sha256").update(text).digest("hex");
}

/** The Message-ID of an item, angle brackets included: `<hex@ice-chat.firm.invalid>`. */
export function internetMessageIdOf(firmCode: string | undefined, conversationId: string, messageId: string): string {
  return internetMessageIdFromDigest(firmCode, itemKeyDigestOf(firmCode, conversationId, messageId));
}

/** internetMessageIdOf when the caller already holds the item-key digest (saves a hash per item). */
export function internetMessageIdFromDigest(firmCode: string | undefined, itemKeyDigest: string): string {
  return `<${itemKeyDigest}@${messageIdDomainOf(firmCode)}>`;
}

/**
 * A Message-ID standing for the whole conversation. No message carries it; every item
 * names it in In-Reply-To/References, which is enough for clients to thread them.
 */
export function conversationThreadIdOf(firmCode: string | undefined, conversationId: string): string {
  const digest = createHash("sha256")
    .update(JSON.stringify(["conversation", normalizeFirmCode(firmCode), conversationId]))
    .digest("hex");
  return `<conv-${digest}@${messageIdDomainOf(firmCode)}>`;
}

function normalizeFirmCode(firmCode: string | undefined): string {
  return (firmCode ?? "").trim().toLowerCase();
}

/** A DNS label from the firm code: [a-z0-9-], at most 63 characters, "unknown" if nothing is left. */
function firmLabelOf(firmCode: string | undefined): string {
  const label = normalizeFirmCode(firmCode)
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 63)
    .replace(/-+$/g, "");
  return label === "" ? "unknown" : label;
}
