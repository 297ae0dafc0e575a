import { sftpGuardOptions } from "@/app/api/v1/_lib/guard-options";
import { readBody } from "@/app/api/v1/_lib/request-body";
import { apiRoute } from "@/app/_server/api-route";
import { validateConnectionSchema } from "@/lib/connectors/api-schemas";
import { validateConnectorConnection } from "@/lib/connectors/validate-connector-connection";
import { db } from "@/lib/db";
import { appKeyring } from "@/lib/secrets";

// A failed check is data for the wizard (200 with ok: false), not an HTTP error.
export const POST = apiRoute(async ({ req }) => {
  const body = await readBody(req, validateConnectionSchema, 512 * 1024);
  return Response.json(await validateConnectorConnection(db(), appKeyring(), body, sftpGuardOptions()));
});
