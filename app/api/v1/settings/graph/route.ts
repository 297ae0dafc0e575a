import { apiRoute, readJson } from "@/app/_server/api-route";
import { graphEndpointPolicy } from "@/app/api/v1/_lib/guard-options";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { appKeyring } from "@/lib/secrets";
import { graphSettingsInputSchema } from "@/lib/settings/graph-settings-input";
import { clearGraphSettings, getGraphSettingsView, saveGraphSettings } from "@/lib/settings/graph-settings";

// The Microsoft 365 app registration. Responses carry `hasClientSecret`, never the secret.

export const GET = apiRoute(async () => Response.json({ settings: await getGraphSettingsView(db(), env()) }));

export const PUT = apiRoute(async ({ req, user }) => {
  const body = await readJson(req, graphSettingsInputSchema, 16 * 1024);
  await saveGraphSettings(db(), appKeyring(), body, { id: user.id, label: user.email }, graphEndpointPolicy());
  return Response.json({ settings: await getGraphSettingsView(db(), env()) });
});

export const DELETE = apiRoute(async ({ user }) => {
  await clearGraphSettings(db(), { id: user.id, label: user.email });
  return Response.json({ settings: await getGraphSettingsView(db(), env()) });
});
