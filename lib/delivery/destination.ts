import type { PreparedItem } from "@/lib/imports/prepare-item";

// Where imported items go. Two implementations: Microsoft 365 mailboxes through Graph
// (lib/graph) and the built-in local archive (lib/archive). The delivery engine
// (lib/delivery/deliver-items.ts) owns the ledger and the counting; a destination only
// stores messages and reports, per item, what happened.

export const ICE_CHAT_FOLDER = "ICE Chat";

export type MailboxCheck =
  | { ok: true }
  /** The participant maps to an address the destination cannot import into (unknown user, no mailbox). */
  | { ok: false; reason: string };

export type DeliveryOutcome =
  | { status: "imported"; destinationMessageId: string }
  /** Stored, but not whole (e.g. an attachment over the destination's size limit); `note` names what is missing. */
  | { status: "partial"; destinationMessageId: string; note: string }
  /** Already at the destination (found by its item key): an earlier attempt stored it. */
  | { status: "already_present"; destinationMessageId: string }
  | { status: "failed"; reason: "ITEM_TOO_LARGE" | "DESTINATION_ERROR"; detail: string };

export interface DeliveryTask {
  item: PreparedItem;
  /**
   * True when an earlier attempt may have stored the item without our knowing (the ledger
   * shows it pending, or a request failed ambiguously): look it up before creating it.
   */
  mayExist: boolean;
}

export interface Destination {
  /** The message format the destination stores: prepared items must be built in it. */
  readonly format: "graph" | "mime";
  /** Whether the address is a mailbox we can import into. Cached per destination instance (one per run). */
  checkMailbox(mailbox: string): Promise<MailboxCheck>;
  /**
   * Stores the items in the mailbox's ICE Chat folder (creating the folder if needed) and
   * returns one outcome per item key. Never creates an item twice: tasks with `mayExist`
   * are looked up first, and ambiguous failures are resolved by lookup, not by re-posting.
   * Throws only for failures that concern the whole mailbox or destination (credentials,
   * network down); per-item problems are outcomes.
   */
  deliver(mailbox: string, tasks: DeliveryTask[]): Promise<Map<string, DeliveryOutcome>>;
  close(): Promise<void>;
}
