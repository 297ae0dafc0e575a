import { ConfigError } from "@/lib/env";
import { isAppError } from "@/lib/errors";

/** Runs a CLI's main: expected errors print one line, exit code 1; never a stack for config. */
export function runCli(main: () => Promise<void>): void {
  main()
    .then(() => process.exit(0))
    .catch((err: unknown) => {
      if (err instanceof ConfigError || isAppError(err)) console.error(err.message);
      else console.error(err);
      process.exit(1);
    });
}
