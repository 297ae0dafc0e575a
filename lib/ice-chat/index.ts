// Public surface of the ICE Chat module: the shared types, the streaming parser, timestamps.
export * from "./types";
export { parseIceChatExport, type ExportInput, type IceChatExportParse } from "./parse-export";
export type { ChatItemError, ParseExportOptions, ParseStats, ParsedRecord } from "./parse-types";
export { ICE_CHAT_DIALECT, compileDialect, type CompiledDialect, type IceChatDialect } from "./dialect";
export { parseTimestamp, tryParseTimestamp } from "./timestamps";
