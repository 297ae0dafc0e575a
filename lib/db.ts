import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { env } from "@/lib/env";

export type Db = PrismaClient;
export { Prisma } from "@/lib/generated/prisma/client";

// One client per process; Next's dev server re-evaluates modules, so keep it on globalThis.
const globalForDb = globalThis as unknown as { iceDb?: PrismaClient };

export function createDb(databaseUrl: string): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl }) });
}

export function db(): PrismaClient {
  globalForDb.iceDb ??= createDb(env().DATABASE_URL);
  return globalForDb.iceDb;
}

export async function disconnectDb(): Promise<void> {
  const client = globalForDb.iceDb;
  globalForDb.iceDb = undefined;
  await client?.$disconnect();
}
