import { z } from "zod";
import { apiRoute, readJson } from "@/app/_server/api-route";
import { createApiToken, listApiTokens } from "@/lib/auth/api-tokens";
import { db } from "@/lib/db";

const createTokenBody = z.object({
  name: z.string().trim().min(1).max(100),
  expiresAt: z.iso.datetime().optional(),
});

export const GET = apiRoute(async ({ user }) => Response.json({ tokens: await listApiTokens(db(), user.id) }));

export const POST = apiRoute(async ({ req, user }) => {
  const body = await readJson(req, createTokenBody);
  const { token, summary } = await createApiToken(db(), {
    userId: user.id,
    name: body.name,
    expiresAt: body.expiresAt ? new Date(body.expiresAt) : undefined,
    actor: { id: user.id, label: user.email },
  });
  // The only response that ever carries the token: it is stored hashed.
  return Response.json({ token, tokenInfo: summary }, { status: 201 });
});
