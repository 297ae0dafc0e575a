import type { Db } from "@/lib/db";
import { ICE_CHAT_FOLDER, type DeliveryOutcome, type DeliveryTask, type Destination, type MailboxCheck } from "@/lib/delivery/destination";
import { isValidEmailAddress } from "@/lib/mapping/email-address";

// The built-in local archive: each delivered message is stored as its RFC 5322 bytes,
// per mailbox and folder, in PostgreSQL, with a few columns indexed for search. It is
// idempotent by construction: (mailbox, folder, item key) is unique, so a retried or
// duplicated delivery finds the stored copy instead of adding a second one.

// Exchange Online's default maximum message size; the archive keeps the same rule so a
// run behaves the same whichever destination it uses.
export const ARCHIVE_MAX_MESSAGE_BYTES = 150 * 1024 * 1024;

export function createArchiveDestination(options: { db: Db; connectorId: string; maxMessageBytes?: number }): Destination {
  const { db, connectorId } = options;
  const maxBytes = options.maxMessageBytes ?? ARCHIVE_MAX_MESSAGE_BYTES;
  return {
    format: "mime",
    async checkMailbox(mailbox: string): Promise<MailboxCheck> {
      return isValidEmailAddress(mailbox) ? { ok: true } : { ok: false, reason: `"${mailbox}" is not a valid mailbox address.` };
    },
    async deliver(mailbox: string, tasks: DeliveryTask[]): Promise<Map<string, DeliveryOutcome>> {
      const outcomes = new Map<string, DeliveryOutcome>();
      const storable: DeliveryTask[] = [];
      for (const task of tasks) {
        const bytes = task.item.body;
        if (typeof bytes === "string" || !task.item.summary) {
          outcomes.set(task.item.itemKey, { status: "failed", reason: "DESTINATION_ERROR", detail: "The local archive stores MIME messages; the item was prepared for Graph." });
        } else if (bytes.byteLength > maxBytes) {
          outcomes.set(task.item.itemKey, {
            status: "failed",
            reason: "ITEM_TOO_LARGE",
            detail: `The message is ${bytes.byteLength} bytes, over the ${maxBytes}-byte limit.`,
          });
        } else {
          storable.push(task);
        }
      }
      if (storable.length === 0) return outcomes;
      const rows = storable.map(({ item }) => ({
        connectorId,
        mailbox,
        folder: ICE_CHAT_FOLDER,
        itemKey: item.destinationKey,
        internetMessageId: item.internetMessageId,
        subject: item.summary!.subject,
        fromAddress: item.summary!.fromAddress,
        toAddresses: item.summary!.toAddresses,
        roomName: item.summary!.roomName ?? null,
        conversationId: item.conversationId,
        sentAt: new Date(item.timestamp),
        bodyText: item.summary!.text,
        size: (item.body as Uint8Array).byteLength,
        raw: item.body as Uint8Array<ArrayBuffer>,
      }));
      // ON CONFLICT DO NOTHING: a copy stored by an earlier attempt stays the only copy.
      // The rows returned are exactly the ones this call inserted.
      const created = await db.archivedMessage.createManyAndReturn({ data: rows, skipDuplicates: true, select: { id: true, itemKey: true } });
      const createdByKey = new Map(created.map((c) => [c.itemKey, c.id]));
      const missing = rows.filter((r) => !createdByKey.has(r.itemKey)).map((r) => r.itemKey);
      const existing = missing.length
        ? await db.archivedMessage.findMany({ where: { mailbox, folder: ICE_CHAT_FOLDER, itemKey: { in: missing } }, select: { id: true, itemKey: true } })
        : [];
      const existingByKey = new Map(existing.map((e) => [e.itemKey, e.id]));
      for (const { item } of storable) {
        const createdId = createdByKey.get(item.destinationKey);
        const existingId = existingByKey.get(item.destinationKey);
        if (createdId) outcomes.set(item.itemKey, { status: "imported", destinationMessageId: createdId });
        else if (existingId) outcomes.set(item.itemKey, { status: "already_present", destinationMessageId: existingId });
        else outcomes.set(item.itemKey, { status: "failed", reason: "DESTINATION_ERROR", detail: "The archive did not store the message." });
      }
      return outcomes;
    },
    async close() {},
  };
}
