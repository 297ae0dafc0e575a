// mailFolders: list (with $filter on displayName, paging), get (id or well-known name),
// create (409 ErrorFolderExists on a sibling with the same name, case-insensitively).
// Handlers are synchronous, so of N concurrent creates exactly one wins, as in Exchange.

import type { EmulatorState } from "./emulator-state";
import type { FilterNode } from "./filter-parser";
import { GraphHttpError, badRequest } from "./graph-error";
import { newFolderId } from "./ids";
import { nextLink, readQueryOptions } from "./query-options";
import { readJsonObject, unknownProperty } from "./request-body";
import type { GraphCall, GraphResult, Mailbox, StoredFolder } from "./types";

const FOLDER_ID = /^A[AQ]MkAD[A-Za-z0-9_-]+=*$/;

export function resolveFolder(mailbox: Mailbox, idOrName: string): StoredFolder {
  const byId = mailbox.folders.get(idOrName);
  if (byId) return byId;
  const lower = idOrName.toLowerCase();
  for (const folder of mailbox.folders.values()) if (folder.wellKnownName === lower) return folder;
  if (FOLDER_ID.test(idOrName)) throw new GraphHttpError(404, "ErrorItemNotFound", "The specified object was not found in the store.");
  throw badRequest("ErrorInvalidIdMalformed", "Id is malformed.");
}

export function serializeFolder(mailbox: Mailbox, folder: StoredFolder): Record<string, unknown> {
  let childFolderCount = 0;
  for (const f of mailbox.folders.values()) if (f.parentFolderId === folder.id) childFolderCount += 1;
  let total = 0;
  let unread = 0;
  let size = 0;
  for (const m of mailbox.messages.values()) {
    if (m.folderId !== folder.id) continue;
    total += 1;
    if (!m.isRead) unread += 1;
    size += m.body.content.length + m.attachments.reduce((s, a) => s + a.size, 0);
  }
  return {
    id: folder.id, displayName: folder.displayName, parentFolderId: folder.parentFolderId, childFolderCount,
    unreadItemCount: unread, totalItemCount: total, sizeInBytes: size, isHidden: folder.isHidden,
  };
}

function folderPredicate(node: FilterNode): (folder: StoredFolder) => boolean {
  switch (node.kind) {
    case "and": { const l = folderPredicate(node.left); const r = folderPredicate(node.right); return (f) => l(f) && r(f); }
    case "or": { const l = folderPredicate(node.left); const r = folderPredicate(node.right); return (f) => l(f) || r(f); }
    case "not": { const inner = folderPredicate(node.operand); return (f) => !inner(f); }
    case "compare": {
      if (node.property.toLowerCase() !== "displayname") {
        throw badRequest("RequestBroker--ParseUri", `Could not find a property named '${node.property}' on type 'Microsoft.OutlookServices.MailFolder'.`);
      }
      if (node.value.type !== "string" || (node.op !== "eq" && node.op !== "ne")) throw badRequest("ErrorInvalidUrlQueryFilter", "The query filter contains one or more invalid nodes.");
      const wanted = node.value.value.toLowerCase();
      return node.op === "eq" ? (f) => f.displayName.toLowerCase() === wanted : (f) => f.displayName.toLowerCase() !== wanted;
    }
    case "function": {
      if (node.property.toLowerCase() !== "displayname") throw badRequest("ErrorInvalidUrlQueryFilter", "The query filter contains one or more invalid nodes.");
      const wanted = node.value.toLowerCase();
      if (node.name === "startswith") return (f) => f.displayName.toLowerCase().startsWith(wanted);
      if (node.name === "contains") return (f) => f.displayName.toLowerCase().includes(wanted);
      throw badRequest("ErrorInvalidUrlQueryFilter", `The function '${node.name}' is not supported on mailFolders.`);
    }
    case "anyExtended":
      throw badRequest("ErrorInvalidUrlQueryFilter", "Filtering mailFolders by extended properties is not implemented by the emulator.");
    case "any":
      throw badRequest("ErrorInvalidUrlQueryFilter", `Filtering mailFolders by '${node.collection}/any' is not implemented by the emulator.`);
  }
}

export function listFolders(state: EmulatorState, mailbox: Mailbox, parentId: string, call: GraphCall): GraphResult {
  const options = readQueryOptions(call.query);
  if (options.expandExtended || options.expandAttachments || options.orderBy) throw badRequest("BadRequest", "The emulator supports $filter, $select, $top, $skip and $count on mailFolders.");
  const includeHidden = [...call.query.entries()].some(([k, v]) => k.toLowerCase() === "includehiddenfolders" && v.toLowerCase() === "true");
  const predicate = options.filter ? folderPredicate(options.filter) : () => true;
  const all = [...mailbox.folders.values()].filter((f) => f.parentFolderId === parentId && (includeHidden || !f.isHidden) && predicate(f));
  const top = Math.min(options.top ?? state.limits.defaultPageSize, state.limits.maxPageSize);
  const page = all.slice(options.skip, options.skip + top);
  const value = page.map((f) => selectFields(serializeFolder(mailbox, f), options.select));
  const body: Record<string, unknown> = { "@odata.context": `${state.baseUrl}/${call.version}/$metadata#users('${mailbox.userId}')/mailFolders` };
  if (options.count) body["@odata.count"] = all.length;
  body.value = value;
  if (options.skip + top < all.length) body["@odata.nextLink"] = nextLink(state.baseUrl, call.version, call.rawPath, call.query, options.skip + top);
  return { status: 200, json: body };
}

function selectFields(full: Record<string, unknown>, select: string[] | null): Record<string, unknown> {
  if (!select) return full;
  const out: Record<string, unknown> = { id: full.id };
  for (const name of select) {
    const key = Object.keys(full).find((k) => k.toLowerCase() === name.toLowerCase());
    if (!key) throw badRequest("RequestBroker--ParseUri", `Could not find a property named '${name}' on type 'Microsoft.OutlookServices.MailFolder'.`);
    out[key] = full[key];
  }
  return out;
}

export function getFolder(state: EmulatorState, mailbox: Mailbox, folderRef: string, call: GraphCall): GraphResult {
  const options = readQueryOptions(call.query);
  const folder = resolveFolder(mailbox, folderRef);
  return { status: 200, json: { "@odata.context": `${state.baseUrl}/${call.version}/$metadata#users('${mailbox.userId}')/mailFolders/$entity`, ...selectFields(serializeFolder(mailbox, folder), options.select) } };
}

export function createFolder(state: EmulatorState, mailbox: Mailbox, parentId: string, call: GraphCall): GraphResult {
  const input = readJsonObject(call);
  for (const key of Object.keys(input)) {
    if (!["displayName", "isHidden", "@odata.type"].includes(key)) throw unknownProperty(key, "Microsoft.OutlookServices.MailFolder");
  }
  const displayName = input.displayName;
  if (typeof displayName !== "string" || displayName.trim().length === 0) throw badRequest("ErrorInvalidRequest", "The displayName of a mail folder must be a non-empty string.");
  if (displayName.length > 255) throw badRequest("ErrorInvalidRequest", "The displayName of a mail folder must be at most 255 characters.");
  if (input.isHidden !== undefined && typeof input.isHidden !== "boolean") throw badRequest("RequestBodyRead", "Cannot convert the literal to the expected type 'Edm.Boolean'.");
  const wanted = displayName.toLowerCase();
  for (const f of mailbox.folders.values()) {
    if (f.parentFolderId === parentId && f.displayName.toLowerCase() === wanted) {
      throw new GraphHttpError(409, "ErrorFolderExists", "A folder with the specified name already exists.");
    }
  }
  const folder: StoredFolder = { id: newFolderId(), displayName, parentFolderId: parentId, wellKnownName: null, isHidden: input.isHidden === true };
  mailbox.folders.set(folder.id, folder);
  return { status: 201, json: { "@odata.context": `${state.baseUrl}/${call.version}/$metadata#users('${mailbox.userId}')/mailFolders/$entity`, ...serializeFolder(mailbox, folder) } };
}
