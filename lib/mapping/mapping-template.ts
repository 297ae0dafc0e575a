// The template the wizard offers for download. CSV has no comment syntax, so the file is
// the header plus two example rows that show the shape (ICE id -> Microsoft 365 mailbox).
export const MAPPING_TEMPLATE_FILE_NAME = "ice-chat-user-mapping.csv";
export const MAPPING_TEMPLATE_CONTENT_TYPE = "text/csv; charset=utf-8";

// CRLF because Excel, the usual editor for this file, writes and expects it.
export const MAPPING_TEMPLATE_CSV = [
  "ImId,Mailbox",
  "jsmith@ice.example,john.smith@contoso.example",
  "alee@ice.example,ann.lee@contoso.example",
  "",
].join("\r\n");
