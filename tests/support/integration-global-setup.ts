import { applyTestEnv } from "./test-env";
import { resetDatabase } from "./reset-database";

export default async function setup(): Promise<void> {
  applyTestEnv("iceconnector_test");
  await resetDatabase(process.env.DATABASE_URL!);
}
