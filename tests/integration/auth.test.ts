import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { authenticateApiToken, createApiToken, revokeApiToken } from "@/lib/auth/api-tokens";
import { createUser, setUserRole } from "@/lib/auth/create-user";
import { Role } from "@/lib/auth/roles";
import { loadActiveUser, verifyCredentials } from "@/lib/auth/verify-credentials";
import { createDb } from "@/lib/db";
import { sealSecrets, openSecret } from "@/lib/secrets/record-secrets";
import { createKeyring } from "@/lib/secrets/keyring";
import { masterKeysInUse, rotateMasterKey } from "@/lib/secrets/rotate-master-key";
import { secretContext } from "@/lib/secrets/contexts";

const db = createDb(process.env.DATABASE_URL!);
afterAll(() => db.$disconnect());
const actor = { id: null, label: "auth-test" };
const password = "a-long-enough-password";
const unique = () => `${randomBytes(6).toString("hex")}@auth.test.example`;

describe("password sign-in", () => {
  it("accepts the right password (any e-mail case) and records the sign-in", async () => {
    const email = unique();
    const user = await createUser(db, { email: email.toUpperCase(), password, role: Role.VIEWER, actor });
    expect(user.email).toBe(email);
    const stored = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(stored.passwordHash).toMatch(/^scrypt\$15\$8\$1\$/);
    expect(stored.passwordHash).not.toContain(password);
    expect(await verifyCredentials(db, ` ${email.toUpperCase()} `, password)).toMatchObject({ id: user.id, role: Role.VIEWER });
    const audit = await db.auditLog.findFirst({ where: { actorId: user.id, action: "auth.signed_in" } });
    expect(audit).not.toBeNull();
  });

  it("refuses a wrong password, an unknown user and a disabled account alike", async () => {
    const email = unique();
    const user = await createUser(db, { email, password, role: Role.VIEWER, actor });
    expect(await verifyCredentials(db, email, "wrong-password-123")).toBeNull();
    expect(await verifyCredentials(db, unique(), password)).toBeNull();
    expect(await verifyCredentials(db, email, "")).toBeNull();
    await db.user.update({ where: { id: user.id }, data: { disabled: true } });
    expect(await verifyCredentials(db, email, password)).toBeNull();
    const reasons = (await db.auditLog.findMany({ where: { actorLabel: email, action: "auth.sign_in_failed" } })).map(
      (a) => (a.details as { reason: string }).reason,
    );
    expect(reasons).toEqual(expect.arrayContaining(["bad_password", "disabled"]));
  });

  it("rejects weak passwords, bad e-mails and duplicates", async () => {
    await expect(createUser(db, { email: unique(), password: "short", role: Role.VIEWER, actor })).rejects.toThrow(/at least 12/);
    await expect(createUser(db, { email: "not-an-email", password, role: Role.VIEWER, actor })).rejects.toThrow(/not a valid e-mail/);
    const email = unique();
    await createUser(db, { email, password, role: Role.VIEWER, actor });
    await expect(createUser(db, { email, password, role: Role.VIEWER, actor })).rejects.toThrow(/already exists/);
  });

  it("re-reads the role on every request: a demoted user loses access at once", async () => {
    const email = unique();
    const user = await createUser(db, { email, password, role: Role.MAILBOX_IMPORT_EXPORT, actor });
    expect((await loadActiveUser(db, user.id))?.role).toBe(Role.MAILBOX_IMPORT_EXPORT);
    await setUserRole(db, { email, role: Role.VIEWER, actor });
    expect((await loadActiveUser(db, user.id))?.role).toBe(Role.VIEWER);
    await db.user.update({ where: { id: user.id }, data: { disabled: true } });
    expect(await loadActiveUser(db, user.id)).toBeNull();
    expect(await loadActiveUser(db, "not-a-uuid")).toBeNull();
  });
});

describe("API tokens", () => {
  it("authenticates until revoked, stores only a hash, and carries the user's current role", async () => {
    const email = unique();
    const user = await createUser(db, { email, password, role: Role.MAILBOX_IMPORT_EXPORT, actor });
    const { token, summary } = await createApiToken(db, { userId: user.id, name: "ci", actor });
    expect(token).toMatch(/^icc_[A-Za-z0-9_-]{43}$/);
    const row = await db.apiToken.findUniqueOrThrow({ where: { id: summary.id } });
    expect(JSON.stringify(row)).not.toContain(token);
    expect((await authenticateApiToken(db, token))?.role).toBe(Role.MAILBOX_IMPORT_EXPORT);
    await setUserRole(db, { email, role: Role.VIEWER, actor });
    expect((await authenticateApiToken(db, token))?.role).toBe(Role.VIEWER);
    expect(await authenticateApiToken(db, token.slice(0, -1) + (token.endsWith("A") ? "B" : "A"))).toBeNull();
    await revokeApiToken(db, { id: summary.id, userId: user.id, actor });
    expect(await authenticateApiToken(db, token)).toBeNull();
    await expect(revokeApiToken(db, { id: summary.id, userId: user.id, actor })).rejects.toThrow(/No active token/);
  });

  it("refuses expired tokens and tokens of disabled users", async () => {
    const user = await createUser(db, { email: unique(), password, role: Role.VIEWER, actor });
    const expired = await createApiToken(db, { userId: user.id, name: "old", expiresAt: new Date(Date.now() - 1000), actor });
    expect(await authenticateApiToken(db, expired.token)).toBeNull();
    const live = await createApiToken(db, { userId: user.id, name: "live", actor });
    expect(await authenticateApiToken(db, live.token)).not.toBeNull();
    await db.user.update({ where: { id: user.id }, data: { disabled: true } });
    expect(await authenticateApiToken(db, live.token)).toBeNull();
  });
});

describe("master-key rotation over stored records", () => {
  it("re-wraps every data key and the secrets still open with only the new key", async () => {
    // Records other suites stored are under the test environment's key; rotate them too
    // and rotate back at the end so later suites can still open them.
    const envKey = process.env.APP_ENCRYPTION_KEY!;
    const newKey = randomBytes(32).toString("base64");
    const before = createKeyring(envKey);
    const id = crypto.randomUUID();
    const ctx = secretContext.connector(id);
    const { wrappedKey, sealed } = sealSecrets(before, ctx, null, { password: "sftp-pass", pgpPassphrase: "pgp-pass" });
    await db.connector.create({
      data: {
        id, name: `Rotate ${id}`, nameKey: id, firmCode: "F1", sftpHost: "h", keyMode: "OWN", scheduleTime: "01:00",
        secretsDataKey: wrappedKey, passwordEnc: sealed.password, pgpPassphraseEnc: sealed.pgpPassphrase,
      },
    });
    const after = createKeyring(newKey, [envKey]);
    const first = await rotateMasterKey(db, after);
    expect(first.failed).toEqual([]);
    expect(first.rewrapped).toBeGreaterThanOrEqual(1);
    const second = await rotateMasterKey(db, after);
    expect(second).toMatchObject({ rewrapped: 0, failed: [] });
    const row = await db.connector.findUniqueOrThrow({ where: { id } });
    expect(row.passwordEnc).toBe(sealed.password);
    const onlyNew = createKeyring(newKey);
    expect(openSecret(onlyNew, ctx, row.secretsDataKey!, "password", row.passwordEnc!)).toBe("sftp-pass");
    expect(openSecret(onlyNew, ctx, row.secretsDataKey!, "pgpPassphrase", row.pgpPassphraseEnc!)).toBe("pgp-pass");
    expect(() => openSecret(before, ctx, row.secretsDataKey!, "password", row.passwordEnc!)).toThrow(/not configured/);
    expect([...(await masterKeysInUse(db)).keys()]).toEqual([onlyNew.current.id]);

    // A record under an unknown key is reported, not fatal, and the rest still rotate.
    const strayId = crypto.randomUUID();
    const stray = sealSecrets(createKeyring(randomBytes(32).toString("base64")), secretContext.connector(strayId), null, { password: "x" });
    await db.connector.create({
      data: { id: strayId, name: `Stray ${strayId}`, nameKey: strayId, firmCode: "F1", sftpHost: "h", keyMode: "OWN", scheduleTime: "01:00", secretsDataKey: stray.wrappedKey, passwordEnc: stray.sealed.password },
    });
    const back = await rotateMasterKey(db, createKeyring(envKey, [newKey]));
    expect(back.failed).toEqual([{ record: secretContext.connector(strayId), reason: expect.stringMatching(/not configured/) }]);
    expect(back.rewrapped).toBeGreaterThanOrEqual(1);
    await db.connector.update({ where: { id: strayId }, data: { secretsDataKey: null, passwordEnc: null } });
  });
});
