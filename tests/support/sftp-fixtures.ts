// Shared setup for the lib/sftp tests: a served directory and connection options
// pointing at the loopback SFTP simulator. Not used by production code.
import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import type { SftpSimulator } from "@/tests/support/sftp-server";
import { SftpError } from "@/lib/sftp/sftp-error";
import type { SftpConnectOptions, SftpTimeouts } from "@/lib/sftp/types";

export const FIRM_CODE = "ACME01";
export const PASSWORD = "correct horse battery staple";
export const BIG_FILE_BYTES = 5 * 1024 * 1024 + 12_345;

export const TEST_TIMEOUTS: SftpTimeouts = {
  dnsMs: 2_000,
  connectMs: 2_000,
  handshakeMs: 5_000,
  operationMs: 2_000,
  idleMs: 800,
  transferMs: 20_000,
  keepaliveIntervalMs: 1_000,
  keepaliveCountMax: 3,
};

export interface FixtureTree {
  root: string;
  bigFile: Buffer;
  cleanup: () => Promise<void>;
}

/** /outgoing holds chat exports, a big file, a subdirectory and a symlink escaping the root. */
export async function makeFixtureTree(): Promise<FixtureTree> {
  const base = await fs.mkdtemp(path.join(os.tmpdir(), "sftp-fixture-"));
  const root = path.join(base, "root");
  const outgoing = path.join(root, "outgoing");
  await fs.mkdir(path.join(outgoing, "archive"), { recursive: true });
  await fs.mkdir(path.join(root, "private"));
  const bigFile = randomBytes(BIG_FILE_BYTES);
  await fs.writeFile(path.join(outgoing, "ACME01_20240115.zip.pgp"), bigFile);
  await fs.writeFile(path.join(outgoing, "ACME01_20240116.xml.pgp"), "small file\n");
  await fs.writeFile(path.join(outgoing, "empty.pgp"), "");
  await fs.writeFile(path.join(base, "secret.txt"), "outside the root\n");
  await fs.symlink(path.join(base, "secret.txt"), path.join(outgoing, "escape.txt"));
  await fs.symlink("ACME01_20240116.xml.pgp", path.join(outgoing, "latest.xml.pgp"));
  return { root, bigFile, cleanup: () => fs.rm(base, { recursive: true, force: true }) };
}

export function optionsFor(sim: SftpSimulator, overrides: Partial<SftpConnectOptions> = {}): SftpConnectOptions {
  return {
    host: sim.host,
    port: sim.port,
    username: FIRM_CODE,
    password: PASSWORD,
    allowPrivateNetworks: true,
    allowedPorts: [sim.port],
    pinnedFingerprint: sim.hostKeyFingerprint,
    timeouts: TEST_TIMEOUTS,
    ...overrides,
  };
}

/** A loopback port with nothing listening on it. */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

/** A loopback TCP server that accepts and then behaves badly (silent, or not SSH). */
export async function startRogueServer(behaviour: "silent" | "http"): Promise<{ port: number; stop: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => undefined);
    socket.on("close", () => sockets.delete(socket));
    if (behaviour === "http") socket.end("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  return {
    port: address.port,
    stop: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export async function expectSftpError<T>(promise: Promise<T>): Promise<SftpError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof SftpError) return err;
    throw err;
  }
  throw new Error("expected an SftpError");
}
