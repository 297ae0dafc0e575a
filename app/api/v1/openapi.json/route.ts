import { apiRoute } from "@/app/_server/api-route";
import { openApiDocument } from "@/lib/connectors/openapi-document";

export const GET = apiRoute(async () => Response.json(openApiDocument()));
