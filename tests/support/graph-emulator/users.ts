// /users/{id | userPrincipalName}, the users collection ($filter by SMTP address), and the
// mailbox behind a user.

import type { EmulatorState } from "./emulator-state";
import { findUser } from "./emulator-state";
import { parseFilter } from "./filter-parser";
import { GraphHttpError, badRequest } from "./graph-error";
import type { GraphCall, GraphResult, Mailbox, StoredUser } from "./types";
import { userPredicate } from "./user-filter";

/** Returned by default; proxyAddresses only on $select (Graph user resource). */
const DEFAULT_PROPERTIES = ["id", "displayName", "mail", "userPrincipalName", "businessPhones", "givenName", "surname", "jobTitle", "mobilePhone", "officeLocation", "preferredLanguage"];
const SELECTABLE_PROPERTIES = [...DEFAULT_PROPERTIES, "proxyAddresses"];
/** Directory collections: 100 per page unless $top says otherwise, at most 999. */
const DIRECTORY_PAGE_SIZE = 100;
const DIRECTORY_MAX_PAGE_SIZE = 999;
const LIST_OPTIONS = new Set(["$filter", "$select", "$top", "$count", "$skiptoken"]);

export function userNotFound(idOrUpn: string): GraphHttpError {
  return new GraphHttpError(404, "Request_ResourceNotFound", `Resource '${idOrUpn}' does not exist or one of its queried reference-property objects are not present.`);
}

function userView(user: StoredUser): Record<string, unknown> {
  return {
    businessPhones: [], displayName: user.displayName, givenName: null, jobTitle: null, mail: user.mail, mobilePhone: null,
    officeLocation: null, preferredLanguage: null, surname: null, userPrincipalName: user.userPrincipalName, id: user.id,
  };
}

function readSelect(selectText: string | null): string[] | null {
  if (selectText === null) return null;
  return selectText.split(",").map((s) => s.trim()).map((name) => {
    const match = SELECTABLE_PROPERTIES.find((p) => p.toLowerCase() === name.toLowerCase());
    if (!match) throw badRequest("Request_BadRequest", `Could not find a property named '${name}' on type 'microsoft.graph.user'.`);
    return match;
  });
}

function selectUser(user: StoredUser, select: string[] | null): Record<string, unknown> {
  if (select === null) return userView(user);
  const full: Record<string, unknown> = { ...userView(user), proxyAddresses: [...user.proxyAddresses] };
  return Object.fromEntries(select.map((name) => [name, full[name]]));
}

function queryValue(query: URLSearchParams, name: string): string | null {
  for (const [key, value] of query) if (key.toLowerCase() === name) return value;
  return null;
}

export function getUser(state: EmulatorState, idOrUpn: string, query: URLSearchParams): GraphResult {
  const user = findUser(state, idOrUpn);
  if (!user) throw userNotFound(idOrUpn);
  for (const key of query.keys()) {
    if (key.startsWith("$") && key.toLowerCase() !== "$select") throw badRequest("BadRequest", `Query option '${key}' is not allowed.`);
  }
  const body = selectUser(user, readSelect(queryValue(query, "$select")));
  return { status: 200, json: { "@odata.context": `${state.baseUrl}/v1.0/$metadata#users/$entity`, ...body } };
}

/** GET /users: $filter (see user-filter.ts), $select, $top, $count and $skiptoken paging. */
export function listUsers(state: EmulatorState, call: GraphCall): GraphResult {
  const { query } = call;
  const eventual = (call.headers.consistencylevel ?? "").trim().toLowerCase() === "eventual";
  for (const key of query.keys()) {
    const option = key.toLowerCase();
    if (option === "$search" && !eventual) {
      throw new GraphHttpError(400, "Request_UnsupportedQuery", "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'");
    }
    if (key.startsWith("$") && !LIST_OPTIONS.has(option)) throw badRequest("BadRequest", `The emulator does not implement the query option '${key}' on users.`);
  }
  const countText = queryValue(query, "$count");
  if (countText !== null && !/^(true|false)$/i.test(countText)) throw badRequest("BadRequest", `Invalid value '${countText}' for query option '$count'.`);
  // Without the header, $count=true is ignored silently (Graph documents this).
  const advanced = eventual && countText?.toLowerCase() === "true";
  const filterText = queryValue(query, "$filter");
  const predicate = filterText !== null ? userPredicate(parseFilter(filterText), advanced) : () => true;
  const select = readSelect(queryValue(query, "$select"));
  const topText = queryValue(query, "$top");
  const top = topText === null ? DIRECTORY_PAGE_SIZE : Number(topText);
  if (!Number.isInteger(top) || top < 1 || top > DIRECTORY_MAX_PAGE_SIZE) {
    throw badRequest("Request_BadRequest", `Invalid page size specified: '${topText ?? ""}'. Must be between 1 and ${DIRECTORY_MAX_PAGE_SIZE} inclusive.`);
  }
  const skip = readSkipToken(queryValue(query, "$skiptoken"));
  const matches = state.users.filter(predicate);
  const page = matches.slice(skip, skip + top);
  const context = `${state.baseUrl}/${call.version}/$metadata#users${select ? `(${select.join(",")})` : ""}`;
  const json: Record<string, unknown> = { "@odata.context": context };
  if (advanced) json["@odata.count"] = matches.length;
  if (skip + top < matches.length) json["@odata.nextLink"] = nextLink(state, call, skip + top);
  json.value = page.map((user) => selectUser(user, select));
  return { status: 200, json };
}

// Directory skip tokens are opaque to clients; ours carries the offset.
function readSkipToken(token: string | null): number {
  if (token === null) return 0;
  const offset = Number(Buffer.from(token, "base64url").toString("utf8"));
  if (!Number.isInteger(offset) || offset < 0) throw badRequest("Request_BadRequest", "The specified page token value has expired or is invalid.");
  return offset;
}

function nextLink(state: EmulatorState, call: GraphCall, offset: number): string {
  const params = new URLSearchParams();
  for (const [key, value] of call.query) if (key.toLowerCase() !== "$skiptoken") params.append(key, value);
  params.set("$skiptoken", Buffer.from(String(offset), "utf8").toString("base64url"));
  return `${state.baseUrl}/${call.version}/users?${params.toString().replace(/%24/g, "$")}`;
}

/** Mail endpoints: unknown users and users without an Exchange Online mailbox are 404s with Exchange codes. */
export function resolveMailbox(state: EmulatorState, idOrUpn: string): { user: StoredUser; mailbox: Mailbox } {
  const user = findUser(state, idOrUpn);
  if (!user) throw new GraphHttpError(404, "ErrorInvalidUser", `The requested user '${idOrUpn}' is invalid.`);
  const mailbox = state.mailboxes.get(user.id);
  if (!user.mailboxEnabled || !mailbox) {
    throw new GraphHttpError(404, "MailboxNotEnabledForRESTAPI", "The mailbox is either inactive, soft-deleted, or is hosted on-premise.");
  }
  return { user, mailbox };
}
