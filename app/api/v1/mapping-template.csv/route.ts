import { apiRoute } from "@/app/_server/api-route";
import { textDownload } from "@/app/_server/download";
import { MAPPING_TEMPLATE_CONTENT_TYPE, MAPPING_TEMPLATE_CSV, MAPPING_TEMPLATE_FILE_NAME } from "@/lib/mapping/mapping-template";

export const GET = apiRoute(async () => textDownload(MAPPING_TEMPLATE_CSV, MAPPING_TEMPLATE_FILE_NAME, MAPPING_TEMPLATE_CONTENT_TYPE));
