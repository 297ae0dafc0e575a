import { actorOf } from "@/app/api/v1/_lib/actor";
import { readBody } from "@/app/api/v1/_lib/request-body";
import { apiRoute } from "@/app/_server/api-route";
import { acceptTermsSchema } from "@/lib/connectors/api-schemas";
import { acceptTerms } from "@/lib/connectors/accept-terms";
import { db } from "@/lib/db";

export const POST = apiRoute(async ({ req, user }) => {
  const body = await readBody(req, acceptTermsSchema);
  await acceptTerms(db(), body.connectorType, actorOf(user));
  return new Response(null, { status: 204 });
});
