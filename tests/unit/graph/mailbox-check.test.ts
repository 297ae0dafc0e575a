import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import type { GraphEmulator } from "@/tests/support/graph-emulator";
import { emulatorDestination, tasksFor, registerGraphEmulator } from "./graph-test-support";

let emulator: GraphEmulator;
const USERS = [
  { userPrincipalName: "alice@contoso.com" },
  { userPrincipalName: "bob@contoso.com" },
  { userPrincipalName: "nomail@contoso.com", mailboxEnabled: false },
];

registerGraphEmulator(USERS, (started) => (emulator = started), { serviceTimeMs: 2 });

describe("checkMailbox", () => {
  it("accepts a mailbox user and creates its ICE Chat folder once", async () => {
    const destination = emulatorDestination(emulator);
    await expect(destination.checkMailbox("Alice@Contoso.com")).resolves.toEqual({ ok: true });
    const folders = emulator.mailboxes().find((m) => m.userPrincipalName === "alice@contoso.com")?.folders.filter((f) => f.displayName === "ICE Chat");
    expect(folders).toHaveLength(1);
    await destination.close();
  });

  it("refuses an unknown user and a user without a mailbox with a reason an admin can act on", async () => {
    const destination = emulatorDestination(emulator);
    const unknown = await destination.checkMailbox("ghost@contoso.com");
    expect(unknown.ok).toBe(false);
    expect(unknown.ok === false && unknown.reason).toMatch(/No Microsoft 365 user has the address ghost@contoso\.com/);
    const noMailbox = await destination.checkMailbox("nomail@contoso.com");
    expect(noMailbox.ok).toBe(false);
    expect(noMailbox.ok === false && noMailbox.reason).toMatch(/has no Exchange Online mailbox.*MailboxNotEnabledForRESTAPI/);
    const garbage = await destination.checkMailbox("not an address");
    expect(garbage.ok).toBe(false);
    // deliver() to a refused mailbox is a mailbox-level error, not a silent drop.
    await expect(destination.deliver("ghost@contoso.com", tasksFor(1))).rejects.toMatchObject({ code: "destination_failed" });
    await destination.close();
  });

  it("caches the answer per instance, and concurrent callers share one lookup", async () => {
    const destination = emulatorDestination(emulator);
    const answers = await Promise.all(Array.from({ length: 10 }, () => destination.checkMailbox("bob@contoso.com")));
    expect(answers.every((a) => a.ok)).toBe(true);
    const afterFirst = emulator.stats().requests;
    // user lookup + folder lookup + folder create, once for all ten callers
    expect(destination.stats().innerRequests).toBe(3);
    await destination.checkMailbox("BOB@contoso.com");
    await destination.checkMailbox("ghost@contoso.com");
    await destination.checkMailbox("ghost@contoso.com");
    // the ghost lookup once: by UPN, then by SMTP address (each a $batch + inner)
    expect(emulator.stats().requests - afterFirst).toBe(4);
    await destination.close();
  });

  it("finds an existing ICE Chat folder instead of creating a second one (a later run)", async () => {
    const first = emulatorDestination(emulator);
    await first.checkMailbox("alice@contoso.com");
    await first.close();
    const second = emulatorDestination(emulator);
    await second.checkMailbox("alice@contoso.com");
    await second.close();
    const folders = emulator.mailboxes().find((m) => m.userPrincipalName === "alice@contoso.com")?.folders.filter((f) => f.displayName === "ICE Chat");
    expect(folders).toHaveLength(1);
  });
});

describe("folder creation race", () => {
  it("10 concurrent deliver() calls to a new mailbox from separate runs create exactly one ICE Chat folder", async () => {
    // Separate destination instances: no shared cache, so the creates really race (409 path).
    const destinations = Array.from({ length: 10 }, () => emulatorDestination(emulator));
    const results = await Promise.all(destinations.map((d, i) => d.deliver("alice@contoso.com", tasksFor(2, { offset: i * 2 }))));
    for (const outcomes of results) expect([...outcomes.values()].every((o) => o.status === "imported")).toBe(true);
    const mailbox = emulator.mailboxes().find((m) => m.userPrincipalName === "alice@contoso.com");
    const iceChat = mailbox?.folders.filter((f) => f.displayName === "ICE Chat") ?? [];
    expect(iceChat).toHaveLength(1);
    expect(iceChat[0]?.messages).toHaveLength(20);
    await Promise.all(destinations.map((d) => d.close()));
  });

  it("10 concurrent deliver() calls on one instance share one folder lookup", async () => {
    const destination = emulatorDestination(emulator);
    await Promise.all(Array.from({ length: 10 }, (_, i) => destination.deliver("bob@contoso.com", tasksFor(1, { offset: i }))));
    expect(emulator.mailboxes().find((m) => m.userPrincipalName === "bob@contoso.com")?.folders.filter((f) => f.displayName === "ICE Chat")).toHaveLength(1);
    expect(emulator.messagesOf("bob@contoso.com", "ICE Chat")).toHaveLength(10);
    await destination.close();
  });
});

describe("credentials", () => {
  it("a wrong client secret fails the run with a clear AppError and never leaks the secret", async () => {
    const wrongSecret = "wrong-secret-value-123";
    const destination = emulatorDestination(emulator, {}, wrongSecret);
    const error = await destination.deliver("alice@contoso.com", tasksFor(1)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("destination_failed");
    expect((error as AppError).message).toMatch(/Could not sign in to Microsoft Entra ID/);
    expect((error as AppError).message).toMatch(/AADSTS7000215|invalid_client/);
    expect((error as AppError).message).not.toContain(wrongSecret);
    // The failure is not cached as the mailbox's answer: checkMailbox fails the same way.
    await expect(destination.checkMailbox("alice@contoso.com")).rejects.toMatchObject({ code: "destination_failed" });
    expect(emulator.messagesOf("alice@contoso.com")).toHaveLength(0);
    await destination.close();
  });
});
