import { apiRoute } from "@/app/_server/api-route";
import { textDownload } from "@/app/_server/download";
import { env } from "@/lib/env";
import { renderEgressIpFile } from "@/lib/keys/egress-ip-file";

export const GET = apiRoute(async () => textDownload(renderEgressIpFile(env().CONNECTOR_EGRESS_IPS), "ice-chat-connector-ip-addresses.txt"));
