// Reading a JSON request body the way Graph's OData layer does: JSON content type required,
// empty payloads and malformed JSON are 400s.

import { badRequest } from "./graph-error";
import type { GraphCall } from "./types";

export function contentTypeOf(call: GraphCall): string {
  return (call.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
}

export function readJsonObject(call: GraphCall): Record<string, unknown> {
  if (call.body.length === 0) throw badRequest("BadRequest", "Empty Payload. JSON content expected.");
  if (contentTypeOf(call) !== "application/json") {
    throw badRequest("BadRequest", `A supported MIME type could not be found that matches the content type of the response. Content-Type '${call.headers["content-type"] ?? ""}' is not application/json.`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(call.body.toString("utf8"));
  } catch (error) {
    throw badRequest("RequestBodyRead", `Invalid JSON. ${error instanceof Error ? error.message : "Parse error."}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw badRequest("RequestBodyRead", "A node of type 'StartArray' or a primitive was read from the JSON reader when trying to read a resource; however, a 'StartObject' node was expected.");
  }
  return parsed as Record<string, unknown>;
}

export function unknownProperty(name: string, typeName: string): Error {
  return badRequest("RequestBodyRead", `The property '${name}' does not exist on type '${typeName}'. Make sure to only use property names that are defined by the type or mark the type as open type.`);
}
