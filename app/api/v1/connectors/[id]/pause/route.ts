import { actorOf } from "@/app/api/v1/_lib/actor";
import { idOf } from "@/app/api/v1/_lib/request-body";
import { requestScheduleSyncSafely } from "@/app/api/v1/_lib/schedule-sync";
import { apiRoute } from "@/app/_server/api-route";
import { getConnector } from "@/lib/connectors/get-connector";
import { pauseConnector } from "@/lib/connectors/pause-connector";
import { db } from "@/lib/db";

export const POST = apiRoute<{ id: string }>(async ({ user, params }) => {
  const id = idOf(params);
  await pauseConnector(db(), id, actorOf(user));
  await requestScheduleSyncSafely();
  return Response.json({ connector: await getConnector(db(), id) });
});
