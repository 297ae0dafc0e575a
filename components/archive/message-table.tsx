import Link from "next/link";
import { formatUtc } from "@/components/archive/format";
import type { ArchivedMessageSummary } from "@/lib/archive/search-archived-messages";

export function MessageTable({ messages, searching }: { messages: ArchivedMessageSummary[]; searching: boolean }) {
  if (messages.length === 0) {
    return (
      <div className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center" data-testid="archive-no-results">
        <p className="font-semibold">{searching ? "No messages match this search" : "No messages in this folder"}</p>
        {searching && <p className="mt-1 text-sm text-slate-600">Participants must be a full address; dates are UTC days, both ends included.</p>}
      </div>
    );
  }
  return (
    <table className="w-full overflow-hidden rounded-lg border border-slate-200 bg-white text-left text-sm" data-testid="archive-results">
      <thead className="bg-slate-100 text-slate-600">
        <tr>
          <th className="whitespace-nowrap px-4 py-2 font-semibold">Date (UTC)</th>
          <th className="px-4 py-2 font-semibold">From</th>
          <th className="px-4 py-2 font-semibold">To</th>
          <th className="px-4 py-2 font-semibold">Room</th>
          <th className="px-4 py-2 font-semibold">Subject</th>
        </tr>
      </thead>
      <tbody>
        {messages.map((m) => (
          <tr key={m.id} className="border-t border-slate-200 align-top">
            <td className="whitespace-nowrap px-4 py-2 tabular-nums">{formatUtc(m.sentAt)}</td>
            <td className="px-4 py-2 break-all">{m.fromAddress}</td>
            <td className="px-4 py-2 break-all">
              {m.toAddresses.slice(0, 3).join(", ")}
              {m.toAddresses.length > 3 && <span className="text-slate-500"> +{m.toAddresses.length - 3} more</span>}
            </td>
            <td className="px-4 py-2">{m.roomName ?? <span className="text-slate-400">—</span>}</td>
            <td className="px-4 py-2">
              <Link href={`/archive/message/${m.id}`} className="text-brand hover:underline">
                {m.subject || "(no subject)"}
              </Link>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
