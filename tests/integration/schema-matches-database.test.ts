import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { appendAudit } from "@/lib/audit/append-audit";
import { createDb } from "@/lib/db";
import { secretContext } from "@/lib/secrets/contexts";
import { createKeyring } from "@/lib/secrets/keyring";
import { sealSecrets } from "@/lib/secrets/record-secrets";
import * as enumsModule from "@/lib/generated/prisma/enums";
import { readSchema, SCHEMA_PATH, type SchemaField } from "../support/schema-model";

// (Catalog `name` columns are cast to text: the pg adapter cannot read that type.)
// Proves the database built by our migration runner is the one the generated Prisma
// client expects: same tables, columns, types, nullability, enums and unique keys, and
// every model accepts a full row through the client.

const db = createDb(process.env.DATABASE_URL!);
afterAll(() => db.$disconnect());

const { models, enums } = readSchema();
const modelNames = new Set(models.map((m) => m.name));
const scalarFields = (fields: SchemaField[]) => fields.filter((f) => !modelNames.has(f.type));

function expectedType(f: SchemaField): string {
  if (f.list) return `_${f.type === "String" ? "text" : f.type.toLowerCase()}`;
  if (enums.has(f.type)) return f.type;
  if (f.type === "String") return /@db\.Uuid/.test(f.attributes) ? "uuid" : "text";
  return { Int: "int4", BigInt: "int8", Boolean: "bool", DateTime: "timestamp", Json: "jsonb", Bytes: "bytea" }[f.type] ?? `?${f.type}`;
}

interface ColumnRow {
  table_name: string;
  column_name: string;
  udt_name: string;
  is_nullable: "YES" | "NO";
  datetime_precision: number | null;
}

describe("migrated database vs prisma/schema.prisma", () => {
  it("has a migration for the current schema (snapshot is up to date)", () => {
    const snapshot = readFileSync(path.join(path.dirname(SCHEMA_PATH), "migrations", "schema.snapshot.prisma"), "utf8");
    expect(snapshot, "schema.prisma changed: run npm run db:migration-sql -- <name>").toBe(readFileSync(SCHEMA_PATH, "utf8"));
  });

  it("has exactly the tables, columns, types and nullability of the schema", async () => {
    const columns = await db.$queryRaw<ColumnRow[]>`
      SELECT table_name, column_name, udt_name, is_nullable, datetime_precision
        FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`;
    const tables = new Set(columns.map((c) => c.table_name));
    expect([...tables].sort()).toEqual([...modelNames].sort());
    for (const model of models) {
      const actual = columns.filter((c) => c.table_name === model.name);
      const fields = scalarFields(model.fields);
      expect(actual.map((c) => c.column_name).sort(), model.name).toEqual(fields.map((f) => f.name).sort());
      for (const f of fields) {
        const col = actual.find((c) => c.column_name === f.name)!;
        expect(col.udt_name, `${model.name}.${f.name} type`).toBe(expectedType(f));
        // Prisma creates list columns without NOT NULL.
        expect(col.is_nullable === "YES", `${model.name}.${f.name} nullable`).toBe(f.optional || f.list);
        if (f.type === "DateTime") expect(col.datetime_precision, `${model.name}.${f.name} precision`).toBe(3);
      }
    }
  });

  it("has the schema's enums with the generated client's values", async () => {
    const rows = await db.$queryRaw<{ typname: string; labels: string[] }[]>`
      SELECT t.typname::text AS typname, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels
        FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname`;
    const actual = new Map(rows.map((r) => [r.typname, r.labels]));
    expect([...actual.keys()].sort()).toEqual([...enums.keys()].sort());
    for (const [name, values] of enums) {
      expect(actual.get(name), name).toEqual(values);
      expect(Object.values((enumsModule as Record<string, Record<string, string>>)[name]!)).toEqual(values);
    }
  });

  it("enforces every unique key of the schema", async () => {
    const rows = await db.$queryRaw<{ table_name: string; columns: string[] }[]>`
      SELECT t.relname::text AS table_name, array_agg(a.attname::text ORDER BY k.ord) AS columns
        FROM pg_index i
        JOIN pg_class t ON t.oid = i.indrelid
        JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = 'public'
        CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
        JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
       WHERE i.indisunique GROUP BY t.relname, i.indexrelid`;
    for (const model of models) {
      for (const unique of model.uniques) {
        const found = rows.some((r) => r.table_name === model.name && r.columns.join(",") === unique.join(","));
        expect(found, `${model.name} unique (${unique.join(", ")})`).toBe(true);
      }
    }
  });

  it("accepts a row in every model through the generated client", async () => {
    const user = await db.user.create({ data: { email: `schema-${randomUUID()}@test.example`, passwordHash: "x", role: "VIEWER" } });
    const token = await db.apiToken.create({ data: { userId: user.id, name: "t", tokenHash: randomUUID(), prefix: "icc_" } });
    const connector = await db.connector.create({
      data: {
        name: `Schema ${randomUUID()}`, nameKey: randomUUID(), firmCode: "ACME01", sftpHost: "sftp.example.com", keyMode: "PLATFORM",
        scheduleTime: "02:30", createdById: user.id, termsAcceptedAt: new Date(),
      },
    });
    const mapping = await db.userMapping.create({ data: { connectorId: connector.id, imId: "A@ice", imIdKey: "a@ice", mailbox: "a@x.example", line: 2 } });
    // Real sealed values under the suite's key: other suites rotate every stored data key.
    const keyPairId = randomUUID();
    const sealedKey = sealSecrets(createKeyring(process.env.APP_ENCRYPTION_KEY!), secretContext.platformKey(keyPairId), null, { privateKey: "k" });
    const keyPair = await db.platformKeyPair.create({
      data: {
        id: keyPairId, kind: "SSH", algorithm: "rsa4096", publicKey: "-----BEGIN", fingerprint: "ABCD", retiredAt: new Date(),
        secretsDataKey: sealedKey.wrappedKey, privateKeyEnc: sealedKey.sealed.privateKey!,
      },
    });
    const run = await db.importRun.create({ data: { connectorId: connector.id, trigger: "MANUAL", requestedById: user.id, activeRunKey: connector.id } });
    const file = await db.sourceFile.create({ data: { connectorId: connector.id, path: "/day.xml.pgp", size: 5_000_000_000n, mtime: new Date(), lastRunId: run.id } });
    const delivery = await db.delivery.create({ data: { connectorId: connector.id, itemKey: "c1/m1", mailbox: "a@x.example", runId: run.id } });
    const failed = await db.failedItem.create({ data: { runId: run.id, connectorId: connector.id, itemId: "m1", reason: "USER_MAPPING", detail: "no mailbox" } });
    const unmapped = await db.unmappedParticipant.create({ data: { runId: run.id, imId: "b@ice", reason: "not mapped" } });
    const alert = await db.connectorAlert.create({ data: { connectorId: connector.id, kind: "MISSED_DAY", message: "missed" } });
    const archived = await db.archivedMessage.create({
      data: {
        connectorId: connector.id, mailbox: "a@x.example", folder: "ICE Chat", itemKey: "c1/m1", internetMessageId: "<x@y>",
        subject: "s", fromAddress: "a@x.example", toAddresses: ["b@x.example", "c@x.example"], sentAt: new Date(), bodyText: "hello", size: 3,
        raw: new Uint8Array([1, 2, 3]),
      },
    });
    // Through appendAudit: a hand-made row would (rightly) break the hash chain.
    const audit = await appendAudit(db, { actor: { id: null, label: "test" }, action: "x", details: { nested: { a: [1, 2] } } });
    const setting = await db.setting.create({ data: { key: `k-${randomUUID()}`, value: { tenantId: "t" } } });

    expect((await db.sourceFile.findUniqueOrThrow({ where: { id: file.id } })).size).toBe(5_000_000_000n);
    expect((await db.archivedMessage.findUniqueOrThrow({ where: { id: archived.id } })).toAddresses).toEqual(["b@x.example", "c@x.example"]);
    expect(Buffer.from((await db.archivedMessage.findUniqueOrThrow({ where: { id: archived.id } })).raw)).toEqual(Buffer.from([1, 2, 3]));
    expect((await db.auditLog.findUniqueOrThrow({ where: { seq: audit.seq } })).details).toEqual({ nested: { a: [1, 2] } });
    for (const row of [token, mapping, keyPair, delivery, failed, unmapped, alert, setting]) expect(row).toBeTruthy();
    // The ledger's uniqueness is what makes "nothing twice" hold.
    await expect(
      db.delivery.create({ data: { connectorId: connector.id, itemKey: "c1/m1", mailbox: "a@x.example", runId: run.id } }),
    ).rejects.toThrow(/Unique constraint/i);
    // One active run per connector.
    await expect(db.importRun.create({ data: { connectorId: connector.id, trigger: "MANUAL", activeRunKey: connector.id } })).rejects.toThrow(
      /Unique constraint/i,
    );
  });
});
