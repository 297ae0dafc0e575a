import type { Db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { secretContext } from "@/lib/secrets/contexts";
import type { Keyring } from "@/lib/secrets/keyring";
import { openSecret } from "@/lib/secrets/record-secrets";

export interface ConnectorSecrets {
  password?: string;
  pgpPrivateKey?: string;
  pgpPassphrase?: string;
  sshPrivateKey?: string;
  sshPassphrase?: string;
}

/** Decrypts a connector's secrets for the worker. Never log or return the result. */
export async function readConnectorSecrets(db: Db, keyring: Keyring, connectorId: string): Promise<ConnectorSecrets> {
  const c = await db.connector.findUnique({ where: { id: connectorId } });
  if (!c || c.state === "DELETED") throw new AppError("not_found", "Connector not found.");
  if (!c.secretsDataKey) return {};
  const ctx = secretContext.connector(c.id);
  const open = (field: string, sealed: string | null) => (sealed ? openSecret(keyring, ctx, c.secretsDataKey!, field, sealed) : undefined);
  return {
    password: open("password", c.passwordEnc),
    pgpPrivateKey: open("pgpPrivateKey", c.pgpPrivateKeyEnc),
    pgpPassphrase: open("pgpPassphrase", c.pgpPassphraseEnc),
    sshPrivateKey: open("sshPrivateKey", c.sshPrivateKeyEnc),
    sshPassphrase: open("sshPassphrase", c.sshPassphraseEnc),
  };
}
