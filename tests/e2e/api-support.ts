import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { type APIRequestContext } from "@playwright/test";
import { Queue } from "bullmq";
import { createApiToken } from "@/lib/auth/api-tokens";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { startSftpSimulator, type SftpSimulator, type SftpSimulatorOptions } from "@/tests/support/sftp-server";
import { TEST_ADMIN, TEST_VIEWER } from "../support/test-env";

// Shared by the REST API specs: a direct connection to the e2e database (tokens, run rows
// a worker would write), the SFTP simulator, and cleanup that leaves no connector behind
// (sign-in.spec.ts expects the admin's connector list to be empty).

let prisma: PrismaClient | undefined;

export function e2eDb(): PrismaClient {
  prisma ??= new PrismaClient({ adapter: new PrismaPg({ connectionString: process.env.DATABASE_URL! }) });
  return prisma;
}

export async function closeE2eDb(): Promise<void> {
  await prisma?.$disconnect();
  prisma = undefined;
}

export async function tokenFor(email: typeof TEST_ADMIN | typeof TEST_VIEWER, name: string): Promise<string> {
  const user = await e2eDb().user.findUniqueOrThrow({ where: { email } });
  const { token } = await createApiToken(e2eDb(), { userId: user.id, name, actor: { id: null, label: "e2e" } });
  return token;
}

/** The platform SSH public key (generated on first download). */
export async function platformSshPublicKey(api: APIRequestContext, token: string): Promise<string> {
  const res = await api.get("/api/v1/keys/ssh", { headers: { Authorization: `Bearer ${token}` }, timeout: 120_000 });
  if (res.status() !== 200) throw new Error(`GET /api/v1/keys/ssh: ${res.status()}`);
  return (await res.text()).trim();
}

export async function ensurePlatformPgpKey(api: APIRequestContext, token: string): Promise<void> {
  const res = await api.get("/api/v1/keys/pgp", { headers: { Authorization: `Bearer ${token}` }, timeout: 120_000 });
  if (res.status() !== 200) throw new Error(`GET /api/v1/keys/pgp: ${res.status()}`);
}

export interface SftpSite {
  sim: SftpSimulator;
  root: string;
  stop: () => Promise<void>;
}

/** An SFTP simulator on a fixed port the e2e server allows (SFTP_ALLOWED_PORTS in playwright.config.ts). */
export async function startSftpSite(port: number, options: Omit<SftpSimulatorOptions, "root" | "port">, files: Record<string, string | Uint8Array> = {}): Promise<SftpSite> {
  const base = await mkdtemp(path.join(os.tmpdir(), "api-e2e-sftp-"));
  const root = path.join(base, "root");
  await mkdir(path.join(root, "outgoing"), { recursive: true });
  for (const [name, content] of Object.entries(files)) await writeFile(path.join(root, name), content);
  const sim = await startSftpSimulator({ ...options, root, port, host: "127.0.0.1" });
  return {
    sim,
    root,
    stop: async () => {
      await sim.stop();
      await rm(base, { recursive: true, force: true });
    },
  };
}

function redisConnection() {
  const u = new URL(process.env.REDIS_URL ?? "redis://127.0.0.1:6379/1");
  return { host: u.hostname, port: Number(u.port || 6379), db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0, maxRetriesPerRequest: 1 };
}

/**
 * Removes what the specs created: queued runs are cancelled (and their jobs removed, so a
 * worker sharing this Redis database never picks them up) and connectors with these names
 * are deleted the way the API deletes them.
 */
export async function cleanUpConnectors(names: string[]): Promise<void> {
  const db = e2eDb();
  const keys = names.map((n) => n.toLowerCase());
  const connectors = await db.connector.findMany({ where: { OR: [{ nameKey: { in: keys } }, { name: { in: names } }] }, select: { id: true } });
  const ids = connectors.map((c) => c.id);
  const active = await db.importRun.findMany({ where: { connectorId: { in: ids }, status: { in: ["QUEUED", "RUNNING"] } }, select: { id: true } });
  await db.importRun.updateMany({ where: { id: { in: active.map((r) => r.id) } }, data: { status: "CANCELLED", activeRunKey: null, finishedAt: new Date() } });
  const queue = new Queue("ice-imports", { connection: redisConnection() });
  try {
    for (const run of active) await queue.remove(`run-${run.id}`).catch(() => 0);
  } finally {
    await queue.close();
  }
  await db.connector.updateMany({
    where: { id: { in: ids }, state: { not: "DELETED" } },
    data: { state: "DELETED", nameKey: null, deletedAt: new Date(), secretsDataKey: null, passwordEnc: null, pgpPrivateKeyEnc: null, pgpPassphraseEnc: null, sshPrivateKeyEnc: null, sshPassphraseEnc: null },
  });
  await db.userMapping.deleteMany({ where: { connectorId: { in: ids } } });
}
