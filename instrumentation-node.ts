import { ConfigError, parseEnv } from "@/lib/env-schema";

/** Refuse to serve with a bad configuration: print the one line naming the variable and stop. */
export function checkConfiguration(): void {
  try {
    parseEnv(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
}
