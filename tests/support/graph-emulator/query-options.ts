// Reads the OData system query options of a collection or item request. Unknown "$" options
// and malformed values are 400s, as on Graph.

import { badRequest } from "./graph-error";
import { parseFilter, type FilterNode } from "./filter-parser";

export interface QueryOptions {
  filter: FilterNode | null;
  select: string[] | null;
  /** Canonical ids requested via $expand=singleValueExtendedProperties($filter=id eq '...'); null = not expanded. */
  expandExtended: string[] | null;
  expandAttachments: boolean;
  top: number | null;
  skip: number;
  count: boolean;
  orderBy: { property: string; descending: boolean } | null;
}

const KNOWN = new Set(["$filter", "$select", "$expand", "$top", "$skip", "$count", "$orderby", "$search", "$skiptoken"]);

function readInteger(name: string, text: string): number {
  if (!/^\d+$/.test(text.trim())) throw badRequest("BadRequest", `Invalid value '${text}' for query option '${name}'.`);
  return Number.parseInt(text.trim(), 10);
}

function parseExpand(text: string): { extended: string[] | null; attachments: boolean } {
  let extended: string[] | null = null;
  let attachments = false;
  // Split on top-level commas only (the nested $filter may contain commas in quoted ids).
  const items: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = "";
  for (const ch of text) {
    if (ch === "'") quoted = !quoted;
    if (!quoted && ch === "(") depth += 1;
    if (!quoted && ch === ")") depth -= 1;
    if (!quoted && depth === 0 && ch === ",") { items.push(current); current = ""; continue; }
    current += ch;
  }
  items.push(current);
  for (const raw of items) {
    const item = raw.trim();
    if (/^attachments$/i.test(item)) { attachments = true; continue; }
    const match = /^singleValueExtendedProperties\s*\(\s*\$filter\s*=\s*(.+)\)$/is.exec(item);
    if (!match?.[1]) {
      if (/^singleValueExtendedProperties$/i.test(item)) {
        throw badRequest("ErrorInvalidRequest", "Expanding singleValueExtendedProperties requires a $filter on the property id.");
      }
      throw badRequest("RequestBroker--ParseUri", `Could not find a property named '${item.replace(/\(.*$/s, "")}' on type 'Microsoft.OutlookServices.Message'.`);
    }
    extended = [...(extended ?? []), ...readIdAlternatives(parseFilter(match[1]))];
  }
  return { extended, attachments };
}

/** The expand filter must be "id eq 'x'" joined by "or". */
function readIdAlternatives(node: FilterNode): string[] {
  if (node.kind === "or") return [...readIdAlternatives(node.left), ...readIdAlternatives(node.right)];
  if (node.kind === "compare" && node.property.toLowerCase() === "id" && node.op === "eq" && node.value.type === "string") return [node.value.value];
  throw badRequest("ErrorInvalidUrlQueryFilter", "The $filter inside $expand=singleValueExtendedProperties supports only: id eq '<property id>' (optionally joined with 'or').");
}

export function readQueryOptions(query: URLSearchParams): QueryOptions {
  for (const key of query.keys()) {
    if (key.startsWith("$") && !KNOWN.has(key.toLowerCase())) throw badRequest("BadRequest", `Query option '${key}' is not allowed.`);
  }
  const get = (name: string) => {
    for (const [key, value] of query) if (key.toLowerCase() === name) return value;
    return null;
  };
  if (get("$search") !== null) throw badRequest("ErrorInvalidUrlQuery", "The emulator does not implement $search; use $filter.");
  const filterText = get("$filter");
  const selectText = get("$select");
  const expandText = get("$expand");
  const topText = get("$top");
  const skipText = get("$skip");
  const countText = get("$count");
  const orderText = get("$orderby");
  const expand = expandText !== null ? parseExpand(expandText) : { extended: null, attachments: false };
  let orderBy: QueryOptions["orderBy"] = null;
  if (orderText !== null) {
    const match = /^\s*([A-Za-z]+)(\s+(asc|desc))?\s*$/i.exec(orderText);
    if (!match?.[1]) throw badRequest("BadRequest", `Invalid $orderby expression '${orderText}'.`);
    orderBy = { property: match[1], descending: (match[3] ?? "asc").toLowerCase() === "desc" };
  }
  if (countText !== null && !/^(true|false)$/i.test(countText)) throw badRequest("BadRequest", `Invalid value '${countText}' for query option '$count'.`);
  return {
    filter: filterText !== null ? parseFilter(filterText) : null,
    select: selectText !== null ? selectText.split(",").map((s) => s.trim()).filter((s) => s.length > 0) : null,
    expandExtended: expand.extended,
    expandAttachments: expand.attachments,
    top: topText !== null ? readInteger("$top", topText) : null,
    skip: skipText !== null ? readInteger("$skip", skipText) : 0,
    count: countText !== null && countText.toLowerCase() === "true",
    orderBy,
  };
}

/** Builds the @odata.nextLink Graph returns for Outlook collections ($skip paging). */
export function nextLink(baseUrl: string, version: string, rawPath: string, query: URLSearchParams, nextSkip: number): string {
  const params = new URLSearchParams();
  for (const [key, value] of query) if (key.toLowerCase() !== "$skip") params.append(key, value);
  params.set("$skip", String(nextSkip));
  return `${baseUrl}/${version}${rawPath}?${params.toString().replace(/%24/g, "$")}`;
}
