// POST /$batch (JSON batching): at most 20 requests, unique ids, relative URLs, Content-Type
// required with a body, dependsOn sequencing (failed dependency -> 424). Inner requests are
// evaluated individually against throttling; those without dependsOn run concurrently.

import { dispatchGraphCall, type EmulatorRuntime } from "./graph-router";
import { graphError } from "./graph-error";
import { readJsonObject } from "./request-body";
import type { GraphCall, GraphResult } from "./types";

interface InnerRequest {
  id: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: Buffer;
  dependsOn: string[];
}

const METHODS = new Set(["GET", "POST", "PATCH", "PUT", "DELETE"]);

function batchError(message: string): GraphResult {
  return graphError(400, "BadRequest", message);
}

function readInner(raw: unknown, index: number): InnerRequest | string {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return `Request at index ${index} is not a JSON object.`;
  const r = raw as Record<string, unknown>;
  for (const key of Object.keys(r)) {
    if (!["id", "method", "url", "headers", "body", "dependsOn", "atomicityGroup"].includes(key)) return `Invalid batch payload format: unknown property '${key}'.`;
  }
  if (typeof r.id !== "string" || r.id.length === 0) return "Invalid batch payload format: every request needs a string 'id'.";
  if (typeof r.method !== "string" || !METHODS.has(r.method.toUpperCase())) return `Invalid method '${String(r.method)}' for request id : ${r.id}.`;
  if (typeof r.url !== "string" || r.url.length === 0) return `Invalid url for request id : ${r.id}.`;
  if (/^[a-z][a-z0-9+.-]*:/i.test(r.url)) return `Invalid url for request id : ${r.id}. The url must be relative, e.g. '/users'.`;
  const headers: Record<string, string> = {};
  if (r.headers !== undefined) {
    if (typeof r.headers !== "object" || r.headers === null || Array.isArray(r.headers)) return `Invalid headers for request id : ${r.id}.`;
    for (const [k, v] of Object.entries(r.headers)) {
      if (typeof v !== "string") return `Invalid header '${k}' for request id : ${r.id}.`;
      headers[k.toLowerCase()] = v;
    }
  }
  let body = Buffer.alloc(0);
  if (r.body !== undefined && r.body !== null) {
    const contentType = (headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
    if (!contentType) return `Write request id : ${r.id} does not contain Content-Type header or body.`;
    if (typeof r.body === "string") {
      // A string body is the payload itself for text/plain (MIME is already base64 text),
      // otherwise base64-encoded binary content.
      body = contentType === "text/plain" ? Buffer.from(r.body, "utf8") : Buffer.from(r.body, "base64");
    } else {
      body = Buffer.from(JSON.stringify(r.body), "utf8");
    }
  } else if (["POST", "PATCH", "PUT"].includes(r.method.toUpperCase())) {
    return `Write request id : ${r.id} does not contain Content-Type header or body.`;
  }
  let dependsOn: string[] = [];
  if (r.dependsOn !== undefined) {
    if (!Array.isArray(r.dependsOn) || r.dependsOn.some((d) => typeof d !== "string")) return `Invalid dependsOn for request id : ${r.id}.`;
    dependsOn = r.dependsOn as string[];
  }
  return { id: r.id, method: r.method.toUpperCase(), url: r.url, headers, body, dependsOn };
}

function toInnerCall(outer: GraphCall, inner: InnerRequest): GraphCall {
  const url = new URL(inner.url.startsWith("/") ? inner.url : `/${inner.url}`, "https://batch.invalid");
  return { method: inner.method, rawPath: url.pathname, query: url.searchParams, headers: inner.headers, body: inner.body, version: outer.version };
}

function innerResponse(id: string, result: GraphResult): Record<string, unknown> {
  const headers: Record<string, string> = { ...result.headers };
  if (result.json !== undefined) headers["content-type"] = "application/json";
  const out: Record<string, unknown> = { id, status: result.status, headers };
  if (result.json !== undefined) out.body = result.json;
  return out;
}

export async function runBatch(runtime: EmulatorRuntime, call: GraphCall): Promise<GraphResult> {
  const { state } = runtime;
  state.stats.batches += 1;
  let payload: Record<string, unknown>;
  try {
    payload = readJsonObject(call);
  } catch {
    return batchError("Invalid batch payload format.");
  }
  const requests = payload.requests;
  if (!Array.isArray(requests)) return batchError("Invalid batch payload format: 'requests' must be an array.");
  if (requests.length === 0) return batchError("Invalid batch payload format: the batch contains no requests.");
  if (requests.length > state.limits.maxBatchRequests) return batchError(`The number of batch requests exceeds the limit of ${state.limits.maxBatchRequests}.`);
  const inner: InnerRequest[] = [];
  const ids = new Set<string>();
  for (const [index, raw] of requests.entries()) {
    const parsed = readInner(raw, index);
    if (typeof parsed === "string") return batchError(parsed);
    if (ids.has(parsed.id.toLowerCase())) return batchError(`Request id '${parsed.id}' is duplicated; batch request ids must be unique.`);
    ids.add(parsed.id.toLowerCase());
    inner.push(parsed);
  }
  for (const request of inner) {
    for (const dep of request.dependsOn) {
      if (!ids.has(dep.toLowerCase())) return batchError(`Request '${request.id}' depends on unknown request id '${dep}'.`);
      if (dep.toLowerCase() === request.id.toLowerCase()) return batchError(`Request '${request.id}' depends on itself.`);
    }
  }
  const results = new Map<string, Promise<GraphResult>>();
  const byId = new Map(inner.map((r) => [r.id.toLowerCase(), r]));
  const visiting = new Set<string>();
  const run = (request: InnerRequest): Promise<GraphResult> => {
    const key = request.id.toLowerCase();
    const existing = results.get(key);
    if (existing) return existing;
    if (visiting.has(key)) return Promise.resolve(graphError(400, "BadRequest", "Circular dependsOn."));
    visiting.add(key);
    const promise = (async () => {
      const deps = await Promise.all(request.dependsOn.map((d) => run(byId.get(d.toLowerCase()) as InnerRequest)));
      if (deps.some((d) => d.drop || d.status >= 400)) return graphError(424, "FailedDependency", "Failed dependency.");
      return dispatchGraphCall(runtime, toInnerCall(call, request), true);
    })();
    results.set(key, promise);
    return promise;
  };
  const settled = await Promise.all(inner.map(async (r) => ({ id: r.id, result: await run(r) })));
  // A lost inner response loses the whole batch response, as a dropped connection would.
  if (settled.some((s) => s.result.drop)) return { status: 0, drop: true };
  return { status: 200, json: { responses: settled.map((s) => innerResponse(s.id, s.result)) } };
}
