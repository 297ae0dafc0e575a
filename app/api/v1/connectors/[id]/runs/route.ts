import { actorOf } from "@/app/api/v1/_lib/actor";
import { idOf, readBody, readQuery } from "@/app/api/v1/_lib/request-body";
import { apiRoute } from "@/app/_server/api-route";
import { listRunsQuerySchema, startRunSchema } from "@/lib/connectors/api-schemas";
import { toRunView } from "@/lib/connectors/connector-view";
import { db } from "@/lib/db";
import { listRuns } from "@/lib/imports/list-runs";
import { requestRun } from "@/lib/imports/request-run";
import { enqueueRun } from "@/lib/queue";

type Params = { id: string };

export const GET = apiRoute<Params>(async ({ req, params }) => {
  const { limit } = readQuery(req, listRunsQuerySchema);
  return Response.json({ runs: await listRuns(db(), idOf(params), limit) });
});

/** Run now, or a backfill when both from and to are given. */
export const POST = apiRoute<Params>(async ({ req, user, params }) => {
  const connectorId = idOf(params);
  const body = await readBody(req, startRunSchema);
  const backfill = body.from !== undefined || body.to !== undefined;
  const run = await requestRun(
    db(),
    {
      connectorId,
      trigger: backfill ? "BACKFILL" : "MANUAL",
      windowFrom: body.from ? new Date(body.from) : undefined,
      windowTo: body.to ? new Date(body.to) : undefined,
      limitApproved: body.approveLimit ?? false,
      requestedById: user.id,
      actor: actorOf(user),
    },
    enqueueRun,
  );
  return Response.json({ run: toRunView(run) }, { status: 202 });
});
