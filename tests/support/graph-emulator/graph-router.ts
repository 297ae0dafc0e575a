// The Graph pipeline for one request (top-level or inside a $batch):
// auth -> route -> faults -> per-mailbox throttling -> service time -> handler -> lost-response faults.

import type { EmulatorState } from "./emulator-state";
import { findUser } from "./emulator-state";
import { injectPreFault, loseCreateResponse, sleep, type FaultInjector } from "./faults";
import { GraphHttpError, badRequest, graphError } from "./graph-error";
import { verifyBearer } from "./identity";
import { addAttachment, createUploadSession, listAttachments } from "./attachments";
import { createFolder, getFolder, listFolders, resolveFolder } from "./mail-folders";
import { createMessage, deleteMessage, getMessage, importMimeMessage, listMessages, updateMessage } from "./messages";
import { admitMailboxRequest } from "./throttling";
import { getUser, listUsers, resolveMailbox } from "./users";
import type { GraphCall, GraphResult, StoredFolder } from "./types";

export interface EmulatorRuntime {
  state: EmulatorState;
  injector: FaultInjector;
}

function notAllowed(): GraphHttpError {
  return new GraphHttpError(405, "Request_BadRequest", "Specified HTTP method is not allowed for the request target.");
}

function decodeSegments(rawPath: string): string[] {
  try {
    return rawPath.split("/").filter((s) => s.length > 0).map((s) => decodeURIComponent(s));
  } catch {
    throw badRequest("BadRequest", "The request URL is not correctly percent-encoded.");
  }
}

/** Routes a request below /users/{id}/... to its handler. Runs after admission. */
async function route(runtime: EmulatorRuntime, call: GraphCall, segments: string[]): Promise<GraphResult> {
  const { state } = runtime;
  const method = call.method.toUpperCase();
  const userRef = segments[1] ?? "";
  if (segments.length === 2) {
    if (method !== "GET") throw notAllowed();
    return getUser(state, userRef, call.query);
  }
  const { mailbox } = resolveMailbox(state, userRef);
  const rest = segments.slice(2);
  const head = rest[0]?.toLowerCase();
  if (head === "mailfolders") {
    if (rest.length === 1) {
      if (method === "GET") return listFolders(state, mailbox, mailbox.rootFolderId, call);
      if (method === "POST") return createFolder(state, mailbox, mailbox.rootFolderId, call);
      throw notAllowed();
    }
    const folder = resolveFolder(mailbox, rest[1] ?? "");
    if (rest.length === 2) {
      if (method === "GET") return getFolder(state, mailbox, folder.id, call);
      throw notAllowed();
    }
    const sub = rest[2]?.toLowerCase();
    if (sub === "childfolders" && rest.length === 3) {
      if (method === "GET") return listFolders(state, mailbox, folder.id, call);
      if (method === "POST") return createFolder(state, mailbox, folder.id, call);
      throw notAllowed();
    }
    if (sub === "messages") return routeMessages(runtime, call, mailbox, folder, rest.slice(3));
    // A beta action: v1.0 does not know the segment (Graph's own answer for it).
    if (sub === "importmime" && rest.length === 3 && call.version === "beta") {
      if (method !== "POST") throw notAllowed();
      return importMimeMessage(state, mailbox, folder, call);
    }
    throw badRequest("BadRequest", `Resource not found for the segment '${rest[2] ?? ""}'.`);
  }
  if (head === "messages") {
    const drafts = [...mailbox.folders.values()].find((f) => f.wellKnownName === "drafts");
    return routeMessages(runtime, call, mailbox, undefined, rest.slice(1), drafts);
  }
  throw badRequest("BadRequest", `Resource not found for the segment '${rest[0] ?? ""}'.`);
}

async function routeMessages(
  runtime: EmulatorRuntime, call: GraphCall, mailbox: Parameters<typeof listMessages>[1], folder: StoredFolder | undefined, rest: string[], draftsFolder?: StoredFolder,
): Promise<GraphResult> {
  const { state } = runtime;
  const method = call.method.toUpperCase();
  if (rest.length === 0) {
    if (method === "GET") return listMessages(state, mailbox, folder, call);
    if (method === "POST") {
      const target = folder ?? draftsFolder;
      if (!target) throw new GraphHttpError(500, "ErrorInternalServerError", "The mailbox has no Drafts folder.");
      return createMessage(state, mailbox, target, call);
    }
    throw notAllowed();
  }
  const messageId = rest[0] ?? "";
  if (rest.length === 1) {
    if (method === "GET") return getMessage(state, mailbox, messageId, folder, call);
    if (method === "PATCH") return updateMessage(state, mailbox, messageId, folder, call);
    if (method === "DELETE") return deleteMessage(mailbox, messageId, folder);
    throw notAllowed();
  }
  if (rest[1]?.toLowerCase() === "attachments") {
    if (rest.length === 2) {
      if (method === "GET") return listAttachments(state, mailbox, messageId, folder, call);
      if (method === "POST") return addAttachment(state, mailbox, messageId, folder, call);
      throw notAllowed();
    }
    if (rest.length === 3 && rest[2]?.toLowerCase() === "createuploadsession") {
      if (method !== "POST") throw notAllowed();
      return createUploadSession(state, mailbox, messageId, folder, call);
    }
  }
  throw badRequest("BadRequest", `Resource not found for the segment '${rest[1] ?? ""}'.`);
}

function toResult(error: unknown): GraphResult {
  if (error instanceof GraphHttpError) return error.toResult();
  return graphError(500, "InternalServerError", `Emulator failure: ${error instanceof Error ? error.message : String(error)}`);
}

/**
 * Runs one mailbox-scoped unit of work through faults, throttling and service time.
 * Used for Graph calls and for upload-URL PUTs alike.
 */
export async function runMailboxWork(runtime: EmulatorRuntime, mailboxKey: string, work: () => Promise<GraphResult>): Promise<GraphResult> {
  const { state, injector } = runtime;
  const pre = injectPreFault(state, injector);
  if (pre) return pre;
  const admission = admitMailboxRequest(state, mailboxKey);
  if (!admission.ok) return admission.result;
  try {
    await sleep(state.limits.serviceTimeMs + (state.faults.delayMs ?? 0));
    let result: GraphResult;
    try {
      result = await work();
    } catch (error) {
      result = toResult(error);
    }
    if (result.messageCreated && result.status === 201) result = loseCreateResponse(state, injector, result);
    return result;
  } finally {
    admission.release();
  }
}

/**
 * The users collection is a directory request, not a mailbox request: Entra ID throttles it
 * per tenant (not modelled here), never against a mailbox's 4 slots. It still gets the
 * pre-work faults and the service time.
 */
async function runDirectoryWork(runtime: EmulatorRuntime, work: () => GraphResult): Promise<GraphResult> {
  const { state, injector } = runtime;
  const pre = injectPreFault(state, injector);
  if (pre) return pre;
  await sleep(state.limits.serviceTimeMs + (state.faults.delayMs ?? 0));
  try {
    return work();
  } catch (error) {
    return toResult(error);
  }
}

/** Entry point for one Graph request. `authenticated` is true for $batch inner requests. */
export async function dispatchGraphCall(runtime: EmulatorRuntime, call: GraphCall, authenticated: boolean, runBatch?: (call: GraphCall) => Promise<GraphResult>): Promise<GraphResult> {
  const { state } = runtime;
  state.stats.requests += 1;
  if (!authenticated) {
    const check = verifyBearer(state, call.headers.authorization);
    if (!check.ok) return graphError(401, "InvalidAuthenticationToken", check.message, { "www-authenticate": 'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize"' });
  }
  let segments: string[];
  try {
    segments = decodeSegments(call.rawPath);
  } catch (error) {
    return toResult(error);
  }
  const first = segments[0]?.toLowerCase();
  if (first === "$batch" && segments.length === 1) {
    if (!runBatch) return graphError(400, "BadRequest", "Nested $batch requests are not supported.");
    if (call.method.toUpperCase() !== "POST") return toResult(notAllowed());
    return runBatch(call);
  }
  if (first === "me") return graphError(400, "BadRequest", "/me request is only valid with delegated authentication flow.");
  if (first === "users" && segments.length === 1) {
    if (call.method.toUpperCase() !== "GET") return graphError(400, "BadRequest", "The emulator implements only GET on the users collection.");
    return runDirectoryWork(runtime, () => listUsers(state, call));
  }
  if (first !== "users" || segments.length < 2) return graphError(400, "BadRequest", `Resource not found for the segment '${segments[0] ?? ""}'.`);
  const userRef = segments[1] ?? "";
  const mailboxKey = findUser(state, userRef)?.id ?? userRef.toLowerCase();
  return runMailboxWork(runtime, mailboxKey, () => route(runtime, call, segments));
}
