import { z } from "zod";
import { GRAPH_IMPORT_METHODS } from "@/lib/graph/graph-config";

// The schema of the one validated configuration. lib/env.ts holds the parsed copy;
// this module has no "server-only" marker so Next's instrumentation hook can use it.

const bool = z
  .enum(["true", "false", "1", "0", ""])
  .optional()
  .transform((v) => v === "true" || v === "1");

const base64Key = z
  .string()
  .refine((v) => Buffer.from(v, "base64").length === 32 && /^[A-Za-z0-9+/]+={0,2}$/.test(v), {
    message: "must be 32 random bytes, base64-encoded (openssl rand -base64 32)",
  });

const portList = z
  .string()
  .regex(/^\s*\d{1,5}(\s*,\s*\d{1,5})*\s*$/, "must be a comma-separated list of ports")
  .transform((v) => v.split(",").map((p) => Number(p.trim())))
  .refine((ports) => ports.every((p) => p >= 1 && p <= 65535), "ports must be 1-65535");

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, "must be a postgresql:// URL"),
    REDIS_URL: z.string().regex(/^rediss?:\/\//, "must be a redis:// or rediss:// URL"),
    APP_ENCRYPTION_KEY: base64Key,
    APP_ENCRYPTION_PREVIOUS_KEYS: z
      .string()
      .optional()
      .transform((v) => (v ? v.split(",").map((k) => k.trim()).filter(Boolean) : []))
      .pipe(z.array(base64Key)),
    NEXTAUTH_SECRET: z.string().min(32, "must be at least 32 characters (openssl rand -base64 32)"),
    NEXTAUTH_URL: z.url("must be the public URL of the web app, e.g. http://localhost:3000"),
    AZURE_AD_TENANT_ID: z.string().min(1).optional(),
    AZURE_AD_CLIENT_ID: z.string().min(1).optional(),
    AZURE_AD_CLIENT_SECRET: z.string().min(1).optional(),
    /** Microsoft 365 delivery (app registration with Mail.ReadWrite + User.Read.All application permissions). */
    GRAPH_TENANT_ID: z.string().min(1).optional(),
    GRAPH_CLIENT_ID: z.string().min(1).optional(),
    GRAPH_CLIENT_SECRET: z.string().min(1).optional(),
    GRAPH_AUTHORITY_HOST: z.url().optional(),
    GRAPH_BASE_URL: z.url().optional(),
    /** How items become messages: "json" (Graph v1.0, default) or "importMime" (beta; needs Mail-Advanced.ReadWrite.All too). */
    GRAPH_IMPORT_METHOD: z.enum(GRAPH_IMPORT_METHODS).optional(),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    SFTP_ALLOW_PRIVATE_NETWORKS: bool,
    /** Lets the Microsoft 365 endpoints (authority host, Graph base URL) be internal hosts on any port: emulators and tests only. */
    GRAPH_ALLOW_PRIVATE_NETWORKS: bool,
    SFTP_ALLOWED_PORTS: portList.default([22]),
    CONNECTOR_EGRESS_IPS: z
      .string()
      .optional()
      .transform((v) => (v ? v.split(",").map((s) => s.trim()).filter(Boolean) : [])),
    DATA_DIR: z.string().default("./data"),
    WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(2),
    WORKER_HEALTH_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
    /** How long a worker holds a run's lock between renewals; a crashed worker's run is resumed after it. */
    WORKER_LOCK_DURATION_MS: z.coerce.number().int().min(5_000).max(600_000).default(30_000),
    /** First retry delay of a run that failed for a passing reason (network, outage); doubles each attempt. */
    IMPORT_RETRY_DELAY_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
    /** Testing and demos only: run every connector every N seconds instead of daily. */
    SCHEDULE_OVERRIDE_EVERY_SECONDS: z.coerce.number().int().min(1).optional(),
    /** Used by the demo seed only: the demo administrator it (re)creates. */
    DEMO_ADMIN_EMAIL: z.email().default("admin@example.com"),
    DEMO_ADMIN_PASSWORD: z.string().min(12, "must be at least 12 characters").optional(),
  })
  .superRefine((env, ctx) => {
    const graph = [env.GRAPH_TENANT_ID, env.GRAPH_CLIENT_ID, env.GRAPH_CLIENT_SECRET];
    if (graph.some(Boolean) && !graph.every(Boolean)) {
      ctx.addIssue({ code: "custom", path: ["GRAPH_CLIENT_ID"], message: "Microsoft 365 delivery needs GRAPH_TENANT_ID, GRAPH_CLIENT_ID and GRAPH_CLIENT_SECRET together" });
    }
    const entra = [env.AZURE_AD_TENANT_ID, env.AZURE_AD_CLIENT_ID, env.AZURE_AD_CLIENT_SECRET];
    if (entra.some(Boolean) && !entra.every(Boolean)) {
      ctx.addIssue({
        code: "custom",
        path: ["AZURE_AD_CLIENT_ID"],
        message: "Entra ID sign-in needs AZURE_AD_TENANT_ID, AZURE_AD_CLIENT_ID and AZURE_AD_CLIENT_SECRET together",
      });
    }
  });

export type Env = z.infer<typeof schema>;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/** Validates a raw environment; throws one clear line naming the first bad variable. */
export function parseEnv(raw: Record<string, string | undefined>): Env {
  // Empty strings mean "unset" (a blank line in .env), so defaults apply.
  const cleaned = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined && v !== ""));
  const result = schema.safeParse(cleaned);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const name = String(issue.path[0] ?? "configuration");
  const what = issue.code === "invalid_type" && cleaned[name] === undefined ? "is missing" : issue.message;
  throw new ConfigError(`Invalid configuration: ${name} ${what} (see .env.example)`);
}
