// $filter on the users collection: the forms that find a user by SMTP address (mail eq,
// proxyAddresses/any(p:p eq '...'), joined by or), under Entra ID's rules for advanced
// queries (learn.microsoft.com, "Advanced query capabilities on Microsoft Entra ID objects"):
// mail eq and proxyAddresses eq work by default; not, ne and endsWith on these properties
// need ConsistencyLevel: eventual plus $count=true, and without them Graph answers 400
// Request_UnsupportedQuery. Directory string comparisons ignore case.
// Any other form is a 400 too: a filter the emulator ignored would match every user.

import type { FilterNode } from "./filter-parser";
import { GraphHttpError } from "./graph-error";
import type { StoredUser } from "./types";

export type UserPredicate = (user: StoredUser) => boolean;

/** Properties whose endsWith Graph serves only as an advanced query. */
const ENDS_WITH_ADVANCED = new Set(["mail", "userprincipalname", "proxyaddresses", "othermails"]);

function unsupportedQuery(message: string): GraphHttpError {
  return new GraphHttpError(400, "Request_UnsupportedQuery", message);
}

function unsupportedClause(property: string): GraphHttpError {
  return unsupportedQuery(`Unsupported or invalid query filter clause specified for property '${property}' of resource 'User'.`);
}

/** `advanced`: the request carries ConsistencyLevel: eventual and $count=true. */
export function userPredicate(node: FilterNode, advanced: boolean): UserPredicate {
  const operator = advancedOnlyOperator(node);
  if (operator !== undefined) {
    if (!advanced) {
      throw unsupportedQuery(`Operator '${operator}' is not supported because the required parameters might be missing. Try adding $count=true query parameter and ConsistencyLevel:eventual header. Refer to https://aka.ms/graph-docs/advanced-queries for more information`);
    }
    throw unsupportedQuery(`The emulator does not implement the advanced query operator '${operator}' on users.`);
  }
  return compile(node);
}

function advancedOnlyOperator(node: FilterNode, collection?: string): string | undefined {
  switch (node.kind) {
    case "and":
    case "or":
      return advancedOnlyOperator(node.left, collection) ?? advancedOnlyOperator(node.right, collection);
    case "not":
      return "not";
    case "compare":
      return node.op === "ne" ? "ne" : undefined;
    case "function":
      return node.name === "endswith" && ENDS_WITH_ADVANCED.has((collection ?? node.property).toLowerCase()) ? "endsWith" : undefined;
    case "any":
      return advancedOnlyOperator(node.predicate, node.collection);
    case "anyExtended":
      return undefined;
  }
}

function compile(node: FilterNode): UserPredicate {
  switch (node.kind) {
    case "or": {
      const left = compile(node.left);
      const right = compile(node.right);
      return (u) => left(u) || right(u);
    }
    case "compare": {
      if (node.property.toLowerCase() !== "mail") throw unsupportedClause(node.property);
      const wanted = stringEq(node, node.property);
      return (u) => u.mail.toLowerCase() === wanted;
    }
    case "any": {
      if (node.collection.toLowerCase() !== "proxyaddresses") throw unsupportedClause(node.collection);
      const { predicate } = node;
      if (predicate.kind !== "compare" || predicate.property !== node.variable) throw unsupportedClause(node.collection);
      const wanted = stringEq(predicate, node.collection);
      return (u) => u.proxyAddresses.some((address) => address.toLowerCase() === wanted);
    }
    case "and":
    case "not":
    case "function":
      throw unsupportedQuery("The emulator supports only mail eq '…' and proxyAddresses/any(p:p eq '…'), joined by or, as $filter on users.");
    case "anyExtended":
      throw unsupportedClause("singleValueExtendedProperties");
  }
}

/** The lower-cased string of an `eq` comparison. */
function stringEq(node: Extract<FilterNode, { kind: "compare" }>, property: string): string {
  if (node.op !== "eq" || node.value.type !== "string") throw unsupportedClause(property);
  return node.value.value.toLowerCase();
}
