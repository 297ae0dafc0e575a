import type { Socket } from "node:net";
import { Client, utils, type ParsedKey, type SFTPWrapper } from "ssh2";
import { isAppError } from "@/lib/errors";
import { vetTarget, type VetRefusalDetails, type VettedTarget } from "@/lib/net/vet-target";
import { connectTcp } from "./connect-tcp";
import { createAuthHandler, type AuthTrace } from "./create-auth-handler";
import { describeHostKey } from "./host-key-fingerprint";
import { formatDuration } from "./map-sftp-error";
import { sanitizeRemoteText, SftpError } from "./sftp-error";
import { SftpSession } from "./sftp-session";
import { DEFAULT_SFTP_TIMEOUTS, type ConnectionStage, type HostKeyInfo, type SftpTarget, type SftpTimeouts } from "./types";
import { callWithDeadline } from "./with-deadline";

/** pinned: production transfers. capture: trust on first use, for validation only. */
export type HostKeyPolicy = { mode: "pinned"; fingerprint: string } | { mode: "capture" };

export interface OpenSessionHooks {
  /** Called as each stage succeeds, with a human-readable detail. */
  onStagePassed?: (stage: ConnectionStage, detail: string) => void;
  /** Called with the key the server presented, before it is judged. */
  onHostKey?: (hostKey: HostKeyInfo) => void;
}

type Ssh2Error = Error & { level?: string; description?: string; code?: unknown };

const MISMATCH_FIX =
  "Do not connect until ICE confirms the server's key changed. If they confirm, validate the connection again and pin the new fingerprint; otherwise this may be an interception attempt.";

/**
 * Vets the target, opens TCP to the vetted address, runs the SSH handshake with host
 * key verification and authentication, and opens the SFTP subsystem. Every step is
 * bounded by a timeout. Failures are SftpError with the stage that failed.
 */
export async function openSession(target: SftpTarget, policy: HostKeyPolicy, hooks: OpenSessionHooks = {}): Promise<SftpSession> {
  const timeouts = resolveTimeouts(target.timeouts);
  const credentials = checkCredentials(target);

  const vetted = await vetOrExplain(target, timeouts);
  hooks.onStagePassed?.("dns", describeVetted(vetted));

  const socket = await connectTcp(vetted, timeouts.connectMs);
  hooks.onStagePassed?.("tcp", `TCP connection to ${vetted.address} port ${vetted.port} opened.`);

  return runSsh(socket, vetted, target, credentials, policy, timeouts, hooks);
}

/** Defaults for anything not given; an explicit `undefined` or a non-positive value also means "default". */
export function resolveTimeouts(overrides: Partial<SftpTimeouts> | undefined): SftpTimeouts {
  const timeouts: SftpTimeouts = { ...DEFAULT_SFTP_TIMEOUTS };
  for (const key of Object.keys(timeouts) as Array<keyof SftpTimeouts>) {
    const value = overrides?.[key];
    if (typeof value === "number" && Number.isFinite(value) && value > 0) timeouts[key] = value;
  }
  return timeouts;
}

interface CheckedCredentials {
  key: ParsedKey | null;
  keyProblem?: string;
}

function checkCredentials(target: SftpTarget): CheckedCredentials {
  if (typeof target.username !== "string" || target.username.trim() === "" || /[\u0000-\u001f\u007f]/.test(target.username)) {
    throw new SftpError({ kind: "invalid_credentials", stage: "authentication", fix: "Enter the firm code ICE gave you as the user name." }, "The SFTP user name (firm code) is empty or contains control characters.");
  }
  const hasKey = typeof target.privateKey === "string" && target.privateKey.trim() !== "";
  if (target.password === undefined && !hasKey) {
    throw new SftpError({ kind: "invalid_credentials", stage: "authentication", fix: "Enter the password and/or the private key ICE registered for this account." }, "Neither a password nor a private key is configured.");
  }
  if (!hasKey) return { key: null };
  const parsed = utils.parseKey(target.privateKey ?? "", target.passphrase);
  if (parsed instanceof Error) {
    return { key: null, keyProblem: `The private key could not be read: ${sanitizeRemoteText(parsed.message)}.` };
  }
  const key = Array.isArray(parsed) ? (parsed as ParsedKey[])[0] : parsed;
  if (!key || !key.isPrivateKey()) {
    return { key: null, keyProblem: "The configured key is a public key; the connector needs the private key." };
  }
  return { key };
}

async function vetOrExplain(target: SftpTarget, timeouts: SftpTimeouts): Promise<VettedTarget> {
  try {
    return await vetTarget(
      { host: target.host, port: target.port },
      { allowPrivateNetworks: target.allowPrivateNetworks, allowedPorts: target.allowedPorts, resolver: target.resolver, dnsTimeoutMs: timeouts.dnsMs },
    );
  } catch (err) {
    if (!isAppError(err)) throw err;
    const reason = (err.details as VetRefusalDetails | undefined)?.reason;
    if (reason === "dns_failed") {
      throw new SftpError({ kind: "dns_failed", stage: "dns", fix: "Check the host name for typos; it must resolve from this server." }, err.message, { cause: err });
    }
    throw new SftpError({ kind: "target_refused", stage: "dns", fix: "Use the public host name and port ICE gave you." }, err.message, { cause: err });
  }
}

function describeVetted(vetted: VettedTarget): string {
  if (vetted.host === vetted.address) return `${vetted.host} is an IP address allowed by the network policy; port ${vetted.port} is allowed.`;
  return `${vetted.host} resolved to ${vetted.resolvedAddresses.join(", ")}; connecting to ${vetted.address} port ${vetted.port}.`;
}

function runSsh(
  socket: Socket,
  vetted: VettedTarget,
  target: SftpTarget,
  credentials: CheckedCredentials,
  policy: HostKeyPolicy,
  timeouts: SftpTimeouts,
  hooks: OpenSessionHooks,
): Promise<SftpSession> {
  const client = new Client();
  const trace: AuthTrace = { tried: [], partiallyAccepted: [], serverMethods: null };

  return new Promise<SftpSession>((resolve, reject) => {
    let stage: ConnectionStage = "ssh_handshake";
    let settled = false;
    let session: SftpSession | undefined;
    let hostKey: HostKeyInfo | undefined;
    let mismatch: { expected: string; actual: HostKeyInfo } | undefined;
    let handshakeDone = false;

    const fail = (err: SftpError) => {
      if (settled) {
        session?.markLost(err);
        return;
      }
      settled = true;
      socket.destroy();
      reject(err);
    };

    const explain = (err: Ssh2Error): SftpError => {
      if (mismatch) {
        return new SftpError(
          {
            kind: "host_key_mismatch",
            stage: "host_key",
            fix: MISMATCH_FIX,
            expectedFingerprint: mismatch.expected,
            actualFingerprint: mismatch.actual.fingerprint,
            actualAlgorithm: mismatch.actual.algorithm,
          },
          `Host key changed: expected ${mismatch.expected}, got ${mismatch.actual.fingerprint} (${mismatch.actual.algorithm}).`,
          { cause: err },
        );
      }
      if (err.level === "client-authentication") return authFailure(target.username, trace, credentials.keyProblem, err);
      if (settled) {
        return new SftpError(
          { kind: "connection_lost", stage: "transfer", fix: "Retry; if it keeps happening, check the network path to the SFTP server." },
          `The SFTP connection was lost: ${sanitizeRemoteText(err.message)}.`,
          { cause: err },
        );
      }
      if (err.level === "client-timeout") {
        const what = stage === "authentication" ? "login" : "SSH handshake";
        return new SftpError(
          { kind: "handshake_timeout", stage, fix: "The server accepted the TCP connection but did not complete SSH; check that this is the SFTP port and retry later." },
          `The server did not complete the ${what} within ${formatDuration(timeouts.handshakeMs)}.`,
          { cause: err },
        );
      }
      if (stage === "authentication") {
        return new SftpError(
          { kind: "auth_failed", stage, fix: "Check the firm code and credentials with ICE." },
          `The server ended the login: ${sanitizeRemoteText(err.description ?? err.message)}.`,
          { cause: err },
        );
      }
      return new SftpError(
        { kind: "handshake_failed", stage, fix: "Check that host and port point to the ICE SFTP server (not a web server or proxy)." },
        `SSH handshake failed: ${sanitizeRemoteText(err.message)}.`,
        { cause: err },
      );
    };

    client.on("error", (err: Ssh2Error) => fail(explain(err)));
    client.on("close", () => {
      socket.destroy();
      if (settled) {
        fail(new SftpError({ kind: "connection_lost", stage: "transfer" }, "The SFTP connection was closed."));
        return;
      }
      fail(closedDuring(stage));
    });
    client.on("handshake", () => {
      if (handshakeDone) return;
      handshakeDone = true;
      if (hostKey) {
        hooks.onStagePassed?.(
          "host_key",
          policy.mode === "pinned"
            ? `The server's ${hostKey.algorithm} key ${hostKey.fingerprint} matches the pinned fingerprint.`
            : `The server presented the ${hostKey.algorithm} key ${hostKey.fingerprint}. Confirm this fingerprint with ICE before saving; it will be pinned.`,
        );
      }
      stage = "authentication";
    });
    client.on("ready", () => {
      const methods = [...trace.partiallyAccepted, ...trace.tried.slice(-1)];
      hooks.onStagePassed?.("authentication", `Logged in as ${target.username} using ${methods.join(" + ")}.`);
      stage = "directory_listing";
      callWithDeadline<SFTPWrapper>(
        timeouts.operationMs,
        () => new SftpError({ kind: "sftp_unavailable", stage }, `The server did not start the SFTP subsystem within ${formatDuration(timeouts.operationMs)}.`),
        (cb) => client.sftp(cb),
      ).then(
        (sftp) => {
          if (settled) return;
          if (!hostKey) return fail(new SftpError({ kind: "handshake_failed", stage: "host_key" }, "The server's host key was never verified."));
          session = new SftpSession(client, socket, sftp, { hostKey, target: vetted, authMethods: methods, timeouts });
          settled = true;
          resolve(session);
        },
        (err: unknown) =>
          fail(
            err instanceof SftpError
              ? err
              : new SftpError(
                  { kind: "sftp_unavailable", stage, fix: "Ask ICE to enable SFTP for this account." },
                  `The server accepted the login but refused to start SFTP: ${sanitizeRemoteText((err as Error | undefined)?.message)}.`,
                  { cause: err },
                ),
          ),
      );
    });

    const hostVerifier = (keyBlob: Buffer, verify: (valid: boolean) => void): void => {
      const presented = describeHostKey(keyBlob);
      if (!handshakeDone) {
        hostKey = presented;
        hooks.onHostKey?.(presented);
        if (stage === "ssh_handshake") {
          hooks.onStagePassed?.("ssh_handshake", `The server speaks SSH-2 and completed key exchange (host key type ${presented.algorithm}).`);
          stage = "host_key";
        }
      }
      // Also on re-key: a key swapped mid-session is just as much a mismatch.
      const expected = policy.mode === "pinned" ? policy.fingerprint : hostKey?.fingerprint;
      if (expected !== undefined && presented.fingerprint !== expected) {
        mismatch = { expected, actual: presented };
        verify(false);
        return;
      }
      verify(true);
    };

    try {
      client.connect({
        sock: socket,
        username: target.username,
        hostVerifier,
        readyTimeout: timeouts.handshakeMs,
        keepaliveInterval: timeouts.keepaliveIntervalMs,
        keepaliveCountMax: timeouts.keepaliveCountMax,
        authHandler: credentials.keyProblem ? () => false : createAuthHandler(target, credentials.key, trace),
      });
    } catch (err) {
      fail(new SftpError({ kind: "handshake_failed", stage: "ssh_handshake" }, `Could not start SSH: ${sanitizeRemoteText((err as Error).message)}.`, { cause: err }));
    }
  });
}

function closedDuring(stage: ConnectionStage): SftpError {
  switch (stage) {
    case "ssh_handshake":
    case "host_key":
      return new SftpError(
        { kind: "handshake_failed", stage, fix: "Check that host and port point to the ICE SFTP server, and that ICE whitelisted this server's IP." },
        "The server closed the connection before the SSH handshake completed.",
      );
    case "authentication":
      return new SftpError({ kind: "auth_failed", stage, fix: "Check the firm code and credentials with ICE." }, "The server closed the connection during login.");
    default:
      return new SftpError({ kind: "sftp_unavailable", stage }, "The server closed the connection right after login.");
  }
}

function authFailure(username: string, trace: AuthTrace, keyProblem: string | undefined, cause: Error): SftpError {
  const serverMethods = trace.serverMethods ?? undefined;
  if (keyProblem) {
    return new SftpError(
      { kind: "invalid_credentials", stage: "authentication", fix: "Paste the complete private key (OpenSSH or PEM format) and its passphrase, if it has one." },
      keyProblem,
      { cause },
    );
  }
  const allows = serverMethods && serverMethods.length > 0 ? ` The server accepts: ${serverMethods.map((m) => sanitizeRemoteText(m, 40)).join(", ")}.` : "";
  if (trace.tried.length === 0) {
    return new SftpError(
      { kind: "auth_failed", stage: "authentication", serverAuthMethods: serverMethods, fix: "Configure a credential of a kind the server accepts." },
      `None of the configured credentials can be used with this server.${allows}`,
      { cause },
    );
  }
  if (trace.partiallyAccepted.length > 0) {
    const missing = (serverMethods ?? []).filter((m) => !trace.tried.includes(m as never));
    const needs = missing.length > 0 ? `also requires ${missing.join(" or ")}, which is not configured` : "rejected the next credential";
    return new SftpError(
      { kind: "auth_failed", stage: "authentication", serverAuthMethods: serverMethods, fix: "This site requires both a private key and a password; configure both." },
      `The server accepted ${trace.partiallyAccepted.join(" + ")} for ${username} but ${needs}.${allows}`,
      { cause },
    );
  }
  return new SftpError(
    { kind: "auth_failed", stage: "authentication", serverAuthMethods: serverMethods, fix: "Check the firm code, the password, and that ICE registered this public key for the account." },
    `The server rejected the login for ${username} (tried ${trace.tried.join(", ")}).${allows}`,
    { cause },
  );
}
