import { apiRoute } from "@/app/_server/api-route";
import { textDownload } from "@/app/_server/download";
import { db } from "@/lib/db";
import { ensurePlatformKey } from "@/lib/keys/platform-keys";
import { appKeyring } from "@/lib/secrets";

/** The installation's SSH public key (OpenSSH format), generated on first use. */
export const GET = apiRoute(async () => {
  const key = await ensurePlatformKey(db(), appKeyring(), "SSH");
  return textDownload(`${key.publicKey}\n`, "ice-chat-connector-ssh.pub");
});
