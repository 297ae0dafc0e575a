import Link from "next/link";
import { formatUtc, mailboxHref } from "@/components/archive/format";
import type { ArchiveMailboxSummary } from "@/lib/archive/list-archive-mailboxes";

export function MailboxTable({ mailboxes }: { mailboxes: ArchiveMailboxSummary[] }) {
  if (mailboxes.length === 0) {
    return (
      <div className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center" data-testid="archive-empty">
        <p className="font-semibold">Nothing archived yet</p>
        <p className="mx-auto mt-1 max-w-xl text-sm text-slate-600">
          The local archive receives mail when a connector&apos;s destination is the local archive: after its next import run,
          every mailbox that received chat messages is listed here, with its ICE Chat folder.
        </p>
      </div>
    );
  }
  return (
    <table className="w-full overflow-hidden rounded-lg border border-slate-200 bg-white text-left text-sm">
      <thead className="bg-slate-100 text-slate-600">
        <tr>
          <th className="px-4 py-2 font-semibold">Mailbox</th>
          <th className="px-4 py-2 font-semibold">Folders</th>
          <th className="px-4 py-2 text-right font-semibold">Messages</th>
          <th className="px-4 py-2 font-semibold">Newest (UTC)</th>
        </tr>
      </thead>
      <tbody>
        {mailboxes.map((m) => (
          <tr key={m.mailbox} className="border-t border-slate-200">
            <td className="px-4 py-2 font-medium">
              <Link href={mailboxHref(m.mailbox)} className="text-brand hover:underline">
                {m.mailbox}
              </Link>
            </td>
            <td className="px-4 py-2">
              <ul className="flex flex-wrap gap-x-3">
                {m.folders.map((f) => (
                  <li key={f.folder}>
                    <Link href={mailboxHref(m.mailbox, f.folder)} className="hover:underline">
                      {f.folder}
                    </Link>{" "}
                    <span className="text-slate-500">({f.count})</span>
                  </li>
                ))}
              </ul>
            </td>
            <td className="px-4 py-2 text-right tabular-nums">{m.count}</td>
            <td className="px-4 py-2 tabular-nums">{formatUtc(m.newestSentAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
