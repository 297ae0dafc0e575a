import { createHash, timingSafeEqual } from "node:crypto";
import { promises as fs } from "node:fs";
import net from "node:net";
import { Server, utils, type AuthContext, type Connection, type ParsedKey } from "ssh2";
import { generateUsableKeyPair } from "./generate-key-pair";
import { serveSftpSession } from "./serve-sftp-session";
import type { SftpSimulator, SftpSimulatorFaults, SftpSimulatorOptions } from "./types";

// An ICE Chat SFTP site on loopback: one user (the firm code), password and/or
// public-key login, a read-only directory tree, and switchable faults so tests can
// reproduce hung, dropped and lying servers.

type PasswordMethod = "password" | "keyboard-interactive";
type AuthMethodName = PasswordMethod | "publickey";

let cachedHostKey: string | undefined;

function defaultHostKey(): string {
  // One key per process keeps repeated test servers fast and their fingerprint stable.
  cachedHostKey ??= generateUsableKeyPair("ed25519", { comment: "ice-chat-sftp-simulator" }).private;
  return cachedHostKey;
}

function parseKeyOrThrow(text: string, what: string): ParsedKey {
  const parsed = utils.parseKey(text);
  if (parsed instanceof Error) throw new Error(`${what}: ${parsed.message}`);
  const key = Array.isArray(parsed) ? (parsed as ParsedKey[])[0] : parsed;
  if (!key) throw new Error(`${what}: no key found`);
  return key;
}

function isLoopback(host: string): boolean {
  return host === "::1" || (net.isIPv4(host) && host.startsWith("127."));
}

function safeEqual(a: string, b: string): boolean {
  const left = createHash("sha256").update(a).digest();
  const right = createHash("sha256").update(b).digest();
  return timingSafeEqual(left, right);
}

export async function startSftpSimulator(options: SftpSimulatorOptions): Promise<SftpSimulator> {
  const host = options.host ?? "127.0.0.1";
  if (!isLoopback(host)) throw new Error(`the SFTP simulator only binds loopback addresses, not ${host}`);
  const rootReal = await fs.realpath(options.root);
  if (!(await fs.stat(rootReal)).isDirectory()) throw new Error(`${options.root} is not a directory`);

  const hostKeyText = options.hostKey ?? defaultHostKey();
  const hostKey = parseKeyOrThrow(hostKeyText, "host key");
  const hostBlob = hostKey.getPublicSSH();
  const hostKeyFingerprint = `SHA256:${createHash("sha256").update(hostBlob).digest("base64").replace(/=+$/, "")}`;
  const hostKeyAlgorithm = hostKey.type;

  let authorizedKeys: ParsedKey[] = [];
  const setAuthorizedKeys = (lines: string[]) => {
    authorizedKeys = lines.map((line, i) => parseKeyOrThrow(line, `authorized key #${i + 1}`));
  };
  setAuthorizedKeys(options.authorizedPublicKeys ?? []);
  let password = options.password;
  let faults: SftpSimulatorFaults = { ...options.faults };
  const passwordMethod: PasswordMethod = options.passwordMethod ?? "password";
  const requireBoth = options.requireBoth === true;

  const sockets = new Map<string, net.Socket>();
  const socketKey = (address: string | undefined, port: number | undefined) => `${address ?? ""}|${port ?? 0}`;

  const sshServer = new Server({ hostKeys: [hostKeyText], ident: "ICEChatSFTP_Simulator" }, (client: Connection, info) => {
    const socket = sockets.get(socketKey(info.ip, info.port));
    const passed = new Set<AuthMethodName>();
    const offered = (): AuthMethodName[] => {
      const methods: AuthMethodName[] = [];
      if (authorizedKeys.length > 0) methods.push("publickey");
      if (password !== undefined) methods.push(passwordMethod);
      return methods.filter((method) => !passed.has(method));
    };
    const succeed = (ctx: AuthContext, method: AuthMethodName) => {
      passed.add(method);
      const remaining = offered();
      if (requireBoth && remaining.length > 0) ctx.reject(remaining, true);
      else ctx.accept();
    };

    client.on("authentication", (ctx) => {
      if (ctx.username !== options.firmCode || !offered().includes(ctx.method as AuthMethodName)) return ctx.reject(offered());
      switch (ctx.method) {
        case "password":
          if (password !== undefined && safeEqual(ctx.password, password)) return succeed(ctx, "password");
          return ctx.reject(offered());
        case "keyboard-interactive":
          return ctx.prompt([{ prompt: "Password: ", echo: false }], "ICE Chat SFTP", "", (answers) => {
            if (password !== undefined && answers.length === 1 && safeEqual(answers[0] ?? "", password)) succeed(ctx, "keyboard-interactive");
            else ctx.reject(offered());
          });
        case "publickey": {
          const key = authorizedKeys.find((candidate) => candidate.getPublicSSH().equals(ctx.key.data));
          if (!key) return ctx.reject(offered());
          // Without a signature the client only asks whether the key would do.
          if (!ctx.signature || !ctx.blob) return ctx.accept();
          if (key.verify(ctx.blob, ctx.signature, ctx.hashAlgo)) return succeed(ctx, "publickey");
          return ctx.reject(offered());
        }
        default:
          return ctx.reject(offered());
      }
    });

    client.on("ready", () => {
      client.on("session", (acceptSession) => {
        const session = acceptSession();
        session.on("sftp", (acceptSftp, rejectSftp) => {
          if (faults.refuseSftpSubsystem) return rejectSftp();
          serveSftpSession(acceptSftp(), {
            rootReal,
            faults: () => faults,
            dropConnection: () => socket?.destroy(),
          });
        });
        session.on("exec", (_accept, reject) => reject());
        session.on("shell", (_accept, reject) => reject());
        session.on("subsystem", (_accept, reject) => reject());
      });
    });
    // Clients vanish mid-handshake in several tests; that is not a server failure.
    client.on("error", () => undefined);
  });
  sshServer.on("error", () => undefined);

  const tcpServer = net.createServer((socket) => {
    const key = socketKey(socket.remoteAddress, socket.remotePort);
    sockets.set(key, socket);
    socket.on("close", () => sockets.delete(key));
    socket.on("error", () => undefined);
    sshServer.injectSocket(socket);
  });

  await new Promise<void>((resolve, reject) => {
    tcpServer.once("error", reject);
    tcpServer.listen({ host, port: options.port ?? 0 }, () => {
      tcpServer.off("error", reject);
      resolve();
    });
  });
  const address = tcpServer.address();
  if (address === null || typeof address === "string") throw new Error("SFTP simulator did not bind a TCP port");

  return {
    host,
    port: address.port,
    hostKeyFingerprint,
    hostKeyAlgorithm,
    hostPublicKey: `${hostKeyAlgorithm} ${hostBlob.toString("base64")}`,
    setAuthorizedKeys,
    setPassword: (next) => {
      password = next;
    },
    setFaults: (next) => {
      faults = { ...next };
    },
    openConnections: () => sockets.size,
    stop: async () => {
      for (const socket of sockets.values()) socket.destroy();
      await new Promise<void>((resolve) => tcpServer.close(() => resolve()));
    },
  };
}
