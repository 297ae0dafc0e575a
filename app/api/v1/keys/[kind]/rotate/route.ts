import { apiRoute } from "@/app/_server/api-route";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { rotatePlatformKey } from "@/lib/keys/platform-keys";
import { appKeyring } from "@/lib/secrets";

/** Generates a new platform key pair; the old PGP key keeps decrypting files already encrypted to it. */
export const POST = apiRoute<{ kind: string }>(async ({ params, user }) => {
  const kind = params.kind === "ssh" ? "SSH" : params.kind === "pgp" ? "PGP" : null;
  if (!kind) throw new AppError("not_found", "Key kind must be ssh or pgp.");
  const key = await rotatePlatformKey(db(), appKeyring(), kind, { id: user.id, label: user.email });
  return Response.json({ key }, { status: 201 });
});
