// Graph error bodies in the shape the SDK's GraphErrorHandler parses: {error:{code,message,innerError}}.

import { randomUUID } from "node:crypto";
import type { GraphResult } from "./types";

export function graphError(status: number, code: string, message: string, headers?: Record<string, string>): GraphResult {
  const requestId = randomUUID();
  return {
    status,
    headers: { "request-id": requestId, ...headers },
    json: {
      error: {
        code,
        message,
        innerError: { date: new Date().toISOString().slice(0, 19), "request-id": requestId, "client-request-id": requestId },
      },
    },
  };
}

/** Thrown by validators deep inside a handler; the router turns it into the Graph error answer. */
export class GraphHttpError extends Error {
  readonly status: number;
  readonly code: string;
  readonly headers?: Record<string, string>;

  constructor(status: number, code: string, message: string, headers?: Record<string, string>) {
    super(message);
    this.status = status;
    this.code = code;
    this.headers = headers;
  }

  toResult(): GraphResult {
    return graphError(this.status, this.code, this.message, this.headers);
  }
}

export function badRequest(code: string, message: string): GraphHttpError {
  return new GraphHttpError(400, code, message);
}
