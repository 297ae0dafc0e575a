import type { Db } from "@/lib/db";

export interface ArchiveFolderSummary {
  folder: string;
  count: number;
  newestSentAt: Date | null;
}

export interface ArchiveMailboxSummary {
  mailbox: string;
  /** All folders added up. */
  count: number;
  newestSentAt: Date | null;
  /** By folder name. */
  folders: ArchiveFolderSummary[];
}

export interface ListArchiveMailboxesOptions {
  /** Only what this connector delivered. */
  connectorId?: string;
}

/** Mailboxes that hold archived messages, by address, with per-folder counts. Reads the (mailbox, folder, sentAt) index only. */
export async function listArchiveMailboxes(db: Db, options: ListArchiveMailboxesOptions = {}): Promise<ArchiveMailboxSummary[]> {
  const groups = await db.archivedMessage.groupBy({
    by: ["mailbox", "folder"],
    where: options.connectorId ? { connectorId: options.connectorId } : {},
    _count: { _all: true },
    _max: { sentAt: true },
    orderBy: [{ mailbox: "asc" }, { folder: "asc" }],
  });

  const byMailbox = new Map<string, ArchiveMailboxSummary>();
  for (const g of groups) {
    let summary = byMailbox.get(g.mailbox);
    if (!summary) {
      summary = { mailbox: g.mailbox, count: 0, newestSentAt: null, folders: [] };
      byMailbox.set(g.mailbox, summary);
    }
    const newest = g._max.sentAt;
    summary.folders.push({ folder: g.folder, count: g._count._all, newestSentAt: newest });
    summary.count += g._count._all;
    if (newest && (!summary.newestSentAt || newest > summary.newestSentAt)) summary.newestSentAt = newest;
  }
  return [...byMailbox.values()];
}
