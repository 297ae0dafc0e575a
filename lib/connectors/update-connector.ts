import type { Db } from "@/lib/db";
import { appendAudit, type AuditActor } from "@/lib/audit/append-audit";
import { updateConnectorSchema, type UpdateConnectorInput } from "@/lib/connectors/api-schemas";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { parseMappingCsv, type MappingRow } from "@/lib/mapping/parse-mapping-csv";
import { secretContext } from "@/lib/secrets/contexts";
import type { Keyring } from "@/lib/secrets/keyring";
import { sealSecrets } from "@/lib/secrets/record-secrets";

const SECRET_FIELDS = ["password", "pgpPrivateKey", "pgpPassphrase", "sshPrivateKey", "sshPassphrase"] as const;
type SecretField = (typeof SECRET_FIELDS)[number];
const OWN_KEY_SECRETS: readonly SecretField[] = ["pgpPrivateKey", "pgpPassphrase", "sshPrivateKey", "sshPassphrase"];
const ENC_COLUMN = {
  password: "passwordEnc",
  pgpPrivateKey: "pgpPrivateKeyEnc",
  pgpPassphrase: "pgpPassphraseEnc",
  sshPrivateKey: "sshPrivateKeyEnc",
  sshPassphrase: "sshPassphraseEnc",
} as const satisfies Record<SecretField, string>;

export interface UpdateConnectorResult {
  /** Names of the fields that changed (never values: some are secrets). */
  changed: string[];
}

/**
 * Applies a partial update. A secret omitted or "" keeps its stored value, null clears
 * it; changed secrets are re-sealed with the record's existing data key. The result must
 * still be a complete connector (e.g. own keys need an OpenPGP key).
 */
export async function updateConnector(
  db: Db,
  keyring: Keyring,
  id: string,
  input: UpdateConnectorInput,
  actor: AuditActor & { id: string | null },
): Promise<UpdateConnectorResult> {
  const parsed = updateConnectorSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new AppError("validation_failed", `${issue.path.join(".") || "input"}: ${issue.message}`, { issues: parsed.error.issues });
  }
  const v = parsed.data;
  const current = await db.connector.findUnique({ where: { id } });
  if (!current || current.state === "DELETED") throw new AppError("not_found", "Connector not found.");

  const keyMode = v.keyMode ?? (current.keyMode === "OWN" ? "own" : "platform");
  const secretPatch = planSecretPatch(v, keyMode, current.keyMode === "OWN" ? "own" : "platform");
  const has = (field: SecretField) => (secretPatch[field] === undefined ? current[ENC_COLUMN[field]] !== null : secretPatch[field] !== null);
  if (keyMode === "own") {
    if (!has("pgpPrivateKey")) fail("pgpPrivateKey", "is required with your own keys");
    if (!has("sshPrivateKey") && !has("password")) fail("sshPrivateKey", "an SSH private key or a password is required");
  }

  const data: Prisma.ConnectorUpdateInput = {};
  const changed: string[] = [];
  const set = <K extends keyof Prisma.ConnectorUpdateInput>(field: string, column: K, next: Prisma.ConnectorUpdateInput[K], previous: unknown) => {
    if (next === undefined || next === previous) return;
    data[column] = next;
    changed.push(field);
  };
  if (v.name !== undefined && v.name !== current.name) {
    const nameKey = v.name.toLowerCase();
    if (nameKey !== current.nameKey) {
      const other = await db.connector.findUnique({ where: { nameKey }, select: { id: true } });
      if (other && other.id !== id) throw new AppError("conflict", `A connector named "${v.name}" already exists.`);
    }
    data.name = v.name;
    data.nameKey = nameKey;
    changed.push("name");
  }
  set("firmCode", "firmCode", v.firmCode, current.firmCode);
  set("sftpHost", "sftpHost", v.sftpHost, current.sftpHost);
  set("sftpPort", "sftpPort", v.sftpPort, current.sftpPort);
  set("keyMode", "keyMode", v.keyMode === undefined ? undefined : v.keyMode === "own" ? "OWN" : "PLATFORM", current.keyMode);
  set("hostKeyFingerprint", "hostKeyFingerprint", v.hostKeyFingerprint, current.hostKeyFingerprint);
  set("hostKeyAlgorithm", "hostKeyAlgorithm", v.hostKeyAlgorithm, current.hostKeyAlgorithm);
  set("remoteDirectory", "remoteDirectory", v.remoteDirectory, current.remoteDirectory);
  set("autoMapping", "autoMapping", v.autoMapping, current.autoMapping);
  set("dailyItemLimit", "dailyItemLimit", v.dailyItemLimit, current.dailyItemLimit);
  set("scheduleTime", "scheduleTime", v.scheduleTime, current.scheduleTime);
  set("lookbackHours", "lookbackHours", v.lookbackHours, current.lookbackHours);
  set("destination", "destination", v.destination === undefined ? undefined : v.destination === "graph" ? "GRAPH" : "LOCAL_ARCHIVE", current.destination);

  const sealing = Object.fromEntries(Object.entries(secretPatch).filter(([field, value]) => value !== undefined && !(value === null && current[ENC_COLUMN[field as SecretField]] === null)));
  if (Object.keys(sealing).length > 0) {
    const { wrappedKey, sealed } = sealSecrets(keyring, secretContext.connector(id), current.secretsDataKey, sealing);
    data.secretsDataKey = wrappedKey;
    for (const [field, value] of Object.entries(sealed)) {
      data[ENC_COLUMN[field as SecretField]] = value;
      changed.push(field);
    }
  }

  let mappingRows: MappingRow[] | undefined;
  if (v.mappingCsv !== undefined) {
    const mapping = parseMappingCsv(v.mappingCsv);
    if (!mapping.ok) {
      const first = mapping.errors[0];
      throw new AppError("validation_failed", `mappingCsv: ${mapping.errorCount} error(s)${first ? `, first on line ${first.line}: ${first.message}` : ""}`, {
        errors: mapping.errors,
        errorCount: mapping.errorCount,
      });
    }
    mappingRows = mapping.rows;
    changed.push("mapping");
  }

  if (changed.length === 0) return { changed };
  try {
    await db.$transaction(async (tx) => {
      await tx.connector.update({ where: { id }, data });
      if (mappingRows) {
        await tx.userMapping.deleteMany({ where: { connectorId: id } });
        if (mappingRows.length > 0) {
          await tx.userMapping.createMany({
            data: mappingRows.map((r) => ({ connectorId: id, imId: r.imId, imIdKey: r.imId.toLowerCase(), mailbox: r.mailbox, line: r.line })),
          });
        }
      }
    });
  } catch (err) {
    if ((err as { code?: string }).code === "P2002") throw new AppError("conflict", `A connector named "${v.name ?? current.name}" already exists.`);
    throw err;
  }
  await appendAudit(db, {
    actor,
    action: "connector.updated",
    targetType: "Connector",
    targetId: id,
    details: { fields: changed, ...(mappingRows ? { mappingRows: mappingRows.length } : {}) },
  });
  return { changed };
}

/** Which secrets to set (string), clear (null) or keep (undefined). */
function planSecretPatch(v: Pick<UpdateConnectorInput, SecretField>, keyMode: "own" | "platform", previousMode: "own" | "platform"): Record<SecretField, string | null | undefined> {
  const patch = {} as Record<SecretField, string | null | undefined>;
  for (const field of SECRET_FIELDS) {
    const value = v[field];
    patch[field] = value === "" ? undefined : value;
  }
  if (keyMode === "platform") {
    for (const field of OWN_KEY_SECRETS) {
      if (typeof patch[field] === "string") fail(field, 'is only used with your own keys (keyMode "own")');
      // Own keys are not kept around once the connector uses the platform's keys.
      if (previousMode === "own") patch[field] = null;
    }
  }
  return patch;
}

function fail(field: string, message: string): never {
  throw new AppError("validation_failed", `${field}: ${message}`, { issues: [{ code: "custom", path: [field], message }] });
}
