import { readQuery } from "@/app/api/v1/_lib/request-body";
import { apiRoute } from "@/app/_server/api-route";
import { nameAvailableQuerySchema } from "@/lib/connectors/api-schemas";
import { isConnectorNameAvailable } from "@/lib/connectors/check-name-available";
import { db } from "@/lib/db";

export const GET = apiRoute(async ({ req }) => {
  const q = readQuery(req, nameAvailableQuerySchema);
  return Response.json({ available: await isConnectorNameAvailable(db(), q.name, q.excludeId) });
});
