import { idOf } from "@/app/api/v1/_lib/request-body";
import { apiRoute } from "@/app/_server/api-route";
import { db } from "@/lib/db";
import { getRunDetail } from "@/lib/imports/get-run-detail";

export const GET = apiRoute<{ id: string }>(async ({ params }) => {
  const { run } = await getRunDetail(db(), idOf(params, "Run"));
  return Response.json({ run });
});
