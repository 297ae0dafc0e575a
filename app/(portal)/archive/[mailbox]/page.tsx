import Link from "next/link";
import { requirePageUser } from "@/app/_server/page-user";
import { ArchiveSearchForm, type ArchiveSearchValues } from "@/components/archive/archive-search-form";
import { mailboxHref } from "@/components/archive/format";
import { MessageTable } from "@/components/archive/message-table";
import { Alert } from "@/components/ui/alert";
import { buttonClass } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { ARCHIVE_DEFAULT_FOLDER, searchArchivedMessages, utcDayRangeOf, type ArchivedMessagePage } from "@/lib/archive/search-archived-messages";
import { db } from "@/lib/db";
import { isAppError } from "@/lib/errors";

export const dynamic = "force-dynamic";

type SearchParams = Record<string, string | string[] | undefined>;

function first(params: SearchParams, key: string): string {
  const v = params[key];
  return (Array.isArray(v) ? v[0] : v) ?? "";
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export default async function ArchiveMailboxPage({ params, searchParams }: { params: Promise<{ mailbox: string }>; searchParams: Promise<SearchParams> }) {
  await requirePageUser();
  const mailbox = safeDecode((await params).mailbox);
  const sp = await searchParams;
  const folder = first(sp, "folder") || ARCHIVE_DEFAULT_FOLDER;
  const values: ArchiveSearchValues = { participant: first(sp, "participant"), room: first(sp, "room"), from: first(sp, "from"), to: first(sp, "to"), q: first(sp, "q") };
  const cursor = first(sp, "cursor");
  const searching = Object.values(values).some((v) => v.trim() !== "");

  let result: ArchivedMessagePage | null = null;
  let error: string | null = null;
  try {
    result = await searchArchivedMessages(db(), {
      mailbox,
      folder,
      participant: values.participant,
      room: values.room,
      text: values.q,
      ...utcDayRangeOf(values.from, values.to),
      cursor: cursor || undefined,
    });
  } catch (err) {
    if (!isAppError(err)) throw err;
    error = err.message;
  }

  const action = mailboxHref(mailbox);
  const pageHref = (token: string) => {
    const q = new URLSearchParams();
    if (folder !== ARCHIVE_DEFAULT_FOLDER) q.set("folder", folder);
    for (const [k, v] of Object.entries(values)) if (v !== "") q.set(k, v);
    q.set("cursor", token);
    return `${action}?${q.toString()}`;
  };

  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm">
        <Link href="/archive" className="text-brand hover:underline">
          Archive
        </Link>{" "}
        <span className="text-slate-400">/</span> {mailbox}
      </nav>
      <PageHeader title={folder} description={<>Messages archived for <span className="font-medium">{mailbox}</span>, newest first. Dates are UTC.</>} />
      <ArchiveSearchForm action={action} folder={folder} values={values} />
      {error ? (
        <Alert tone="error">{error}</Alert>
      ) : (
        result && (
          <>
            <MessageTable messages={result.messages} searching={searching} />
            {(result.newer || result.older) && (
              <nav aria-label="Pages" className="mt-4 flex justify-between">
                {result.newer ? (
                  <Link href={pageHref(result.newer)} className={buttonClass("secondary")}>
                    ← Newer
                  </Link>
                ) : (
                  <span />
                )}
                {result.older && (
                  <Link href={pageHref(result.older)} className={buttonClass("secondary")}>
                    Older →
                  </Link>
                )}
              </nav>
            )}
          </>
        )
      )}
    </>
  );
}
