import { z } from "zod";
import { apiRoute } from "@/app/_server/api-route";
import { listArchiveMailboxes } from "@/lib/archive/list-archive-mailboxes";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";

/** Mailboxes in the local archive with per-folder counts; `?connectorId=` narrows to one connector. */
export const GET = apiRoute(async ({ req }) => {
  const raw = new URL(req.url).searchParams.get("connectorId");
  const connectorId = raw === null ? undefined : z.uuid().safeParse(raw);
  if (connectorId && !connectorId.success) throw new AppError("validation_failed", "connectorId: not a valid id.");
  const mailboxes = await listArchiveMailboxes(db(), { connectorId: connectorId?.data });
  return Response.json({ mailboxes }, { headers: { "Cache-Control": "no-store" } });
});
