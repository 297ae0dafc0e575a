import { apiRoute } from "@/app/_server/api-route";
import { attachmentContentDispositionOf, getArchivedAttachment } from "@/lib/archive/get-archived-message";
import { appendAudit } from "@/lib/audit/append-audit";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";

// Attachment bytes come from the chat feed: always a download (never rendered in our
// origin), nosniff, and a Content-Type from a short safe list (else octet-stream); see
// downloadContentTypeOf. A sandbox CSP covers a browser that renders it anyway.
export const GET = apiRoute<{ id: string; index: string }>(async ({ user, params }) => {
  if (!/^\d{1,6}$/.test(params.index)) throw new AppError("not_found", "The message has no attachment with that number.");
  const index = Number(params.index);
  const file = await getArchivedAttachment(db(), { id: params.id, index });
  await appendAudit(db(), {
    actor: { id: user.id, label: user.email },
    action: "archive.attachment.download",
    targetType: "ArchivedMessage",
    targetId: params.id,
    details: { mailbox: file.mailbox, index, fileName: file.fileName },
  });
  return new Response(new Uint8Array(file.content), {
    headers: {
      "Content-Type": file.contentType,
      "Content-Disposition": attachmentContentDispositionOf(file.fileName, `attachment-${index + 1}`),
      "Content-Length": String(file.content.length),
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'; sandbox",
      "Cache-Control": "no-store",
    },
  });
});
