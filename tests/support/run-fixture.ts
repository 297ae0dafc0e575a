import { mkdir, utimes } from "node:fs/promises";
import path from "node:path";
import { Redis } from "ioredis";
import type { Db } from "@/lib/db";
import { createConnector } from "@/lib/connectors/create-connector";
import type { CreateConnectorInput } from "@/lib/connectors/connector-input";
import type { ImportRun } from "@/lib/generated/prisma/client";
import { ensurePlatformKey } from "@/lib/keys/platform-keys";
import type { Keyring } from "@/lib/secrets/keyring";
import { generateDay, type GenerateDayOptions, type GeneratedDay } from "@/tests/support/ice-chat-generator";
import { waitFor } from "@/tests/support/worker-process";

// Shared set-up for tests that run real imports: platform keys, generated days placed
// on the SFTP site with chosen modification times, connectors, and waiting for runs.

export const SFTP_PASSWORD = "sftp-password-for-tests";

export async function flushTestRedis(): Promise<void> {
  const url = process.env.REDIS_URL!;
  if (!url.endsWith("/1")) throw new Error(`refusing to flush Redis database of ${url}`);
  const redis = new Redis(url);
  await redis.flushdb();
  redis.disconnect();
}

export async function platformKeys(db: Db, keyring: Keyring) {
  const pgp = await ensurePlatformKey(db, keyring, "PGP", { rsaBits: 2048 });
  const ssh = await ensurePlatformKey(db, keyring, "SSH", { rsaBits: 2048 });
  return { pgp, ssh };
}

/** Generates a day into `siteDir/subdir`, encrypted to the platform key, with every file's mtime set. */
export async function placeDay(
  siteDir: string,
  subdir: string,
  pgpPublicKey: string,
  mtime: Date,
  options: Omit<GenerateDayOptions, "outputDir" | "pgp">,
): Promise<GeneratedDay> {
  const dir = path.join(siteDir, subdir);
  await mkdir(dir, { recursive: true });
  const day = await generateDay({ ...options, outputDir: dir, pgp: { armoredPublicKey: pgpPublicKey } });
  for (const f of day.files) await utimes(f.path, mtime, mtime);
  return day;
}

export async function makeConnector(
  db: Db,
  keyring: Keyring,
  input: Partial<CreateConnectorInput> & Pick<CreateConnectorInput, "firmCode" | "sftpPort" | "hostKeyFingerprint">,
): Promise<string> {
  const { id } = await createConnector(
    db,
    keyring,
    {
      name: `Test ${input.firmCode} ${Date.now()} ${Math.random().toString(36).slice(2, 6)}`,
      password: SFTP_PASSWORD,
      sftpHost: "127.0.0.1",
      keyMode: "platform",
      destination: "local_archive",
      ...input,
    },
    { id: null, label: "test" },
  );
  return id;
}

export function waitForRunEnd(db: Db, runId: string, timeoutMs = 90_000): Promise<ImportRun> {
  return waitFor(`run ${runId} to finish`, async () => {
    const run = await db.importRun.findUnique({ where: { id: runId } });
    return run && !["QUEUED", "RUNNING"].includes(run.status) ? run : null;
  }, timeoutMs);
}

export function accounted(run: ImportRun): number {
  return run.imported + run.partiallyImported + run.skippedDuplicate + run.failedUserMapping + run.failedTooLarge + run.failedDestination + run.failedOther;
}

export function expectedUnits(day: GeneratedDay): number {
  return Object.values(day.manifest.itemsPerUser).reduce((a, b) => a + b, 0);
}
