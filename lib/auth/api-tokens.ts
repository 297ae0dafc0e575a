import { createHash, randomBytes } from "node:crypto";
import type { Db } from "@/lib/db";
import { appendAudit, type AuditActor } from "@/lib/audit/append-audit";
import type { AuthUser } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";

// API tokens are shown once and stored only as a SHA-256 hash: they are 256-bit random
// values, so a fast hash is enough (no password-style stretching needed).
const TOKEN_PREFIX = "icc_";

export interface ApiTokenSummary {
  id: string;
  name: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

const summarySelect = { id: true, name: true, prefix: true, createdAt: true, lastUsedAt: true, expiresAt: true, revokedAt: true } as const;

export function hashApiToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export async function createApiToken(
  db: Db,
  options: { userId: string; name: string; expiresAt?: Date; actor: AuditActor },
): Promise<{ token: string; summary: ApiTokenSummary }> {
  const name = options.name.trim();
  if (!name || name.length > 100) throw new AppError("validation_failed", "Token name must be 1-100 characters.");
  const token = TOKEN_PREFIX + randomBytes(32).toString("base64url");
  const summary = await db.apiToken.create({
    data: { userId: options.userId, name, tokenHash: hashApiToken(token), prefix: token.slice(0, 10), expiresAt: options.expiresAt ?? null },
    select: summarySelect,
  });
  await appendAudit(db, { actor: options.actor, action: "api_token.created", targetType: "ApiToken", targetId: summary.id, details: { name, userId: options.userId } });
  return { token, summary };
}

export async function listApiTokens(db: Db, userId: string): Promise<ApiTokenSummary[]> {
  return db.apiToken.findMany({ where: { userId }, orderBy: { createdAt: "desc" }, select: summarySelect });
}

export async function revokeApiToken(db: Db, options: { id: string; userId: string; actor: AuditActor }): Promise<void> {
  const { count } = await db.apiToken.updateMany({
    where: { id: options.id, userId: options.userId, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  if (count === 0) throw new AppError("not_found", "No active token with that id.");
  await appendAudit(db, { actor: options.actor, action: "api_token.revoked", targetType: "ApiToken", targetId: options.id });
}

/** Resolves a bearer token to its user, carrying the user's current role. */
export async function authenticateApiToken(db: Db, token: string): Promise<AuthUser | null> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
  const row = await db.apiToken.findUnique({
    where: { tokenHash: hashApiToken(token) },
    include: { user: { select: { id: true, email: true, name: true, role: true, disabled: true } } },
  });
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt <= new Date()) || row.user.disabled) return null;
  // Recording every use would turn each API read into a write; once a minute is plenty.
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
    await db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
  }
  const { id, email, name, role } = row.user;
  return { id, email, name, role };
}
