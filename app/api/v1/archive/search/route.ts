import { z } from "zod";
import { apiRoute } from "@/app/_server/api-route";
import { searchArchivedMessages, utcDayRangeOf } from "@/lib/archive/search-archived-messages";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";

const querySchema = z.object({
  mailbox: z.string().trim().min(1).max(320),
  folder: z.string().trim().min(1).max(200).optional(),
  connectorId: z.uuid().optional(),
  participant: z.string().optional(),
  room: z.string().optional(),
  q: z.string().optional(),
  from: z.string().optional(),
  to: z.string().optional(),
  cursor: z.string().max(400).optional(),
  pageSize: z.coerce.number().int().min(1).max(200).optional(),
});

/** The archive search as JSON: same parameters as the mailbox page (dates are UTC days, both included). */
export const GET = apiRoute(async ({ req }) => {
  const parsed = querySchema.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new AppError("validation_failed", `${issue.path.join(".") || "query"}: ${issue.message}`);
  }
  const { from, to, q, ...rest } = parsed.data;
  const page = await searchArchivedMessages(db(), { ...rest, text: q, ...utcDayRangeOf(from, to) });
  return Response.json(page, { headers: { "Cache-Control": "no-store" } });
});
