// Used only by scripts/migration-sql.sh: Prisma 6.19's CLI can compute migration SQL
// offline on its wasm engine when it is given a driver adapter ("js" engine).
// Prisma 7's CLI would try to download a native schema engine instead.
import { defineConfig } from "prisma6/config";
import { PrismaPg } from "@prisma/adapter-pg";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "schema.prisma",
  adapter: async () =>
    new PrismaPg({ connectionString: process.env.DATABASE_URL ?? "postgresql://127.0.0.1:5432/postgres" }),
} as never);
