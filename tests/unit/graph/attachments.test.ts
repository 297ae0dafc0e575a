import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { GraphEmulator } from "@/tests/support/graph-emulator";
import { attachment, chatItem, emulatorDestination, prepareItem, QUICK_RETRIES, registerGraphEmulator } from "./graph-test-support";

const MB = 1024 * 1024;
let emulator: GraphEmulator;
const USERS = [{ userPrincipalName: "alice@contoso.com" }];

registerGraphEmulator(USERS, (started) => (emulator = started), { serviceTimeMs: 1 });

const sha256 = (data: Buffer): string => createHash("sha256").update(data).digest("hex");

describe("deferred attachments", () => {
  it("uploads a large attachment through an upload session (chunked PUTs without our token) and a small overflow one by POST", async () => {
    const large = attachment("curve-history.bin", Math.round(9.5 * MB));
    const small = attachment("notes.txt", 2 * MB);
    const alsoSmall = attachment("more-notes.txt", Math.round(1.5 * MB));
    const item = prepareItem(chatItem(1, { attachments: [small, alsoSmall, large] }));
    expect(item.deferredAttachments.map((a) => a.name).sort()).toEqual(["curve-history.bin", "more-notes.txt"]);
    const destination = emulatorDestination(emulator);
    const outcomes = await destination.deliver("alice@contoso.com", [{ item, mayExist: false }]);
    expect(outcomes.get(item.itemKey)?.status).toBe("imported");
    const [message] = emulator.messagesOf("alice@contoso.com", "ICE Chat");
    expect(message?.attachments.map((a) => a.name).sort()).toEqual(["curve-history.bin", "more-notes.txt", "notes.txt"]);
    expect(message?.attachments.find((a) => a.name === "curve-history.bin")?.sha256).toBe(sha256(large.data));
    expect(message?.attachments.find((a) => a.name === "more-notes.txt")?.sha256).toBe(sha256(alsoSmall.data));
    expect(message?.isDraft).toBe(false);
    // 9.5 MB in chunks of at most 3.75 MB: three PUTs (the emulator answers 401 InvalidAudience if one carried a token).
    expect(destination.stats().directRequests).toBeGreaterThanOrEqual(3);
    await destination.close();
  });

  it("keeps the message when Graph refuses an attachment as too large: partial, with a note naming it", async () => {
    emulator.setLimits({ maxMessageBytes: 6 * MB });
    const large = attachment("huge-report.pdf", 7 * MB);
    const item = prepareItem(chatItem(2, { attachments: [large] }));
    const destination = emulatorDestination(emulator);
    const outcome = (await destination.deliver("alice@contoso.com", [{ item, mayExist: false }])).get(item.itemKey);
    expect(outcome?.status).toBe("partial");
    expect(outcome?.status === "partial" && outcome.note).toMatch(/attachment "huge-report\.pdf" \(7340032 bytes\) was not imported: .*too large/);
    const stored = emulator.messagesOf("alice@contoso.com", "ICE Chat");
    expect(stored).toHaveLength(1);
    expect(stored[0]?.attachments).toHaveLength(0);
    expect(outcome?.status === "partial" && outcome.destinationMessageId).toBe(stored[0]?.id);
    await destination.close();
  });

  it("skips an attachment over the configured message size limit without uploading it", async () => {
    const large = attachment("big.zip", 5 * MB);
    const fits = attachment("fits.bin", Math.round(3.5 * MB));
    const item = prepareItem(chatItem(3, { attachments: [fits, large] }));
    const destination = emulatorDestination(emulator, { maxMessageBytes: 8 * MB });
    const outcome = (await destination.deliver("alice@contoso.com", [{ item, mayExist: false }])).get(item.itemKey);
    expect(outcome?.status).toBe("partial");
    expect(outcome?.status === "partial" && outcome.note).toMatch(/"big\.zip" \(5242880 bytes\) was not imported: the message would exceed the 8388608-byte message size limit/);
    expect(emulator.messagesOf("alice@contoso.com", "ICE Chat")[0]?.attachments.map((a) => a.name)).toEqual(["fits.bin"]);
    await destination.close();
  });

  it("completes the attachments of an item found already present, without adding any twice", async () => {
    const large = attachment("a.bin", Math.round(3.2 * MB));
    const second = attachment("b.bin", Math.round(3.1 * MB));
    const item = prepareItem(chatItem(4, { attachments: [large, second] }));
    // An earlier run stored the message and only the first attachment.
    const first = emulatorDestination(emulator);
    await first.deliver("alice@contoso.com", [{ item: { ...item, deferredAttachments: item.deferredAttachments.slice(0, 1) }, mayExist: false }]);
    await first.close();
    const destination = emulatorDestination(emulator, QUICK_RETRIES);
    const outcome = (await destination.deliver("alice@contoso.com", [{ item, mayExist: true }])).get(item.itemKey);
    expect(outcome?.status).toBe("already_present");
    const stored = emulator.messagesOf("alice@contoso.com", "ICE Chat");
    expect(stored).toHaveLength(1);
    expect(stored[0]?.attachments.map((a) => a.name).sort()).toEqual(["a.bin", "b.bin"]);
    await destination.close();
  });
});
