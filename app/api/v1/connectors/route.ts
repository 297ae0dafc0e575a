import { actorOf } from "@/app/api/v1/_lib/actor";
import { readBody } from "@/app/api/v1/_lib/request-body";
import { requestScheduleSyncSafely } from "@/app/api/v1/_lib/schedule-sync";
import { apiRoute } from "@/app/_server/api-route";
import { createConnectorBodySchema } from "@/lib/connectors/api-schemas";
import { createConnector } from "@/lib/connectors/create-connector";
import { getConnector } from "@/lib/connectors/get-connector";
import { listConnectorViews } from "@/lib/connectors/list-connector-views";
import { db } from "@/lib/db";
import { appKeyring } from "@/lib/secrets";

// Create carries an optional mapping CSV (up to 5 MiB) inside the JSON.
const MAX_CREATE_BYTES = 6 * 1024 * 1024;

export const GET = apiRoute(async () => Response.json({ connectors: await listConnectorViews(db()) }));

export const POST = apiRoute(async ({ req, user }) => {
  const body = await readBody(req, createConnectorBodySchema, MAX_CREATE_BYTES);
  const { id } = await createConnector(db(), appKeyring(), body, actorOf(user));
  await requestScheduleSyncSafely();
  return Response.json({ connector: await getConnector(db(), id) }, { status: 201 });
});
