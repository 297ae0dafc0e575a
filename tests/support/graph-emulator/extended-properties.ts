// singleValueLegacyExtendedProperty ids and values, validated as Exchange does.
// Id forms (Outlook extended properties overview):
//   "{type} {proptag}"                 e.g. "Integer 0x0E07"
//   "{type} {guid} Name {name}"        e.g. "String {00020386-0000-0000-C000-000000000046} Name X-Foo"
//   "{type} {guid} Id {id}"            e.g. "String {8ECCC264-...} Id 0x8005"
// The type, GUID and hex tag match case-insensitively; the Name part is case-sensitive.

import { badRequest } from "./graph-error";
import type { StoredExtendedProperty } from "./types";

const SINGLE_VALUE_TYPES = ["Binary", "Boolean", "CLSID", "Currency", "Double", "Float", "Integer", "Long", "Short", "String", "SystemTime"] as const;
type SingleValueType = (typeof SINGLE_VALUE_TYPES)[number];

export interface ParsedPropertyId {
  type: SingleValueType;
  /** Canonical id as returned by Exchange. */
  canonical: string;
  /** Matching key. */
  key: string;
  /** Numeric proptag for "{type} 0x...." ids, else null. */
  tag: number | null;
}

const GUID = /^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?$/;
const HEX_OR_DEC = /^(0x[0-9a-fA-F]{1,8}|[0-9]{1,10})$/;

function invalidId(id: string): Error {
  return badRequest("ErrorInvalidExtendedPropertyId", `The extended property id '${id}' is not valid.`);
}

export function parsePropertyId(id: unknown): ParsedPropertyId {
  if (typeof id !== "string") throw badRequest("ErrorInvalidExtendedPropertyId", "The extended property id must be a string.");
  const parts = id.trim().split(/\s+/);
  const typeName = SINGLE_VALUE_TYPES.find((t) => t.toLowerCase() === (parts[0] ?? "").toLowerCase());
  if (!typeName) {
    if (/Array$/i.test(parts[0] ?? "")) throw badRequest("ErrorInvalidExtendedPropertyId", `The extended property id '${id}' has a multi-value type; use multiValueExtendedProperties.`);
    throw invalidId(id);
  }
  if (parts.length === 2) {
    const tagText = parts[1] ?? "";
    if (!/^0x[0-9a-fA-F]{1,4}$/.test(tagText)) throw invalidId(id);
    const tag = Number.parseInt(tagText.slice(2), 16);
    // Named-property range (0x8000+) needs a property set GUID.
    if (tag >= 0x8000) throw invalidId(id);
    const canonical = `${typeName} 0x${tag.toString(16)}`;
    return { type: typeName, canonical, key: canonical.toLowerCase(), tag };
  }
  if (parts.length >= 4) {
    const guid = GUID.exec(parts[1] ?? "")?.[1];
    const kind = parts[2] ?? "";
    if (!guid) throw invalidId(id);
    if (kind.toLowerCase() === "name") {
      // The name is everything after "Name " (names may contain spaces).
      const name = id.trim().replace(/^\S+\s+\S+\s+\S+\s+/, "");
      if (name.length === 0) throw invalidId(id);
      const canonical = `${typeName} {${guid.toLowerCase()}} Name ${name}`;
      return { type: typeName, canonical, key: `${typeName.toLowerCase()} {${guid.toLowerCase()}} name ${name}`, tag: null };
    }
    if (kind.toLowerCase() === "id" && parts.length === 4 && HEX_OR_DEC.test(parts[3] ?? "")) {
      const text = parts[3] ?? "";
      const num = text.startsWith("0x") ? Number.parseInt(text.slice(2), 16) : Number.parseInt(text, 10);
      const canonical = `${typeName} {${guid.toLowerCase()}} Id 0x${num.toString(16)}`;
      return { type: typeName, canonical, key: canonical.toLowerCase(), tag: null };
    }
  }
  throw invalidId(id);
}

const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})?$/;

function inRange(text: string, bits: number): boolean {
  if (!/^-?\d+$/.test(text)) return false;
  const value = BigInt(text);
  const limit = 1n << BigInt(bits - 1);
  return value >= -limit && value < limit;
}

/** Returns the value as Exchange stores it, or throws the 400 Graph gives for a mistyped value. */
export function normalizePropertyValue(parsed: ParsedPropertyId, value: unknown): string {
  const fail = () => badRequest("ErrorInvalidExtendedPropertyValue", `The value '${String(value)}' is not valid for extended property '${parsed.canonical}' of type ${parsed.type}.`);
  if (typeof value !== "string") throw fail();
  switch (parsed.type) {
    case "String":
      return value;
    case "Integer":
      if (!inRange(value.trim(), 32)) throw fail();
      return String(Number.parseInt(value.trim(), 10));
    case "Short":
      if (!inRange(value.trim(), 16)) throw fail();
      return String(Number.parseInt(value.trim(), 10));
    case "Long":
    case "Currency":
      if (!inRange(value.trim(), 64)) throw fail();
      return BigInt(value.trim()).toString();
    case "Double":
    case "Float":
      if (value.trim() === "" || !Number.isFinite(Number(value))) throw fail();
      return String(Number(value));
    case "Boolean":
      if (!/^(true|false)$/i.test(value.trim())) throw fail();
      return value.trim().toLowerCase() === "true" ? "true" : "false";
    case "SystemTime": {
      if (!ISO_8601.test(value.trim()) || Number.isNaN(Date.parse(value.trim()))) throw fail();
      return new Date(Date.parse(value.trim())).toISOString().replace(".000Z", "Z");
    }
    case "CLSID":
      if (!GUID.test(value.trim())) throw fail();
      return value.trim().replace(/[{}]/g, "").toLowerCase();
    case "Binary":
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value) || value.length % 4 !== 0) throw fail();
      return value;
  }
}

/** Validates the singleValueExtendedProperties array of a create/update body. */
export function readExtendedProperties(raw: unknown): { parsed: ParsedPropertyId; stored: StoredExtendedProperty }[] {
  if (raw === null || raw === undefined) return [];
  if (!Array.isArray(raw)) throw badRequest("RequestBodyRead", "A node of type 'StartObject' was read from the JSON reader when trying to read the contents of the property 'singleValueExtendedProperties'; however, a 'StartArray' node was expected.");
  const seen = new Set<string>();
  return raw.map((entry: unknown) => {
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) throw badRequest("RequestBodyRead", "Each singleValueExtendedProperties entry must be an object with 'id' and 'value'.");
    const record = entry as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (key !== "id" && key !== "value" && key !== "@odata.type") {
        throw badRequest("RequestBodyRead", `The property '${key}' does not exist on type 'Microsoft.OutlookServices.SingleValueLegacyExtendedProperty'. Make sure to only use property names that are defined by the type or mark the type as open type.`);
      }
    }
    const parsed = parsePropertyId(record.id);
    if (seen.has(parsed.key)) throw badRequest("ErrorInvalidExtendedProperty", `The extended property '${parsed.canonical}' is specified more than once.`);
    seen.add(parsed.key);
    const value = normalizePropertyValue(parsed, record.value);
    return { parsed, stored: { id: parsed.canonical, key: parsed.key, value } };
  });
}

export const PID_TAG_MESSAGE_FLAGS = 0x0e07;
export const PID_TAG_CLIENT_SUBMIT_TIME = 0x0039;
export const PID_TAG_MESSAGE_DELIVERY_TIME = 0x0e06;
export const MSGFLAG_READ = 0x1;
export const MSGFLAG_UNSENT = 0x8;
