import Link from "next/link";
import { buttonClass } from "@/components/ui/button";

export interface ArchiveSearchValues {
  participant: string;
  room: string;
  from: string;
  to: string;
  q: string;
}

const INPUT = "mt-1 w-full rounded border border-slate-300 bg-white px-3 py-2 text-sm outline-none focus-visible:ring-2 focus-visible:ring-brand";

// A plain GET form: the query string is the search, so a result list is a shareable URL
// and works without client JavaScript.
export function ArchiveSearchForm({ action, folder, values }: { action: string; folder: string; values: ArchiveSearchValues }) {
  return (
    <form method="get" action={action} role="search" aria-label="Search the archive" className="mb-6 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      {folder !== "ICE Chat" && <input type="hidden" name="folder" value={folder} />}
      <div className="grid gap-4 md:grid-cols-2 lg:grid-cols-5">
        <label className="text-sm font-medium">
          Participant
          <input name="participant" type="text" defaultValue={values.participant} placeholder="name@firm.com" className={INPUT} />
        </label>
        <label className="text-sm font-medium">
          Room
          <input name="room" type="text" defaultValue={values.room} className={INPUT} />
        </label>
        <label className="text-sm font-medium">
          From date (UTC)
          <input name="from" type="date" defaultValue={values.from} className={INPUT} />
        </label>
        <label className="text-sm font-medium">
          To date (UTC)
          <input name="to" type="date" defaultValue={values.to} className={INPUT} />
        </label>
        <label className="text-sm font-medium">
          Text
          <input name="q" type="search" defaultValue={values.q} placeholder="words in subject or body" className={INPUT} />
        </label>
      </div>
      <div className="mt-4 flex gap-2">
        <button type="submit" className={buttonClass("primary")}>
          Search
        </button>
        <Link href={action + (folder !== "ICE Chat" ? `?folder=${encodeURIComponent(folder)}` : "")} className={buttonClass("secondary")}>
          Clear
        </Link>
      </div>
    </form>
  );
}
