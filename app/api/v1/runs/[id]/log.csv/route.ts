import { idOf } from "@/app/api/v1/_lib/request-body";
import { apiRoute } from "@/app/_server/api-route";
import { textDownload } from "@/app/_server/download";
import { buildRunLogCsv, runLogFileName } from "@/lib/connectors/run-log-csv";
import { db } from "@/lib/db";
import { getRunDetail } from "@/lib/imports/get-run-detail";

// The download lists every row (the JSON view stops at 500 per section).
const LOG_ROW_LIMIT = 200_000;

export const GET = apiRoute<{ id: string }>(async ({ params }) => {
  const { run, connectorName } = await getRunDetail(db(), idOf(params, "Run"), LOG_ROW_LIMIT);
  return textDownload(buildRunLogCsv(run, connectorName), runLogFileName(run), "text/csv; charset=utf-8");
});
