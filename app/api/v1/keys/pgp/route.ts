import { apiRoute } from "@/app/_server/api-route";
import { textDownload } from "@/app/_server/download";
import { db } from "@/lib/db";
import { ensurePlatformKey } from "@/lib/keys/platform-keys";
import { appKeyring } from "@/lib/secrets";

/** The installation's OpenPGP public key (armored), generated on first use. */
export const GET = apiRoute(async () => {
  const key = await ensurePlatformKey(db(), appKeyring(), "PGP");
  return textDownload(key.publicKey, "ice-chat-connector-pgp.asc", "application/pgp-keys");
});
