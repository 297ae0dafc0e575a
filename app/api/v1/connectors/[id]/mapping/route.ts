import { actorOf } from "@/app/api/v1/_lib/actor";
import { idOf, readCsvBody } from "@/app/api/v1/_lib/request-body";
import { apiRoute } from "@/app/_server/api-route";
import { replaceMapping } from "@/lib/connectors/replace-mapping";
import { db } from "@/lib/db";

/** Body: the raw CSV (text/csv). All rows or none. */
export const PUT = apiRoute<{ id: string }>(async ({ req, user, params }) => {
  const id = idOf(params);
  const csv = await readCsvBody(req);
  return Response.json(await replaceMapping(db(), id, csv, actorOf(user)));
});
