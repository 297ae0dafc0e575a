// Prisma 7 CLI configuration (used by `prisma generate`, and by online users'
// own `prisma migrate` commands). The app itself never reads this file.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations", seed: "tsx prisma/seed.ts" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/iceconnector" },
});
