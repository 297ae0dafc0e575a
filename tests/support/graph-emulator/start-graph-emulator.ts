// Starts the HTTPS Graph emulator on 127.0.0.1: identity endpoints, Graph v1.0/beta,
// upload URLs (served under the host name "localhost", like outlook.office.com is a
// different host than graph.microsoft.com) and the /_emulator control API.

import { randomBytes, randomUUID } from "node:crypto";
import https from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { runBatch } from "./batch";
import { answerControlRequest } from "./control-api";
import { createEmulatorState, setUsers } from "./emulator-state";
import { createFaultInjector } from "./faults";
import { generateEmulatorCertificate } from "./generate-certificate";
import { dispatchGraphCall, runMailboxWork, type EmulatorRuntime } from "./graph-router";
import { graphError } from "./graph-error";
import { answerOpenIdConfiguration, answerTokenRequest } from "./identity";
import { configureFaults, configureLimits, inspectMailboxes, inspectMessage, resetEmulator, snapshotStats, type InspectedMailbox, type InspectedMessage } from "./inspection";
import { uploadChunk, uploadSessionFor } from "./attachments";
import type { EmulatorFaults, EmulatorLimits, EmulatorStats, EmulatorUserConfig, GraphCall, GraphResult, StoredUser } from "./types";

export interface GraphEmulatorOptions {
  /** Default 0: a random free port. */
  port?: number;
  tenantId?: string;
  clientId?: string;
  clientSecret?: string;
  users?: EmulatorUserConfig[];
  limits?: Partial<EmulatorLimits>;
  faults?: EmulatorFaults;
  /** Where the TLS certificate lives; reused when still valid. Default: a fresh temp dir. */
  certDir?: string;
}

export interface GraphEmulator {
  /** e.g. https://127.0.0.1:43123 (Graph lives under /v1.0). */
  baseUrl: string;
  graphBaseUrl: string;
  /** Pass as ClientSecretCredential's authorityHost (with disableInstanceDiscovery: true). */
  authorityHost: string;
  /** For the Graph SDK's customHosts: the host NAME without port ("127.0.0.1"). */
  graphHostName: string;
  port: number;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** PEM file of the self-signed certificate (use for NODE_EXTRA_CA_CERTS of child processes). */
  certPath: string;
  /** The same certificate as PEM text, for agents / tls options in this process. */
  caPem: string;
  users(): StoredUser[];
  setUsers(users: EmulatorUserConfig[]): void;
  mailboxes(): InspectedMailbox[];
  /** Messages of one user (id or UPN), optionally only those in the folder with this display name. */
  messagesOf(user: string, folderDisplayName?: string): InspectedMessage[];
  stats(): EmulatorStats;
  reset(users?: EmulatorUserConfig[]): void;
  setLimits(limits: Partial<EmulatorLimits>): void;
  setFaults(faults: EmulatorFaults): void;
  stop(): Promise<void>;
}

const JSON_TYPE = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";
const CONTROL_BODY_LIMIT = 16 * 1024 * 1024;

function lowerHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(req.headers)) {
    if (typeof value === "string") out[key.toLowerCase()] = value;
    else if (Array.isArray(value)) out[key.toLowerCase()] = value.join(", ");
  }
  return out;
}

/** Reads the body, remembering whether it exceeded `limit` (the excess is discarded, not buffered). */
function readBody(req: IncomingMessage, limit: number): Promise<{ body: Buffer; tooLarge: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      if (!tooLarge) chunks.push(chunk);
    });
    req.on("end", () => resolve({ body: tooLarge ? Buffer.alloc(0) : Buffer.concat(chunks), tooLarge }));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, status: number, json: unknown, headers: Record<string, string> = {}): void {
  const payload = json === undefined ? undefined : Buffer.from(JSON.stringify(json));
  res.writeHead(status, { ...headers, ...(payload ? { "content-type": JSON_TYPE, "content-length": String(payload.length) } : { "content-length": "0" }) });
  res.end(payload);
}

function sendResult(res: ServerResponse, req: IncomingMessage, result: GraphResult): void {
  if (result.drop) {
    // A lost response: the work is done, but the client only sees a reset connection.
    req.socket.destroy();
    return;
  }
  const clientRequestId = req.headers["client-request-id"];
  const headers: Record<string, string> = { "cache-control": "no-cache", ...result.headers };
  if (typeof clientRequestId === "string") headers["client-request-id"] = clientRequestId;
  send(res, result.status, result.json, headers);
}

export async function startGraphEmulator(options: GraphEmulatorOptions = {}): Promise<GraphEmulator> {
  const certificate = generateEmulatorCertificate(options.certDir);
  const state = createEmulatorState({
    app: { tenantId: options.tenantId ?? randomUUID(), clientId: options.clientId ?? randomUUID(), clientSecret: options.clientSecret ?? `emu~${randomBytes(24).toString("base64url")}` },
    users: options.users ?? [],
    limits: options.limits,
    faults: options.faults,
    signingKey: randomBytes(32),
  });
  const runtime: EmulatorRuntime = { state, injector: createFaultInjector(state.faults) };
  const sockets = new Set<import("node:stream").Duplex>();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "https://127.0.0.1");
    const method = (req.method ?? "GET").toUpperCase();
    const headers = lowerHeaders(req);
    const path = url.pathname;

    if (path.startsWith("/_emulator/")) {
      const { body } = await readBody(req, CONTROL_BODY_LIMIT);
      const answer = answerControlRequest(runtime, method, path, body);
      send(res, answer.status, answer.json);
      return;
    }
    const openId = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/.exec(path);
    if (openId?.[1] && method === "GET") {
      const answer = answerOpenIdConfiguration(state, decodeURIComponent(openId[1]));
      send(res, answer.status, answer.json);
      return;
    }
    const token = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(path);
    if (token?.[1] && method === "POST") {
      const { body } = await readBody(req, 1024 * 1024);
      const answer = answerTokenRequest(state, decodeURIComponent(token[1]), headers["content-type"], body, headers.authorization);
      if (answer.status !== 200) state.stats.tokenFailures += 1;
      send(res, answer.status, answer.json, { "cache-control": "no-store, no-cache", pragma: "no-cache" });
      return;
    }
    if (path.startsWith("/api/v2.0/") && method === "PUT") {
      const { body, tooLarge } = await readBody(req, state.limits.maxUploadChunkBytes);
      if (tooLarge) {
        sendResult(res, req, graphError(413, "RequestEntityTooLarge", `Each upload range may carry at most ${state.limits.maxUploadChunkBytes} bytes.`));
        return;
      }
      const session = uploadSessionFor(state, path);
      const work = async () => uploadChunk(state, path, url.searchParams, headers, body);
      sendResult(res, req, session ? await runMailboxWork(runtime, session.userId, work) : await work());
      return;
    }
    const version = /^\/(v1\.0|beta)(\/.*)?$/.exec(path);
    if (version?.[1]) {
      const { body, tooLarge } = await readBody(req, state.limits.maxRequestBodyBytes);
      if (tooLarge) {
        sendResult(res, req, graphError(413, "RequestEntityTooLarge", `The maximum request length supported is ${Math.round(state.limits.maxRequestBodyBytes / (1024 * 1024))}MB.`));
        return;
      }
      const rawPath = req.url?.slice(version[1].length + 1).split("?")[0] ?? "/";
      const call: GraphCall = { method, rawPath, query: url.searchParams, headers, body, version: version[1] as "v1.0" | "beta" };
      const result = await dispatchGraphCall(runtime, call, false, (batchCall) => runBatch(runtime, batchCall));
      sendResult(res, req, result);
      return;
    }
    await readBody(req, CONTROL_BODY_LIMIT);
    send(res, 404, { error: { code: "NotFound", message: `The emulator has no route for ${method} ${path}.` } });
  };

  const server = https.createServer({ cert: certificate.certPem, key: certificate.keyPem }, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, { error: { code: "InternalServerError", message: error instanceof Error ? error.message : String(error) } });
      else res.destroy();
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  state.baseUrl = `https://127.0.0.1:${port}`;
  state.uploadBaseUrl = `https://localhost:${port}`;

  return {
    baseUrl: state.baseUrl,
    graphBaseUrl: `${state.baseUrl}/v1.0`,
    authorityHost: state.baseUrl,
    graphHostName: "127.0.0.1",
    port,
    tenantId: state.app.tenantId,
    clientId: state.app.clientId,
    clientSecret: state.app.clientSecret,
    certPath: certificate.certPath,
    caPem: certificate.certPem,
    users: () => state.users.map((u) => ({ ...u })),
    setUsers: (users) => setUsers(state, users),
    mailboxes: () => inspectMailboxes(state),
    messagesOf: (user, folderDisplayName) => {
      const needle = user.toLowerCase();
      const mailbox = inspectMailboxes(state).find((m) => m.userId === needle || m.userPrincipalName.toLowerCase() === needle);
      if (!mailbox) return [];
      return mailbox.folders
        .filter((f) => folderDisplayName === undefined || f.displayName.toLowerCase() === folderDisplayName.toLowerCase())
        .flatMap((f) => f.messages);
    },
    stats: () => snapshotStats(state),
    reset: (users) => resetEmulator(runtime, users),
    setLimits: (limits) => configureLimits(state, limits),
    setFaults: (faults) => configureFaults(runtime, faults),
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

export { inspectMessage };
