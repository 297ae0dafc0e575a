import { readCsvBody } from "@/app/api/v1/_lib/request-body";
import { apiRoute } from "@/app/_server/api-route";
import { previewMapping } from "@/lib/connectors/preview-mapping";

/** Body: the raw CSV (text/csv). Nothing is stored. */
export const POST = apiRoute(async ({ req }) => Response.json(previewMapping(await readCsvBody(req))));
