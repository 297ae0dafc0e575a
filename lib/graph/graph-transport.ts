// One HTTP request through the Graph SDK, answered as data: the status, headers and parsed
// body whatever the status (the SDK's RAW response type), or "lost" when no answer came
// (connection reset, timeout). Sign-in failures are the destination's, not the request's.

import { ResponseType, type Client } from "@microsoft/microsoft-graph-client";
import { AppError } from "@/lib/errors";
import { SIGN_IN_FAILED } from "@/lib/graph/create-graph-client";

export type GraphMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
export type GraphVersion = "v1.0" | "beta";

export interface GraphHttpRequest {
  method: GraphMethod;
  /** Relative to the versioned base ("/users/..."), or absolute (an upload URL). */
  url: string;
  body?: string | Uint8Array;
  headers?: Record<string, string>;
  /** The Graph version of a relative URL; default the client's (v1.0). Only importMime needs "beta". */
  version?: GraphVersion;
  timeoutMs: number;
}

export type GraphReply =
  | { kind: "response"; status: number; headers: Record<string, string>; body: unknown }
  /** No answer: the request may or may not have been carried out. */
  | { kind: "lost"; detail: string };

export interface GraphTransport {
  send(request: GraphHttpRequest): Promise<GraphReply>;
}

export function createSdkTransport(client: Client): GraphTransport {
  return {
    async send(request) {
      const signal = AbortSignal.timeout(request.timeoutMs);
      const call = client.api(request.url).responseType(ResponseType.RAW).option("signal", signal);
      if (request.headers) call.headers(request.headers);
      if (request.version) call.version(request.version);
      let response: Response;
      try {
        response = (await dispatch(call, request)) as Response;
        const text = await response.text();
        return { kind: "response", status: response.status, headers: headersOf(response.headers), body: parseBody(text, response.headers.get("content-type")) };
      } catch (error) {
        if (isSignInFailure(error)) throw new AppError("destination_failed", (error as Error).message);
        if (signal.aborted) return { kind: "lost", detail: `no answer within ${Math.round(request.timeoutMs / 1000)} s` };
        return { kind: "lost", detail: describeNetworkError(error) };
      }
    },
  };
}

function dispatch(call: ReturnType<Client["api"]>, request: GraphHttpRequest): Promise<unknown> {
  switch (request.method) {
    case "GET":
      return call.get();
    case "POST":
      return call.post(payloadOf(request.body));
    case "PUT":
      return call.put(payloadOf(request.body));
    case "PATCH":
      return call.patch(payloadOf(request.body));
    case "DELETE":
      return call.delete();
  }
}

/** The SDK copies a plain Uint8Array's whole underlying buffer (ignoring its offset); a Buffer view is sent as is. */
function payloadOf(body: string | Uint8Array | undefined): string | Buffer | undefined {
  if (body === undefined || typeof body === "string" || Buffer.isBuffer(body)) return body;
  return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
}

function headersOf(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, key) => {
    out[key.toLowerCase()] = value;
  });
  return out;
}

function parseBody(text: string, contentType: string | null): unknown {
  if (text.length === 0) return undefined;
  if (contentType?.toLowerCase().includes("json")) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

function isSignInFailure(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const e = error as { name?: unknown; code?: unknown };
  return e.name === SIGN_IN_FAILED || e.code === SIGN_IN_FAILED;
}

function describeNetworkError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as Error & { code?: unknown }).code;
    return `${typeof code === "string" && code !== "" ? code : error.name}: ${error.message}`.slice(0, 300);
  }
  return String(error).slice(0, 300);
}
