import { afterAll, describe, expect, it } from "vitest";
import { appendAudit } from "@/lib/audit/append-audit";
import { verifyAuditChain } from "@/lib/audit/verify-audit-chain";
import { createDb } from "@/lib/db";

const db = createDb(process.env.DATABASE_URL!);
afterAll(() => db.$disconnect());

const actor = { id: null, label: "audit-test" };

// Tampering needs the trigger out of the way: only a database owner can do that, which
// is exactly the attacker the hash chain is for.
async function asOwner(sql: string): Promise<void> {
  await db.$transaction([
    db.$executeRawUnsafe(`ALTER TABLE "AuditLog" DISABLE TRIGGER "AuditLog_no_update_delete"`),
    db.$executeRawUnsafe(sql),
    db.$executeRawUnsafe(`ALTER TABLE "AuditLog" ENABLE TRIGGER "AuditLog_no_update_delete"`),
  ]);
}

describe("audit log", () => {
  it("chains concurrent appends without forks", async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => appendAudit(db, { actor, action: "test.concurrent", details: { i, z: { b: 1, a: 2 } } })));
    const report = await verifyAuditChain(db, 7);
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.entries).toBeGreaterThanOrEqual(20);
  });

  it("is append-only in the database itself", async () => {
    const { seq } = await appendAudit(db, { actor, action: "test.immutable" });
    await expect(db.auditLog.update({ where: { seq }, data: { action: "changed" } })).rejects.toThrow(/append-only/);
    await expect(db.auditLog.delete({ where: { seq } })).rejects.toThrow(/append-only/);
    await expect(db.$executeRawUnsafe(`TRUNCATE "AuditLog"`)).rejects.toThrow(/append-only/);
  });

  it("detects an altered entry", async () => {
    const { seq } = await appendAudit(db, { actor, action: "test.alter", details: { amount: 1 } });
    await appendAudit(db, { actor, action: "test.after" });
    await asOwner(`UPDATE "AuditLog" SET details = '{"amount": 2}' WHERE seq = ${seq}`);
    const report = await verifyAuditChain(db);
    expect(report.ok).toBe(false);
    expect(report.problems).toContainEqual({ seq, problem: "entry content does not match its hash" });
    await asOwner(`UPDATE "AuditLog" SET details = '{"amount": 1}' WHERE seq = ${seq}`);
    expect((await verifyAuditChain(db)).ok).toBe(true);
  });

  it("detects a deleted entry", async () => {
    const { seq } = await appendAudit(db, { actor, action: "test.delete" });
    const next = await appendAudit(db, { actor, action: "test.after-delete" });
    await asOwner(`DELETE FROM "AuditLog" WHERE seq = ${seq}`);
    const report = await verifyAuditChain(db);
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => p.seq)).toContain(next.seq);
  });
});
