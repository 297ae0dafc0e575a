import { idOf, readQuery } from "@/app/api/v1/_lib/request-body";
import { apiRoute } from "@/app/_server/api-route";
import { dailyImportsQuerySchema } from "@/lib/connectors/api-schemas";
import { dailyImports } from "@/lib/connectors/daily-imports";
import { db } from "@/lib/db";

export const GET = apiRoute<{ id: string }>(async ({ req, params }) => {
  const { days } = readQuery(req, dailyImportsQuerySchema);
  return Response.json(await dailyImports(db(), idOf(params), days));
});
