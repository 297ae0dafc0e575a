import type { Db } from "@/lib/db";
import { appendAudit } from "@/lib/audit/append-audit";
import { burnPasswordCheck, verifyPassword } from "@/lib/auth/password";
import type { AuthUser } from "@/lib/auth/roles";

/**
 * E-mail + password sign-in. Returns null for every kind of failure (unknown user,
 * wrong password, disabled account) so the response never tells them apart; the
 * audit log records which it was.
 */
export async function verifyCredentials(db: Db, emailInput: string, password: string): Promise<AuthUser | null> {
  const email = emailInput.trim().toLowerCase();
  if (!email || !password || email.length > 320 || password.length > 1024) return null;
  const user = await db.user.findUnique({ where: { email } });
  const ok = user?.passwordHash ? await verifyPassword(password, user.passwordHash) : (await burnPasswordCheck(password), false);
  if (!user || !ok || user.disabled) {
    await appendAudit(db, {
      actor: { id: user?.id ?? null, label: email },
      action: "auth.sign_in_failed",
      targetType: "User",
      targetId: user?.id,
      details: { reason: !user ? "unknown_user" : user.disabled ? "disabled" : "bad_password" },
    });
    return null;
  }
  await db.user.update({ where: { id: user.id }, data: { lastSignInAt: new Date() } });
  await appendAudit(db, { actor: { id: user.id, label: email }, action: "auth.signed_in", targetType: "User", targetId: user.id, details: { method: "password" } });
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

/** The current state of a signed-in user, re-read on every request so a demotion or disabling applies at once. */
export async function loadActiveUser(db: Db, id: string): Promise<AuthUser | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const user = await db.user.findUnique({ where: { id }, select: { id: true, email: true, name: true, role: true, disabled: true } });
  if (!user || user.disabled) return null;
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}
