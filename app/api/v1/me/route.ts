import { apiRoute } from "@/app/_server/api-route";
import { canManageConnectors } from "@/lib/auth/roles";

export const GET = apiRoute(async ({ user, method }) =>
  Response.json({ user: { ...user, canManageConnectors: canManageConnectors(user) }, authenticatedBy: method }),
);
