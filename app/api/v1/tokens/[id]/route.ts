import { z } from "zod";
import { apiRoute } from "@/app/_server/api-route";
import { revokeApiToken } from "@/lib/auth/api-tokens";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";

export const DELETE = apiRoute<{ id: string }>(async ({ user, params }) => {
  const id = z.uuid().safeParse(params.id);
  if (!id.success) throw new AppError("not_found", "No active token with that id.");
  await revokeApiToken(db(), { id: id.data, userId: user.id, actor: { id: user.id, label: user.email } });
  return new Response(null, { status: 204 });
});
