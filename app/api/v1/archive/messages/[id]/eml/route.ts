import { apiRoute } from "@/app/_server/api-route";
import { attachmentContentDispositionOf, getArchivedMessageEml } from "@/lib/archive/get-archived-message";
import { appendAudit } from "@/lib/audit/append-audit";
import { db } from "@/lib/db";

/** The archived message exactly as stored (RFC 5322), for a mail client or an eDiscovery tool. Exports are audited. */
export const GET = apiRoute<{ id: string }>(async ({ user, params }) => {
  const eml = await getArchivedMessageEml(db(), { id: params.id });
  await appendAudit(db(), {
    actor: { id: user.id, label: user.email },
    action: "archive.message.download",
    targetType: "ArchivedMessage",
    targetId: params.id,
    details: { mailbox: eml.mailbox, internetMessageId: eml.internetMessageId },
  });
  return new Response(new Uint8Array(eml.content), {
    headers: {
      "Content-Type": eml.contentType,
      "Content-Disposition": attachmentContentDispositionOf(eml.fileName, "message.eml"),
      "Content-Length": String(eml.content.length),
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": "no-store",
    },
  });
});
