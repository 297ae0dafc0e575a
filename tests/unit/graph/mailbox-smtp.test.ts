// Participants whose address is a primary SMTP address or an alias, not the UPN: the real
// destination (Graph SDK) against the emulator, which like Graph finds /users/{key} only by
// id or UPN.

import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS, type GraphEmulator } from "@/tests/support/graph-emulator";
import { emulatorDestination, statusCounts, tasksFor, registerGraphEmulator } from "./graph-test-support";

let emulator: GraphEmulator;
const JOHN_ID = "0a5f1c2e-3b4d-4e6f-8a9b-0c1d2e3f4a5b";
const JOHN_UPN = "jsmith@acme.onmicrosoft.example";
const USERS = [
  { id: JOHN_ID, userPrincipalName: JOHN_UPN, mail: "John.Smith@acme.example", proxyAddresses: ["SMTP:John.Smith@acme.example", "smtp:J.Smith@acme.example", `smtp:${JOHN_UPN}`] },
  // "trading@" is an alias of two users: a mapping to it cannot be settled by guessing.
  { userPrincipalName: "desk1@acme.example", proxyAddresses: ["SMTP:desk1@acme.example", "smtp:trading@acme.example"] },
  { userPrincipalName: "desk2@acme.example", proxyAddresses: ["SMTP:desk2@acme.example", "smtp:Trading@acme.example"] },
  { userPrincipalName: "obrien@acme.onmicrosoft.example", mail: "O'Brien@acme.example", proxyAddresses: ["SMTP:O'Brien@acme.example", "smtp:d'arcy@acme.example"] },
  // "sales@" is one user's UPN and another's alias: Graph's own key (the UPN) wins.
  { userPrincipalName: "sales@acme.example" },
  { userPrincipalName: "backoffice@acme.example", proxyAddresses: ["SMTP:backoffice@acme.example", "smtp:sales@acme.example"] },
];

registerGraphEmulator(USERS, (started) => (emulator = started), { serviceTimeMs: 2 });

const iceChatFolders = (upn: string) => emulator.mailboxes().find((m) => m.userPrincipalName === upn)?.folders.filter((f) => f.displayName === "ICE Chat") ?? [];

describe("mailboxes found by SMTP address", () => {
  it("finds a user whose UPN differs by the primary SMTP address, in any case, and imports into their ICE Chat folder", async () => {
    const destination = emulatorDestination(emulator);
    await expect(destination.checkMailbox("JOHN.SMITH@acme.example")).resolves.toEqual({ ok: true });
    const outcomes = await destination.deliver("john.smith@ACME.example", tasksFor(3));
    expect(statusCounts(outcomes)).toEqual({ imported: 3 });
    expect(emulator.messagesOf(JOHN_UPN, "ICE Chat")).toHaveLength(3);
    await destination.close();
  });

  it("finds the same user by an alias, case-insensitively", async () => {
    const destination = emulatorDestination(emulator);
    const outcomes = await destination.deliver("j.smith@acme.EXAMPLE", tasksFor(2));
    expect(statusCounts(outcomes)).toEqual({ imported: 2 });
    expect(emulator.messagesOf(JOHN_UPN, "ICE Chat")).toHaveLength(2);
    await destination.close();
  });

  it("two addresses of one user share one ICE Chat folder and one budget of 4 requests in flight", async () => {
    emulator.setLimits({ ...DEFAULT_LIMITS, serviceTimeMs: 15 });
    const destination = emulatorDestination(emulator);
    const [byPrimary, byAlias] = await Promise.all([
      destination.deliver("john.smith@acme.example", tasksFor(40)),
      destination.deliver("j.smith@acme.example", tasksFor(40, { offset: 40 })),
    ]);
    expect(statusCounts(byPrimary!)).toEqual({ imported: 40 });
    expect(statusCounts(byAlias!)).toEqual({ imported: 40 });
    const folders = iceChatFolders(JOHN_UPN);
    expect(folders).toHaveLength(1);
    expect(folders[0]?.messages).toHaveLength(80);
    const stats = emulator.stats();
    expect(stats.maxConcurrencyPerMailbox[JOHN_ID]).toBeLessThanOrEqual(4);
    // The slots were really used (not trivially sequential), and never over the limit.
    expect(stats.maxConcurrencyPerMailbox[JOHN_ID]).toBeGreaterThanOrEqual(3);
    expect(stats.throttled429).toBe(0);
    await destination.close();
  });

  it("an unknown address is still a per-participant refusal, saying what was checked", async () => {
    const destination = emulatorDestination(emulator);
    const unknown = await destination.checkMailbox("ghost@acme.example");
    expect(unknown).toEqual({
      ok: false,
      reason: "No Microsoft 365 user has the address ghost@acme.example (checked as user principal name, primary SMTP address and alias). Check the participant mapping, or create the user.",
    });
    await expect(destination.deliver("ghost@acme.example", tasksFor(1))).rejects.toMatchObject({ code: "destination_failed" });
    await destination.close();
  });

  it("an address of two users is refused as ambiguous, and neither mailbox is touched", async () => {
    const destination = emulatorDestination(emulator);
    const answer = await destination.checkMailbox("trading@acme.example");
    expect(answer.ok).toBe(false);
    expect(answer.ok === false && answer.reason).toMatch(/^trading@acme\.example is an address of 2 Microsoft 365 users \((desk1@acme\.example, desk2@acme\.example|desk2@acme\.example, desk1@acme\.example)\); the connector does not guess which mailbox/);
    expect(iceChatFolders("desk1@acme.example")).toHaveLength(0);
    expect(iceChatFolders("desk2@acme.example")).toHaveLength(0);
    await destination.close();
  });

  it("an address with an apostrophe is quoted in the filter (primary and alias)", async () => {
    const destination = emulatorDestination(emulator);
    await expect(destination.checkMailbox("o'brien@acme.example")).resolves.toEqual({ ok: true });
    await expect(destination.checkMailbox("D'Arcy@acme.example")).resolves.toEqual({ ok: true });
    const outcomes = await destination.deliver("d'arcy@acme.example", tasksFor(1));
    expect(statusCounts(outcomes)).toEqual({ imported: 1 });
    expect(emulator.messagesOf("obrien@acme.onmicrosoft.example", "ICE Chat")).toHaveLength(1);
    await destination.close();
  });

  it("a UPN is found directly (no SMTP lookup), even when it is another user's alias", async () => {
    const destination = emulatorDestination(emulator);
    await destination.deliver("sales@acme.example", tasksFor(1));
    expect(emulator.messagesOf("sales@acme.example", "ICE Chat")).toHaveLength(1);
    expect(iceChatFolders("backoffice@acme.example")).toHaveLength(0);
    // user lookup + folder lookup + folder create + one message
    expect(destination.stats().innerRequests).toBe(4);
    await destination.close();
  });
});
