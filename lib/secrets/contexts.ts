import type { RecordContext } from "@/lib/secrets/envelope";

/** Associated-data contexts: one per record that owns secrets. */
export const secretContext = {
  connector: (id: string): RecordContext => `Connector:${id}`,
  platformKey: (id: string): RecordContext => `PlatformKeyPair:${id}`,
  setting: (key: string): RecordContext => `Setting:${key}`,
};
