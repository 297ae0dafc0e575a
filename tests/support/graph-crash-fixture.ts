import { cp, mkdir, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Db } from "@/lib/db";
import type { Keyring } from "@/lib/secrets/keyring";
import { startGraphEmulator, type EmulatorFaults, type EmulatorLimits, type GraphEmulator } from "@/tests/support/graph-emulator";
import type { GenerateDayOptions, GeneratedDay } from "@/tests/support/ice-chat-generator";
import { makeConnector, placeDay, platformKeys, SFTP_PASSWORD } from "@/tests/support/run-fixture";
import { startSftpSimulator, type SftpSimulator } from "@/tests/support/sftp-server";
import { graphEmulatorEnv, startWorker, type WorkerProcess } from "@/tests/support/worker-process";

// Set-up shared by the tests that kill a real worker while it imports into Microsoft 365:
// a generated day on the SFTP simulator, the Graph emulator with the day's users (and
// faults), and workers started on demand with their logs kept for a post-mortem.

export interface GraphCrashFixture {
  day: GeneratedDay;
  emulator: GraphEmulator;
  /** A Graph connector reading the day. */
  makeConnector(): Promise<string>;
  /** Starts a worker (another after a kill); `stop()` stops the last one. */
  launchWorker(): WorkerProcess;
  /** Messages stored in all mailboxes so far. */
  storedTotal(): number;
  stop(): Promise<void>;
}

export interface GraphCrashFixtureOptions {
  /** Names the temp folder and the kept logs (os.tmpdir()/ice-test-logs/<name>). */
  name: string;
  firmCode: string;
  day: Omit<GenerateDayOptions, "outputDir" | "pgp" | "firmCode">;
  limits: Partial<EmulatorLimits>;
  faults: EmulatorFaults;
  /** Added to every worker's environment. */
  workerEnv?: Record<string, string>;
}

export async function startGraphCrashFixture(db: Db, keyring: Keyring, options: GraphCrashFixtureOptions): Promise<GraphCrashFixture> {
  const work = await mkdtemp(path.join(os.tmpdir(), `${options.name}-`));
  const site = path.join(work, "site");
  await mkdir(site);
  const keys = await platformKeys(db, keyring);
  const day = await placeDay(site, "day", keys.pgp.publicKey, new Date(Date.now() - 3600_000), { ...options.day, firmCode: options.firmCode });
  const emulator = await startGraphEmulator({
    users: day.manifest.users.map((u) => ({ userPrincipalName: u.email.toLowerCase() })),
    limits: options.limits,
    faults: options.faults,
  });
  const sim: SftpSimulator = await startSftpSimulator({ root: site, firmCode: options.firmCode, password: SFTP_PASSWORD, authorizedPublicKeys: [keys.ssh.publicKey] });
  let worker: WorkerProcess | undefined;
  let workers = 0;

  return {
    day,
    emulator,
    makeConnector: () =>
      makeConnector(db, keyring, { firmCode: options.firmCode, sftpPort: sim.port, hostKeyFingerprint: sim.hostKeyFingerprint, remoteDirectory: "/day", destination: "graph" }),
    launchWorker() {
      workers++;
      worker = startWorker(
        {
          DATA_DIR: path.join(work, "data"),
          SFTP_ALLOWED_PORTS: String(sim.port),
          WORKER_LOCK_DURATION_MS: "5000",
          WORKER_HEALTH_PORT: "0",
          LOG_LEVEL: "info",
          ...graphEmulatorEnv(emulator),
          ...options.workerEnv,
        },
        path.join(work, `worker-${workers}.log`),
      );
      return worker;
    },
    storedTotal: () => emulator.mailboxes().reduce((n, m) => n + m.folders.reduce((k, f) => k + f.messages.length, 0), 0),
    async stop() {
      await worker?.stop();
      await sim.stop();
      await emulator.stop();
      // Keep the worker logs for a failed run's post-mortem.
      const kept = path.join(os.tmpdir(), "ice-test-logs", options.name);
      await cp(work, kept, { recursive: true, filter: (f) => !f.includes(`${path.sep}site`) && !f.includes(`${path.sep}data`) }).catch(() => {});
      await rm(work, { recursive: true, force: true });
    },
  };
}
