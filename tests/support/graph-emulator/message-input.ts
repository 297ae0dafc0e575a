// Validates a message create/update body strictly: unknown properties, wrong shapes and
// mistyped extended properties are 400s, as Graph's OData reader and Exchange make them.
// Read-only properties (isDraft, sentDateTime, ...) are accepted and IGNORED, as Graph does,
// which is why a client must use PidTagMessageFlags / PidTagClientSubmitTime instead.

import { readExtendedProperties, type ParsedPropertyId } from "./extended-properties";
import { badRequest } from "./graph-error";
import { unknownProperty } from "./request-body";
import type { Recipient, StoredExtendedProperty } from "./types";

const TYPE = "Microsoft.OutlookServices.Message";

const WRITABLE = new Set([
  "subject", "body", "from", "sender", "toRecipients", "ccRecipients", "bccRecipients", "replyTo", "categories", "importance",
  "inferenceClassification", "internetMessageHeaders", "internetMessageId", "isDeliveryReceiptRequested", "isReadReceiptRequested",
  "isRead", "flag", "singleValueExtendedProperties", "multiValueExtendedProperties", "attachments",
]);

const READ_ONLY = new Set([
  "@odata.type", "@odata.etag", "@odata.context", "id", "createdDateTime", "lastModifiedDateTime", "changeKey", "conversationId", "conversationIndex",
  "parentFolderId", "isDraft", "hasAttachments", "bodyPreview", "webLink", "sentDateTime", "receivedDateTime", "uniqueBody",
]);

/** Properties Exchange lets you change only while the item is a draft (message update docs). */
export const DRAFT_ONLY = new Set(["subject", "body", "from", "sender", "toRecipients", "ccRecipients", "bccRecipients", "replyTo", "internetMessageId", "internetMessageHeaders", "attachments"]);

export interface MessageInput {
  present: Set<string>;
  subject?: string;
  body?: { contentType: "text" | "html"; content: string };
  from?: Recipient | null;
  sender?: Recipient | null;
  toRecipients?: Recipient[];
  ccRecipients?: Recipient[];
  bccRecipients?: Recipient[];
  replyTo?: Recipient[];
  categories?: string[];
  importance?: "low" | "normal" | "high";
  internetMessageHeaders?: { name: string; value: string }[];
  internetMessageId?: string;
  isRead?: boolean;
  extended: { parsed: ParsedPropertyId; stored: StoredExtendedProperty }[];
  attachments: unknown[];
}

function readRecipient(raw: unknown, field: string): Recipient {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw badRequest("RequestBodyRead", `Invalid recipient in '${field}': an object with 'emailAddress' was expected.`);
  const record = raw as Record<string, unknown>;
  for (const key of Object.keys(record)) if (key !== "emailAddress" && key !== "@odata.type") throw unknownProperty(key, "Microsoft.OutlookServices.Recipient");
  const email = record.emailAddress;
  if (typeof email !== "object" || email === null || Array.isArray(email)) throw badRequest("RequestBodyRead", `Invalid recipient in '${field}': 'emailAddress' must be an object.`);
  const address = (email as Record<string, unknown>).address;
  const name = (email as Record<string, unknown>).name;
  for (const key of Object.keys(email)) if (key !== "address" && key !== "name" && key !== "@odata.type") throw unknownProperty(key, "Microsoft.OutlookServices.EmailAddress");
  if (address !== undefined && address !== null && typeof address !== "string") throw badRequest("RequestBodyRead", `Invalid address in '${field}'.`);
  if (name !== undefined && name !== null && typeof name !== "string") throw badRequest("RequestBodyRead", `Invalid name in '${field}'.`);
  if (typeof address === "string" && address.length > 0 && !/^[^\s@]+@[^\s@]+$/.test(address)) {
    throw badRequest("ErrorInvalidRecipients", `At least one recipient isn't valid., Recipient '${address}' is not resolved. All recipients must be resolved before a message can be submitted.`);
  }
  const emailAddress: Recipient["emailAddress"] = {};
  if (typeof address === "string") emailAddress.address = address;
  if (typeof name === "string") emailAddress.name = name;
  return { emailAddress };
}

function readRecipients(raw: unknown, field: string): Recipient[] {
  if (raw === null) return [];
  if (!Array.isArray(raw)) throw badRequest("RequestBodyRead", `A 'StartArray' node was expected for '${field}'.`);
  return raw.map((r) => readRecipient(r, field));
}

const MESSAGE_ID = /^<[^<>\s@]+@[^<>\s@]+>$/;

export function readMessageInput(input: Record<string, unknown>): MessageInput {
  const result: MessageInput = { present: new Set(), extended: [], attachments: [] };
  for (const [key, value] of Object.entries(input)) {
    if (READ_ONLY.has(key)) continue;
    if (!WRITABLE.has(key)) throw unknownProperty(key, TYPE);
    result.present.add(key);
    switch (key) {
      case "subject":
        if (value !== null && typeof value !== "string") throw badRequest("RequestBodyRead", "Cannot convert a non-string value to 'subject'.");
        result.subject = typeof value === "string" ? value : "";
        break;
      case "body": {
        if (typeof value !== "object" || value === null || Array.isArray(value)) throw badRequest("RequestBodyRead", "'body' must be an itemBody object.");
        const record = value as Record<string, unknown>;
        for (const k of Object.keys(record)) if (k !== "contentType" && k !== "content" && k !== "@odata.type") throw unknownProperty(k, "Microsoft.OutlookServices.ItemBody");
        const type = typeof record.contentType === "string" ? record.contentType.toLowerCase() : record.contentType === undefined ? "text" : null;
        if (type !== "text" && type !== "html") throw badRequest("RequestBodyRead", `Cannot convert the literal '${String(record.contentType)}' to the expected type 'Microsoft.OutlookServices.BodyType'.`);
        if (record.content !== undefined && record.content !== null && typeof record.content !== "string") throw badRequest("RequestBodyRead", "'body.content' must be a string.");
        result.body = { contentType: type, content: typeof record.content === "string" ? record.content : "" };
        break;
      }
      case "from":
      case "sender":
        result[key] = value === null ? null : readRecipient(value, key);
        break;
      case "toRecipients":
      case "ccRecipients":
      case "bccRecipients":
      case "replyTo":
        result[key] = readRecipients(value, key);
        break;
      case "categories":
        if (!Array.isArray(value) || value.some((c) => typeof c !== "string")) throw badRequest("RequestBodyRead", "'categories' must be an array of strings.");
        result.categories = value as string[];
        break;
      case "importance": {
        const lower = typeof value === "string" ? value.toLowerCase() : "";
        if (lower !== "low" && lower !== "normal" && lower !== "high") throw badRequest("RequestBodyRead", `Cannot convert the literal '${String(value)}' to the expected type 'Microsoft.OutlookServices.Importance'.`);
        result.importance = lower;
        break;
      }
      case "internetMessageHeaders": {
        if (!Array.isArray(value)) throw badRequest("RequestBodyRead", "'internetMessageHeaders' must be an array.");
        result.internetMessageHeaders = value.map((h: unknown) => {
          const record = (typeof h === "object" && h !== null ? h : {}) as Record<string, unknown>;
          if (typeof record.name !== "string" || typeof record.value !== "string") throw badRequest("RequestBodyRead", "Each internet message header needs string 'name' and 'value'.");
          if (!/^x-/i.test(record.name)) throw badRequest("InvalidInternetMessageHeader", `The internet message header name '${record.name}' should start with 'x-' or 'X-'.`);
          return { name: record.name, value: record.value };
        });
        break;
      }
      case "internetMessageId":
        if (typeof value !== "string" || !MESSAGE_ID.test(value)) throw badRequest("ErrorInvalidInternetMessageId", `The internetMessageId '${String(value)}' is not a valid RFC 2822 message id ('<local@domain>').`);
        result.internetMessageId = value;
        break;
      case "isRead":
      case "isDeliveryReceiptRequested":
      case "isReadReceiptRequested":
        if (typeof value !== "boolean") throw badRequest("RequestBodyRead", `Cannot convert the literal '${String(value)}' to the expected type 'Edm.Boolean'.`);
        if (key === "isRead") result.isRead = value;
        break;
      case "singleValueExtendedProperties":
        result.extended = readExtendedProperties(value);
        break;
      case "multiValueExtendedProperties":
        if (!Array.isArray(value) || value.length > 0) throw badRequest("ErrorInvalidRequest", "The emulator does not store multiValueExtendedProperties.");
        break;
      case "attachments":
        if (!Array.isArray(value)) throw badRequest("RequestBodyRead", "'attachments' must be an array.");
        result.attachments = value;
        break;
      case "flag":
      case "inferenceClassification":
        break;
    }
  }
  return result;
}
