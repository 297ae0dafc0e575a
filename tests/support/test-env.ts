import { existsSync } from "node:fs";
import path from "node:path";

// Tests never touch the demo's database: they use their own databases on the same
// server (and Redis database 1), derived from .env or the local defaults.

const ROOT = path.resolve(__dirname, "..", "..");

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export function applyTestEnv(database: "iceconnector_test" | "iceconnector_e2e" = "iceconnector_test"): void {
  const dotenv = path.join(ROOT, ".env");
  if (!process.env.TEST_ENV_APPLIED && existsSync(dotenv)) process.loadEnvFile(dotenv);
  const baseDb = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/iceconnector";
  const baseRedis = process.env.REDIS_URL ?? "redis://127.0.0.1:6379/0";
  Object.assign(process.env, {
    TEST_ENV_APPLIED: "1",
    NODE_ENV: "test",
    DATABASE_URL: withDatabase(baseDb, database),
    REDIS_URL: (() => {
      const u = new URL(baseRedis);
      u.pathname = "/1";
      return u.toString();
    })(),
    APP_ENCRYPTION_KEY: process.env.APP_ENCRYPTION_KEY || "dGVzdC1rZXktdGVzdC1rZXktdGVzdC1rZXktMzJieXQ=",
    NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET || "test-secret-test-secret-test-secret-0123",
    NEXTAUTH_URL: process.env.E2E_BASE_URL ?? "http://127.0.0.1:3100",
    SFTP_ALLOW_PRIVATE_NETWORKS: "true",
    GRAPH_ALLOW_PRIVATE_NETWORKS: "true",
    LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
    WORKER_HEALTH_PORT: "0",
    // Runs that fail for a passing reason retry quickly in tests.
    IMPORT_RETRY_DELAY_MS: "300",
  });
}

export const E2E_PORT = 3100;
export const TEST_PASSWORD = "correct-horse-battery-staple";
export const TEST_ADMIN = "admin@test.example";
export const TEST_VIEWER = "viewer@test.example";
