import { requirePageUser } from "@/app/_server/page-user";
import { MailboxTable } from "@/components/archive/mailbox-table";
import { PageHeader } from "@/components/ui/page-header";
import { listArchiveMailboxes } from "@/lib/archive/list-archive-mailboxes";
import { db } from "@/lib/db";

export const dynamic = "force-dynamic";

export default async function ArchivePage() {
  await requirePageUser();
  const mailboxes = await listArchiveMailboxes(db());
  return (
    <>
      <PageHeader
        title="Archive"
        description="Messages delivered to the built-in local archive, by mailbox. Open a mailbox to search its ICE Chat folder and read or export messages."
      />
      <MailboxTable mailboxes={mailboxes} />
    </>
  );
}
