import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream } from "node:fs";
import path from "node:path";

// The real worker process (npm run worker), started and killed by integration tests.
const ROOT = path.resolve(__dirname, "..", "..");

export interface WorkerProcess {
  child: ChildProcess;
  logFile: string;
  /** SIGTERM and wait for a graceful exit. */
  stop(): Promise<number | null>;
  /** SIGKILL the whole process group (worker and its sandboxed processors), as a crash would. */
  kill(): Promise<void>;
}

export function startWorker(env: Record<string, string | undefined>, logFile: string): WorkerProcess {
  const out = createWriteStream(logFile, { flags: "a" });
  const child = spawn(path.join(ROOT, "node_modules", ".bin", "tsx"), ["--conditions=react-server", path.join(ROOT, "workers", "main.ts")], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  child.stdout!.pipe(out);
  child.stderr!.pipe(out);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    child,
    logFile,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      const code = await Promise.race([exited, new Promise<null>((r) => setTimeout(() => r(null), 40_000))]);
      if (child.exitCode === null) process.kill(-child.pid!, "SIGKILL");
      return code;
    },
    async kill() {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // already gone
      }
      await exited;
    },
  };
}

/** Polls until `check` returns a value, or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | null | undefined | false>, timeoutMs = 60_000, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Worker settings that deliver into a Graph emulator and trust its certificate. */
export function graphEmulatorEnv(emu: { tenantId: string; clientId: string; clientSecret: string; authorityHost: string; baseUrl: string; certPath: string }): Record<string, string> {
  return {
    GRAPH_TENANT_ID: emu.tenantId,
    GRAPH_CLIENT_ID: emu.clientId,
    GRAPH_CLIENT_SECRET: emu.clientSecret,
    GRAPH_AUTHORITY_HOST: emu.authorityHost,
    GRAPH_BASE_URL: emu.baseUrl,
    GRAPH_ALLOW_PRIVATE_NETWORKS: "true",
    NODE_EXTRA_CA_CERTS: emu.certPath,
  };
}
