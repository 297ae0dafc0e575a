import { readBody } from "@/app/api/v1/_lib/request-body";
import { apiRoute } from "@/app/_server/api-route";
import { checkKeysSchema } from "@/lib/connectors/api-schemas";
import { checkKeys } from "@/lib/connectors/check-keys";

export const POST = apiRoute(async ({ req }) => Response.json(await checkKeys(await readBody(req, checkKeysSchema, 512 * 1024))));
