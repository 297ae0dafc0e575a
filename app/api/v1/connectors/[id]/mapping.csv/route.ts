import { idOf } from "@/app/api/v1/_lib/request-body";
import { apiRoute } from "@/app/_server/api-route";
import { textDownload } from "@/app/_server/download";
import { exportMappingCsv } from "@/lib/connectors/export-mapping-csv";
import { db } from "@/lib/db";
import { MAPPING_TEMPLATE_CONTENT_TYPE } from "@/lib/mapping/mapping-template";

export const GET = apiRoute<{ id: string }>(async ({ params }) =>
  textDownload(await exportMappingCsv(db(), idOf(params)), "ice-chat-user-mapping.csv", MAPPING_TEMPLATE_CONTENT_TYPE),
);
