import net from "node:net";
import type { VettedTarget } from "@/lib/net/vet-target";
import { formatDuration } from "./map-sftp-error";
import { SftpError } from "./sftp-error";

const WHITELIST_FIX =
  "ICE only accepts connections from registered IP addresses: make sure this server's public IP is whitelisted by ICE and that outbound traffic to the port is open.";

/**
 * Opens the TCP connection ourselves, to the already vetted address (never the
 * host name: a second DNS answer must not change where we connect).
 */
export function connectTcp(target: VettedTarget, timeoutMs: number): Promise<net.Socket> {
  const where = `${target.family === 6 ? `[${target.address}]` : target.address}:${target.port}`;
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: target.address, port: target.port, family: target.family, noDelay: true });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(
        new SftpError(
          { kind: "connection_timeout", stage: "tcp", fix: WHITELIST_FIX },
          `No answer from ${where} within ${formatDuration(timeoutMs)} (the packets are probably dropped by a firewall).`,
        ),
      );
    }, timeoutMs);
    socket.once("connect", () => {
      clearTimeout(timer);
      socket.off("error", onError);
      // ssh2 attaches its own listeners; this one only keeps a late error from crashing the process.
      socket.on("error", () => undefined);
      resolve(socket);
    });
    const onError = (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      socket.destroy();
      reject(tcpError(err, where));
    };
    socket.once("error", onError);
  });
}

function tcpError(err: NodeJS.ErrnoException, where: string): SftpError {
  switch (err.code) {
    case "ECONNREFUSED":
      return new SftpError(
        { kind: "connection_refused", stage: "tcp", fix: "Check the host and port (ICE Chat SFTP normally uses port 22)." },
        `${where} refused the connection: nothing is listening on that port, or a firewall rejects it.`,
        { cause: err },
      );
    case "EHOSTUNREACH":
    case "ENETUNREACH":
    case "EADDRNOTAVAIL":
      return new SftpError(
        { kind: "network_unreachable", stage: "tcp", fix: "Check this server's network configuration and routes." },
        `${where} cannot be reached from this server (${err.code}).`,
        { cause: err },
      );
    case "ETIMEDOUT":
      return new SftpError({ kind: "connection_timeout", stage: "tcp", fix: WHITELIST_FIX }, `Connecting to ${where} timed out.`, { cause: err });
    case "ECONNRESET":
      return new SftpError({ kind: "connection_refused", stage: "tcp", fix: WHITELIST_FIX }, `${where} reset the connection while it was being opened.`, { cause: err });
    default:
      return new SftpError({ kind: "connection_refused", stage: "tcp" }, `Could not connect to ${where} (${err.code ?? "unknown error"}).`, { cause: err });
  }
}
