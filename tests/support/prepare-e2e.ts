// Run by scripts/test.sh before Playwright starts the web server: a fresh e2e database
// with the users the specs sign in as.
import { createUser } from "@/lib/auth/create-user";
import { Role } from "@/lib/auth/roles";
import { db, disconnectDb } from "@/lib/db";
import { resetDatabase } from "./reset-database";
import { applyTestEnv, TEST_ADMIN, TEST_PASSWORD, TEST_VIEWER } from "./test-env";

applyTestEnv("iceconnector_e2e");

async function main(): Promise<void> {
  await resetDatabase(process.env.DATABASE_URL!);
  const actor = { id: null, label: "e2e-setup" };
  await createUser(db(), { email: TEST_ADMIN, password: TEST_PASSWORD, role: Role.MAILBOX_IMPORT_EXPORT, actor });
  await createUser(db(), { email: TEST_VIEWER, password: TEST_PASSWORD, role: Role.VIEWER, actor });
  await disconnectDb();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
