// /users/{id | userPrincipalName} and the mailbox behind a user.

import type { EmulatorState } from "./emulator-state";
import { findUser } from "./emulator-state";
import { GraphHttpError, badRequest } from "./graph-error";
import type { GraphResult, Mailbox, StoredUser } from "./types";

const USER_PROPERTIES = ["id", "displayName", "mail", "userPrincipalName", "businessPhones", "givenName", "surname", "jobTitle", "mobilePhone", "officeLocation", "preferredLanguage"];

export function userNotFound(idOrUpn: string): GraphHttpError {
  return new GraphHttpError(404, "Request_ResourceNotFound", `Resource '${idOrUpn}' does not exist or one of its queried reference-property objects are not present.`);
}

export function getUser(state: EmulatorState, idOrUpn: string, query: URLSearchParams): GraphResult {
  const user = findUser(state, idOrUpn);
  if (!user) throw userNotFound(idOrUpn);
  for (const key of query.keys()) {
    if (key.startsWith("$") && key.toLowerCase() !== "$select") throw badRequest("BadRequest", `Query option '${key}' is not allowed.`);
  }
  const full: Record<string, unknown> = {
    businessPhones: [], displayName: user.displayName, givenName: null, jobTitle: null, mail: user.mail, mobilePhone: null,
    officeLocation: null, preferredLanguage: null, surname: null, userPrincipalName: user.userPrincipalName, id: user.id,
  };
  const selectText = query.get("$select");
  let body: Record<string, unknown> = full;
  if (selectText !== null) {
    body = {};
    for (const name of selectText.split(",").map((s) => s.trim())) {
      const match = USER_PROPERTIES.find((p) => p.toLowerCase() === name.toLowerCase());
      if (!match) throw badRequest("Request_BadRequest", `Could not find a property named '${name}' on type 'microsoft.graph.user'.`);
      body[match] = full[match];
    }
  }
  return { status: 200, json: { "@odata.context": `${state.baseUrl}/v1.0/$metadata#users/$entity`, ...body } };
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
