import { randomUUID } from "node:crypto";
import type { Db } from "@/lib/db";
import { appendAudit, type AuditActor } from "@/lib/audit/append-audit";
import { createConnectorSchema, type CreateConnectorInput } from "@/lib/connectors/connector-input";
import { defaultScheduleTime } from "@/lib/connectors/default-schedule-time";
import { AppError } from "@/lib/errors";
import { parseMappingCsv } from "@/lib/mapping/parse-mapping-csv";
import { secretContext } from "@/lib/secrets/contexts";
import type { Keyring } from "@/lib/secrets/keyring";
import { sealSecrets } from "@/lib/secrets/record-secrets";

export interface ConnectorSummary {
  id: string;
  name: string;
}

/** Creates a connector: validated input, secrets sealed, mapping rows stored, audited. */
export async function createConnector(
  db: Db,
  keyring: Keyring,
  input: CreateConnectorInput,
  actor: AuditActor & { id: string | null },
): Promise<ConnectorSummary> {
  const parsed = createConnectorSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new AppError("validation_failed", `${issue.path.join(".") || "input"}: ${issue.message}`, { issues: parsed.error.issues });
  }
  const v = parsed.data;
  let mappingRows: { imId: string; mailbox: string; line: number }[] = [];
  if (v.mappingCsv) {
    const mapping = parseMappingCsv(v.mappingCsv);
    if (!mapping.ok) {
      const first = mapping.errors[0];
      throw new AppError("validation_failed", `mappingCsv: ${mapping.errorCount} error(s)${first ? `, first on line ${first.line}: ${first.message}` : ""}`, {
        errors: mapping.errors,
      });
    }
    mappingRows = mapping.rows;
  }
  const nameKey = v.name.toLowerCase();
  if (await db.connector.findUnique({ where: { nameKey }, select: { id: true } })) {
    throw new AppError("conflict", `A connector named "${v.name}" already exists.`);
  }
  const id = randomUUID();
  const { wrappedKey, sealed } = sealSecrets(keyring, secretContext.connector(id), null, {
    password: v.password || undefined,
    pgpPrivateKey: v.keyMode === "own" ? v.pgpPrivateKey : undefined,
    pgpPassphrase: v.keyMode === "own" ? v.pgpPassphrase || undefined : undefined,
    sshPrivateKey: v.keyMode === "own" ? v.sshPrivateKey || undefined : undefined,
    sshPassphrase: v.keyMode === "own" ? v.sshPassphrase || undefined : undefined,
  });
  try {
    await db.$transaction(async (tx) => {
      await tx.connector.create({
        data: {
          id,
          name: v.name,
          nameKey,
          firmCode: v.firmCode,
          sftpHost: v.sftpHost,
          sftpPort: v.sftpPort,
          remoteDirectory: v.remoteDirectory,
          keyMode: v.keyMode === "own" ? "OWN" : "PLATFORM",
          hostKeyFingerprint: v.hostKeyFingerprint ?? null,
          hostKeyAlgorithm: v.hostKeyAlgorithm ?? null,
          autoMapping: v.autoMapping,
          dailyItemLimit: v.dailyItemLimit,
          scheduleTime: v.scheduleTime ?? defaultScheduleTime(id),
          lookbackHours: v.lookbackHours,
          destination: v.destination === "graph" ? "GRAPH" : "LOCAL_ARCHIVE",
          termsAcceptedAt: new Date(),
          createdById: actor.id,
          secretsDataKey: wrappedKey,
          passwordEnc: sealed.password ?? null,
          pgpPrivateKeyEnc: sealed.pgpPrivateKey ?? null,
          pgpPassphraseEnc: sealed.pgpPassphrase ?? null,
          sshPrivateKeyEnc: sealed.sshPrivateKey ?? null,
          sshPassphraseEnc: sealed.sshPassphrase ?? null,
        },
      });
      if (mappingRows.length > 0) {
        await tx.userMapping.createMany({
          data: mappingRows.map((r) => ({ connectorId: id, imId: r.imId, imIdKey: r.imId.toLowerCase(), mailbox: r.mailbox, line: r.line })),
        });
      }
    });
  } catch (err) {
    // Two admins saving the same name at once: the unique index decides.
    if ((err as { code?: string }).code === "P2002") throw new AppError("conflict", `A connector named "${v.name}" already exists.`);
    throw err;
  }
  await appendAudit(db, {
    actor,
    action: "connector.created",
    targetType: "Connector",
    targetId: id,
    details: { name: v.name, firmCode: v.firmCode, sftpHost: v.sftpHost, sftpPort: v.sftpPort, keyMode: v.keyMode, mappingRows: mappingRows.length },
  });
  return { id, name: v.name };
}
