import "server-only";
import { env } from "@/lib/env";
import { createKeyring, type Keyring } from "@/lib/secrets/keyring";

export { sealSecrets, openSecret } from "@/lib/secrets/record-secrets";
export type { Keyring } from "@/lib/secrets/keyring";

let keyring: Keyring | undefined;

/** The keyring from APP_ENCRYPTION_KEY and APP_ENCRYPTION_PREVIOUS_KEYS. */
export function appKeyring(): Keyring {
  const e = env();
  keyring ??= createKeyring(e.APP_ENCRYPTION_KEY, e.APP_ENCRYPTION_PREVIOUS_KEYS);
  return keyring;
}

export { secretContext } from "@/lib/secrets/contexts";
