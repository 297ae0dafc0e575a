import { z } from "zod";
import type { Db } from "@/lib/db";
import { appendAudit, type AuditActor } from "@/lib/audit/append-audit";
import { hashPassword, passwordProblem } from "@/lib/auth/password";
import type { AuthUser } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";
import { Role } from "@/lib/generated/prisma/enums";

const emailSchema = z.email().max(320);

export interface CreateUserOptions {
  email: string;
  name?: string;
  /** Omit for accounts that only sign in with Entra ID. */
  password?: string;
  role: Role;
  actor: AuditActor;
}

export async function createUser(db: Db, options: CreateUserOptions): Promise<AuthUser> {
  const email = options.email.trim().toLowerCase();
  if (!emailSchema.safeParse(email).success) throw new AppError("validation_failed", `"${options.email}" is not a valid e-mail address.`);
  if (options.password !== undefined) {
    const problem = passwordProblem(options.password);
    if (problem) throw new AppError("validation_failed", problem);
  }
  const existing = await db.user.findUnique({ where: { email }, select: { id: true } });
  if (existing) throw new AppError("conflict", `A user with e-mail ${email} already exists.`);
  const user = await db.user.create({
    data: {
      email,
      name: options.name?.trim() || null,
      role: options.role,
      passwordHash: options.password === undefined ? null : await hashPassword(options.password),
    },
    select: { id: true, email: true, name: true, role: true },
  });
  await appendAudit(db, {
    actor: options.actor,
    action: "user.created",
    targetType: "User",
    targetId: user.id,
    details: { email, role: user.role },
  });
  return user;
}

export async function setUserRole(db: Db, options: { email: string; role: Role; actor: AuditActor }): Promise<AuthUser> {
  const email = options.email.trim().toLowerCase();
  const user = await db.user.findUnique({ where: { email } });
  if (!user) throw new AppError("not_found", `No user with e-mail ${email}.`);
  const updated = await db.user.update({
    where: { id: user.id },
    data: { role: options.role },
    select: { id: true, email: true, name: true, role: true },
  });
  await appendAudit(db, {
    actor: options.actor,
    action: "user.role_changed",
    targetType: "User",
    targetId: user.id,
    details: { email, from: user.role, to: options.role },
  });
  return updated;
}

export async function setUserPassword(db: Db, options: { email: string; password: string; actor: AuditActor }): Promise<void> {
  const problem = passwordProblem(options.password);
  if (problem) throw new AppError("validation_failed", problem);
  const email = options.email.trim().toLowerCase();
  const user = await db.user.findUnique({ where: { email }, select: { id: true } });
  if (!user) throw new AppError("not_found", `No user with e-mail ${email}.`);
  await db.user.update({ where: { id: user.id }, data: { passwordHash: await hashPassword(options.password) } });
  await appendAudit(db, { actor: options.actor, action: "user.password_set", targetType: "User", targetId: user.id, details: { email } });
}

export { Role };
