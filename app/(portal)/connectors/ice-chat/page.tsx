import { requirePageUser } from "@/app/_server/page-user";
import { ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { canManageConnectors } from "@/lib/auth/roles";

export const dynamic = "force-dynamic";

export default async function IceChatProductPage() {
  const user = await requirePageUser();
  return (
    <>
      <PageHeader
        title="ICE Chat"
        description="Every day the connector signs in to your firm's ICE Chat SFTP site, decrypts the previous 24 hours of chats and imports every message as an e-mail into the mailboxes of its sender and recipients, in a folder named ICE Chat."
        actions={canManageConnectors(user) ? <ButtonLink href="/connectors/ice-chat/new">Add connector</ButtonLink> : undefined}
      />
      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="What it does">
          <ul className="list-disc space-y-1 pl-5 text-sm">
            <li>Downloads the daily PGP-encrypted export from ICE&apos;s SFTP site (SSH key and/or password).</li>
            <li>Decrypts with a key pair generated here or with your own PGP key.</li>
            <li>Maps ICE users (ImId) to mailboxes automatically or with a mapping file.</li>
            <li>Imports each message once, and shows every item as imported, skipped or failed with a reason.</li>
          </ul>
        </Card>
        <Card title="Before you start">
          <ul className="list-disc space-y-1 pl-5 text-sm">
            <li>An ICE Data Services agreement that includes the compliance chat feed.</li>
            <li>An ICE Chat SFTP site for your firm: host, port, firm code and password.</li>
            <li>ICE must allow this connector&apos;s IP addresses and know its SSH and PGP public keys.</li>
            <li>The Mailbox Import Export role in this portal to add or change connectors.</li>
          </ul>
        </Card>
      </div>
    </>
  );
}
