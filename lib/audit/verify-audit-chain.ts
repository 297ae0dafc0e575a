import type { Db } from "@/lib/db";
import { auditEntryHash, GENESIS_HASH } from "@/lib/audit/audit-hash";

export interface AuditChainReport {
  ok: boolean;
  entries: number;
  /** Problems in chain order; empty when ok. */
  problems: { seq: bigint; problem: string }[];
  headHash: string;
}

/** Walks the whole log in pages and recomputes every link. */
export async function verifyAuditChain(db: Db, pageSize = 1000): Promise<AuditChainReport> {
  const problems: AuditChainReport["problems"] = [];
  let expectedPrev = GENESIS_HASH;
  let entries = 0;
  let cursor: bigint | undefined;
  for (;;) {
    const page = await db.auditLog.findMany({
      where: cursor === undefined ? {} : { seq: { gt: cursor } },
      orderBy: { seq: "asc" },
      take: pageSize,
    });
    for (const row of page) {
      entries++;
      if (row.prevHash !== expectedPrev) {
        problems.push({ seq: row.seq, problem: "link broken: an earlier entry was removed, altered or reordered" });
      }
      const recomputed = auditEntryHash(row.prevHash, row);
      if (recomputed !== row.hash) problems.push({ seq: row.seq, problem: "entry content does not match its hash" });
      expectedPrev = row.hash;
      cursor = row.seq;
    }
    if (page.length < pageSize) break;
  }
  return { ok: problems.length === 0, entries, problems, headHash: expectedPrev };
}
