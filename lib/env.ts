import "server-only";
import { parseEnv, type Env } from "@/lib/env-schema";

// The one validated configuration for web, worker and scripts. Nothing else reads
// process.env. Parsed lazily so `next build` does not need production secrets.

export { ConfigError, parseEnv, type Env } from "@/lib/env-schema";

let cached: Env | undefined;

export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
