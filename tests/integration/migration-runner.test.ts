import { cp, mkdtemp, rm, writeFile, mkdir, appendFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Client } from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations, readMigrations } from "@/lib/db/migrate";
import { MIGRATIONS_DIR } from "../support/reset-database";

// Runs the migration runner against its own scratch database.
const scratchName = "iceconnector_test_migrations";
const scratchUrl = (() => {
  const u = new URL(process.env.DATABASE_URL!);
  u.pathname = `/${scratchName}`;
  return u.toString();
})();

async function adminQuery(sql: string): Promise<void> {
  const u = new URL(process.env.DATABASE_URL!);
  u.pathname = "/postgres";
  const c = new Client({ connectionString: u.toString() });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

async function query<T extends object>(sql: string): Promise<T[]> {
  const c = new Client({ connectionString: scratchUrl });
  await c.connect();
  try {
    return (await c.query<T>(sql)).rows;
  } finally {
    await c.end();
  }
}

let tmp: string;
beforeAll(async () => {
  await adminQuery(`DROP DATABASE IF EXISTS "${scratchName}" WITH (FORCE)`);
  await adminQuery(`CREATE DATABASE "${scratchName}"`);
  tmp = await mkdtemp(path.join(os.tmpdir(), "ice-migrations-"));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
  await adminQuery(`DROP DATABASE IF EXISTS "${scratchName}" WITH (FORCE)`);
});

describe("migration runner", () => {
  it("applies every migration once and is idempotent", async () => {
    const all = (await readMigrations(MIGRATIONS_DIR)).map((m) => m.name);
    expect(all.length).toBeGreaterThan(0);
    const first = await applyMigrations({ databaseUrl: scratchUrl, migrationsDir: MIGRATIONS_DIR });
    expect(first.applied).toEqual(all);
    const second = await applyMigrations({ databaseUrl: scratchUrl, migrationsDir: MIGRATIONS_DIR });
    expect(second.applied).toEqual([]);
    expect(second.alreadyApplied).toEqual(all);
  });

  it("records migrations the way prisma migrate does", async () => {
    const migrations = await readMigrations(MIGRATIONS_DIR);
    const rows = await query<{ migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number; rolled_back_at: Date | null }>(
      `SELECT migration_name, checksum, finished_at, applied_steps_count, rolled_back_at FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    expect(rows.map((r) => r.migration_name)).toEqual(migrations.map((m) => m.name));
    for (const [i, row] of rows.entries()) {
      expect(row.checksum).toBe(migrations[i]!.checksum);
      expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.rolled_back_at).toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }
    const cols = await query<{ column_name: string; data_type: string }>(
      `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position`,
    );
    expect(cols.map((c) => c.column_name)).toEqual([
      "id", "checksum", "finished_at", "migration_name", "logs", "rolled_back_at", "started_at", "applied_steps_count",
    ]);
  });

  it("refuses a migration edited after it was applied", async () => {
    const dir = path.join(tmp, "edited");
    await cp(MIGRATIONS_DIR, dir, { recursive: true });
    const [first] = await readMigrations(dir);
    await appendFile(path.join(dir, first!.name, "migration.sql"), "\n-- edited\n");
    await expect(applyMigrations({ databaseUrl: scratchUrl, migrationsDir: dir })).rejects.toThrow(/was modified after it was applied/);
  });

  it("rolls back a failing migration completely and can apply it once fixed", async () => {
    const dir = path.join(tmp, "failing");
    await cp(MIGRATIONS_DIR, dir, { recursive: true });
    const name = "29991231235959_broken";
    await mkdir(path.join(dir, name));
    await writeFile(path.join(dir, name, "migration.sql"), `CREATE TABLE "Half" (id int);\nSELECT no_such_function();\n`);
    await expect(applyMigrations({ databaseUrl: scratchUrl, migrationsDir: dir })).rejects.toThrow(/29991231235959_broken failed and was rolled back/);
    expect(await query(`SELECT 1 FROM information_schema.tables WHERE table_name = 'Half'`)).toHaveLength(0);
    const logged = await query<{ rolled_back_at: Date | null; logs: string }>(
      `SELECT rolled_back_at, logs FROM "_prisma_migrations" WHERE migration_name = '${name}'`,
    );
    expect(logged[0]?.rolled_back_at).toBeInstanceOf(Date);
    expect(logged[0]?.logs).toMatch(/no_such_function/);

    await writeFile(path.join(dir, name, "migration.sql"), `CREATE TABLE "Half" (id int);\n`);
    const fixed = await applyMigrations({ databaseUrl: scratchUrl, migrationsDir: dir });
    expect(fixed.applied).toEqual([name]);
  });

  it("serialises concurrent runners (no migration applied twice)", async () => {
    await adminQuery(`DROP DATABASE IF EXISTS "${scratchName}" WITH (FORCE)`);
    await adminQuery(`CREATE DATABASE "${scratchName}"`);
    const results = await Promise.all([1, 2, 3].map(() => applyMigrations({ databaseUrl: scratchUrl, migrationsDir: MIGRATIONS_DIR })));
    const appliedCount = results.reduce((n, r) => n + r.applied.length, 0);
    expect(appliedCount).toBe((await readMigrations(MIGRATIONS_DIR)).length);
  });
});
