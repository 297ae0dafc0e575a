import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePageUser } from "@/app/_server/page-user";
import { formatBytes, formatUtc, mailboxHref } from "@/components/archive/format";
import { AttachmentList, MessageBody, MessageHeaders } from "@/components/archive/message-view";
import { buttonClass } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { getArchivedMessage, type ArchivedMessageView } from "@/lib/archive/get-archived-message";
import { db } from "@/lib/db";
import { isAppError } from "@/lib/errors";

export const dynamic = "force-dynamic";

export default async function ArchivedMessagePage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ view?: string | string[] }> }) {
  await requirePageUser();
  const { id } = await params;
  const { view } = await searchParams;
  let message: ArchivedMessageView;
  try {
    message = await getArchivedMessage(db(), { id });
  } catch (err) {
    if (isAppError(err) && err.code === "not_found") notFound();
    throw err;
  }
  const baseHref = `/archive/message/${message.id}`;

  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm">
        <Link href="/archive" className="text-brand hover:underline">
          Archive
        </Link>{" "}
        <span className="text-slate-400">/</span>{" "}
        <Link href={mailboxHref(message.mailbox, message.folder)} className="text-brand hover:underline">
          {message.mailbox}
        </Link>{" "}
        <span className="text-slate-400">/</span> {message.folder}
      </nav>
      <PageHeader
        title={message.subject || "(no subject)"}
        description={`${formatUtc(message.sentAt)}${message.roomName ? ` · ${message.roomName}` : ""} · ${formatBytes(message.size)}`}
        actions={
          <a href={`/api/v1/archive/messages/${message.id}/eml`} download className={buttonClass("secondary")}>
            Download .eml
          </a>
        }
      />
      <div className="grid gap-6">
        <Card title="Headers">
          <MessageHeaders message={message} />
        </Card>
        <MessageBody message={message} view={view === "html" ? "html" : "text"} baseHref={baseHref} />
        <Card title="Attachments">
          <AttachmentList message={message} />
        </Card>
      </div>
    </>
  );
}
