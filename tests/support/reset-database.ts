import path from "node:path";
import { Client } from "pg";
import { applyMigrations } from "@/lib/db/migrate";

export const MIGRATIONS_DIR = path.resolve(__dirname, "..", "..", "prisma", "migrations");

/** Drops and recreates the database in the URL, then applies every migration. */
export async function resetDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  if (!/_(test|e2e)[a-z0-9_]*$/.test(name)) throw new Error(`refusing to reset non-test database "${name}"`);
  url.pathname = "/postgres";
  const admin = new Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  await applyMigrations({ databaseUrl, migrationsDir: MIGRATIONS_DIR });
}
