import { actorOf } from "@/app/api/v1/_lib/actor";
import { idOf, readBody } from "@/app/api/v1/_lib/request-body";
import { requestScheduleSyncSafely } from "@/app/api/v1/_lib/schedule-sync";
import { apiRoute } from "@/app/_server/api-route";
import { deleteConnectorSchema, updateConnectorSchema } from "@/lib/connectors/api-schemas";
import { deleteConnector } from "@/lib/connectors/delete-connector";
import { getConnector } from "@/lib/connectors/get-connector";
import { updateConnector } from "@/lib/connectors/update-connector";
import { db } from "@/lib/db";
import { appKeyring } from "@/lib/secrets";

type Params = { id: string };
const MAX_UPDATE_BYTES = 6 * 1024 * 1024;

export const GET = apiRoute<Params>(async ({ params }) => Response.json({ connector: await getConnector(db(), idOf(params)) }));

export const PATCH = apiRoute<Params>(async ({ req, user, params }) => {
  const id = idOf(params);
  const body = await readBody(req, updateConnectorSchema, MAX_UPDATE_BYTES);
  await updateConnector(db(), appKeyring(), id, body, actorOf(user));
  await requestScheduleSyncSafely();
  return Response.json({ connector: await getConnector(db(), id) });
});

export const DELETE = apiRoute<Params>(async ({ req, user, params }) => {
  const id = idOf(params);
  const body = await readBody(req, deleteConnectorSchema);
  await deleteConnector(db(), id, body.confirmName, actorOf(user));
  await requestScheduleSyncSafely();
  return new Response(null, { status: 204 });
});
