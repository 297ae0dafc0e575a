import { apiRoute, readJson } from "@/app/_server/api-route";
import { graphEndpointPolicy } from "@/app/api/v1/_lib/guard-options";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { appKeyring } from "@/lib/secrets";
import { graphSettingsInputSchema } from "@/lib/settings/graph-settings-input";
import { resolveGraphTestConfig } from "@/lib/settings/graph-settings";
import { testGraphConnection } from "@/lib/settings/test-graph-connection";

// Tests the saved settings (empty body) or unsaved values from the form; a blank secret
// means the stored one. POST, so it needs the Mailbox Import Export role like any change.
export const POST = apiRoute(async ({ req }) => {
  const body = await readJson(req, graphSettingsInputSchema, 16 * 1024);
  const config = await resolveGraphTestConfig(db(), appKeyring(), body, env(), graphEndpointPolicy());
  return Response.json({ result: await testGraphConnection(config, {}, { timeoutMs: 20_000 }) });
});
