// Deterministic ICE Chat day-export generator for tests and benchmarks.
export { generateDay } from "./generate-day";
export type { DayContainer, DayManifest, GenerateDayOptions, GeneratedDay, GeneratedFile, GeneratedUser, SampleItem } from "./generate-day";
export { formatUserMappingCsv, writeUserMappingCsv, type UserMappingCsvOptions } from "./user-mapping-csv";
export { createPrng, type Prng } from "./prng";
export { escapeXml } from "./xml-escape";
