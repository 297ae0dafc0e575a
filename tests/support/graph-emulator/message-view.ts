// How a stored message looks on the wire: default properties, $select, $expand of
// extended properties, and the $filter predicate over messages.

import { MSGFLAG_READ, MSGFLAG_UNSENT, PID_TAG_MESSAGE_FLAGS, normalizePropertyValue, parsePropertyId } from "./extended-properties";
import type { CompareOp, FilterNode, Literal } from "./filter-parser";
import { badRequest } from "./graph-error";
import { serializeAttachment } from "./attachment-input";
import type { QueryOptions } from "./query-options";
import type { StoredMessage } from "./types";

/** PidTagMessageFlags as Exchange computes it now: the unsent and read bits follow the item. */
export function currentMessageFlags(m: StoredMessage): number {
  const base = (m.messageFlags ?? 0) & ~(MSGFLAG_READ | MSGFLAG_UNSENT);
  return base | (m.isDraft ? MSGFLAG_UNSENT : 0) | (m.isRead ? MSGFLAG_READ : 0) | (m.attachments.length > 0 ? 0x10 : 0);
}

export function fullMessage(m: StoredMessage): Record<string, unknown> {
  return {
    "@odata.etag": `W/"${m.changeKey}"`,
    id: m.id,
    createdDateTime: m.createdDateTime,
    lastModifiedDateTime: m.lastModifiedDateTime,
    changeKey: m.changeKey,
    categories: m.categories,
    receivedDateTime: m.receivedDateTime,
    sentDateTime: m.sentDateTime,
    hasAttachments: m.attachments.some((a) => !a.isInline),
    internetMessageId: m.internetMessageId,
    subject: m.subject,
    bodyPreview: m.body.content.replace(/<[^>]*>/g, "").replace(/\s+/g, " ").trim().slice(0, 255),
    importance: m.importance,
    parentFolderId: m.folderId,
    conversationId: m.conversationId,
    isDeliveryReceiptRequested: false,
    isReadReceiptRequested: false,
    isRead: m.isRead,
    isDraft: m.isDraft,
    webLink: `https://outlook.office365.com/owa/?ItemID=${encodeURIComponent(m.id)}&exvsurl=1&viewmodel=ReadMessageItem`,
    inferenceClassification: "focused",
    body: m.body,
    sender: m.sender,
    from: m.from,
    toRecipients: m.toRecipients,
    ccRecipients: m.ccRecipients,
    bccRecipients: m.bccRecipients,
    replyTo: m.replyTo,
    flag: { flagStatus: "notFlagged" },
  };
}

const SELECTABLE_EXTRA = ["internetMessageHeaders", "uniqueBody"];
const SELECTABLE = new Set([...Object.keys(fullMessage({ body: { contentType: "text", content: "" }, attachments: [], extendedProperties: [] } as unknown as StoredMessage)), ...SELECTABLE_EXTRA].map((k) => k.toLowerCase()));

/** Checks $select and $expand ids before any item is read: bad options are 400s even on empty folders. */
export function validateMessageOptions(options: Pick<QueryOptions, "select" | "expandExtended">): void {
  for (const name of options.select ?? []) {
    if (!SELECTABLE.has(name.toLowerCase())) throw badRequest("RequestBroker--ParseUri", `Could not find a property named '${name}' on type 'Microsoft.OutlookServices.Message'.`);
  }
  for (const id of options.expandExtended ?? []) parsePropertyId(id);
}

export function viewMessage(m: StoredMessage, options: Pick<QueryOptions, "select" | "expandExtended" | "expandAttachments">): Record<string, unknown> {
  const full = fullMessage(m);
  let out: Record<string, unknown> = full;
  if (options.select) {
    out = { "@odata.etag": full["@odata.etag"], id: m.id };
    for (const name of options.select) {
      const key = Object.keys(full).find((k) => k.toLowerCase() === name.toLowerCase()) ?? SELECTABLE_EXTRA.find((k) => k.toLowerCase() === name.toLowerCase());
      if (!key) throw badRequest("RequestBroker--ParseUri", `Could not find a property named '${name}' on type 'Microsoft.OutlookServices.Message'.`);
      if (key === "internetMessageHeaders") out[key] = m.internetMessageHeaders;
      else if (key === "uniqueBody") out[key] = m.body;
      else out[key] = full[key];
    }
  }
  if (options.expandExtended) {
    const wanted = options.expandExtended.map((id) => parsePropertyId(id));
    const matches = [];
    for (const w of wanted) {
      if (w.tag === PID_TAG_MESSAGE_FLAGS) {
        matches.push({ id: w.canonical, value: String(currentMessageFlags(m)) });
        continue;
      }
      const found = m.extendedProperties.find((p) => p.key === w.key);
      if (found) matches.push({ id: found.id, value: found.value });
    }
    // Exchange omits the navigation property when nothing matched.
    if (matches.length > 0) out.singleValueExtendedProperties = matches;
  }
  if (options.expandAttachments) out.attachments = m.attachments.map((a) => serializeAttachment(a, true));
  return out;
}

function compare(actual: string | number | boolean | null, op: CompareOp, expected: string | number | boolean | null): boolean {
  if (actual === null || expected === null) {
    if (op === "eq") return actual === expected;
    if (op === "ne") return actual !== expected;
    return false;
  }
  switch (op) {
    case "eq": return actual === expected;
    case "ne": return actual !== expected;
    case "gt": return actual > expected;
    case "ge": return actual >= expected;
    case "lt": return actual < expected;
    case "le": return actual <= expected;
  }
}

type Getter = (m: StoredMessage) => string | number | boolean | null;

const PROPERTIES: Record<string, { kind: "string" | "ci-string" | "boolean" | "datetime"; get: Getter }> = {
  subject: { kind: "ci-string", get: (m) => m.subject },
  internetmessageid: { kind: "string", get: (m) => m.internetMessageId },
  isdraft: { kind: "boolean", get: (m) => m.isDraft },
  isread: { kind: "boolean", get: (m) => m.isRead },
  hasattachments: { kind: "boolean", get: (m) => m.attachments.some((a) => !a.isInline) },
  importance: { kind: "ci-string", get: (m) => m.importance },
  parentfolderid: { kind: "string", get: (m) => m.folderId },
  conversationid: { kind: "string", get: (m) => m.conversationId },
  receiveddatetime: { kind: "datetime", get: (m) => (m.receivedDateTime ? Date.parse(m.receivedDateTime) : null) },
  sentdatetime: { kind: "datetime", get: (m) => (m.sentDateTime ? Date.parse(m.sentDateTime) : null) },
  createddatetime: { kind: "datetime", get: (m) => Date.parse(m.createdDateTime) },
  lastmodifieddatetime: { kind: "datetime", get: (m) => Date.parse(m.lastModifiedDateTime) },
  "from/emailaddress/address": { kind: "ci-string", get: (m) => m.from?.emailAddress.address?.toLowerCase() ?? null },
};

function literalFor(kind: string, literal: Literal, property: string): string | number | boolean | null {
  const mismatch = () => badRequest("BadRequest", `Invalid filter clause: A binary operator with incompatible types was detected for '${property}'.`);
  if (literal.type === "null") return null;
  if (kind === "boolean") { if (literal.type !== "boolean") throw mismatch(); return literal.value; }
  if (kind === "datetime") { if (literal.type !== "datetime") throw mismatch(); return Date.parse(literal.value); }
  if (literal.type !== "string") throw mismatch();
  return kind === "ci-string" ? literal.value.toLowerCase() : literal.value;
}

function extendedValueMatches(type: string, stored: string, op: CompareOp, wanted: string): boolean {
  if (["Integer", "Long", "Short", "Double", "Float", "Currency"].includes(type)) {
    const a = Number(stored);
    const b = Number(wanted);
    return compare(a, op, b);
  }
  if (type === "SystemTime") return compare(Date.parse(stored), op, Date.parse(wanted));
  // Exchange compares extended property values case-insensitively.
  return compare(stored.toLowerCase(), op, wanted.toLowerCase());
}

export function messagePredicate(node: FilterNode): (m: StoredMessage) => boolean {
  switch (node.kind) {
    case "and": { const l = messagePredicate(node.left); const r = messagePredicate(node.right); return (m) => l(m) && r(m); }
    case "or": { const l = messagePredicate(node.left); const r = messagePredicate(node.right); return (m) => l(m) || r(m); }
    case "not": { const inner = messagePredicate(node.operand); return (m) => !inner(m); }
    case "compare": {
      const prop = PROPERTIES[node.property.toLowerCase()];
      if (!prop) throw badRequest("RequestBroker--ParseUri", `Could not find a property named '${node.property}' on type 'Microsoft.OutlookServices.Message'.`);
      const expected = literalFor(prop.kind, node.value, node.property);
      return (m) => {
        const actual = prop.get(m);
        return compare(prop.kind === "ci-string" && typeof actual === "string" ? actual.toLowerCase() : actual, node.op, expected);
      };
    }
    case "function": {
      const prop = PROPERTIES[node.property.toLowerCase()];
      if (!prop || (prop.kind !== "string" && prop.kind !== "ci-string")) throw badRequest("ErrorInvalidUrlQueryFilter", `The function '${node.name}' is not supported on '${node.property}'.`);
      const wanted = node.value.toLowerCase();
      return (m) => {
        const actual = String(prop.get(m) ?? "").toLowerCase();
        return node.name === "startswith" ? actual.startsWith(wanted) : node.name === "endswith" ? actual.endsWith(wanted) : actual.includes(wanted);
      };
    }
    case "any":
      throw badRequest("ErrorInvalidUrlQueryFilter", `Filtering messages by '${node.collection}/any' is not implemented by the emulator.`);
    case "anyExtended": {
      const parsed = parsePropertyId(node.id);
      // Validate the comparison up front: a bad filter is a 400 even when nothing would match.
      if (node.valueOp !== null && node.value !== null) {
        if ((parsed.type === "String" || parsed.type === "Binary" || parsed.type === "Boolean" || parsed.type === "CLSID") && node.valueOp !== "eq" && node.valueOp !== "ne") {
          throw badRequest("ErrorInvalidUrlQueryFilter", `Extended properties of type ${parsed.type} support eq and ne only.`);
        }
        normalizePropertyValue(parsed, node.value);
      }
      return (m) => {
        if (parsed.tag === PID_TAG_MESSAGE_FLAGS) {
          return node.valueOp === null || node.value === null ? true : extendedValueMatches(parsed.type, String(currentMessageFlags(m)), node.valueOp, node.value);
        }
        const found = m.extendedProperties.find((p) => p.key === parsed.key);
        if (!found) return false;
        if (node.valueOp === null || node.value === null) return true;
        return extendedValueMatches(parsed.type, found.value, node.valueOp, node.value);
      };
    }
  }
}
