// npm run db:migrate — creates the database if needed and applies pending migrations.
import path from "node:path";
import { applyMigrations } from "@/lib/db/migrate";
import { ensureDatabase } from "@/lib/db/ensure-database";
import { env } from "@/lib/env";
import { runCli } from "@/scripts/run-cli";

runCli(async () => {
  const { DATABASE_URL } = env();
  if (await ensureDatabase(DATABASE_URL)) console.log("created database");
  const result = await applyMigrations({
    databaseUrl: DATABASE_URL,
    migrationsDir: path.join(__dirname, "..", "prisma", "migrations"),
    log: (line) => console.log(line),
  });
  console.log(
    `migrations: ${result.applied.length} applied, ${result.alreadyApplied.length} already up to date`,
  );
});
