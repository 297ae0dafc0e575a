// npm run db:seed — the demo's users. Idempotent: re-running resets the demo admin's
// password to DEMO_ADMIN_PASSWORD so the printed credentials always work.
import { createUser, setUserPassword } from "@/lib/auth/create-user";
import { Role } from "@/lib/auth/roles";
import { db, disconnectDb } from "@/lib/db";
import { env } from "@/lib/env";
import { runCli } from "@/scripts/run-cli";

const actor = { id: null, label: "seed" };

runCli(async () => {
  const { DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD } = env();
  if (!DEMO_ADMIN_PASSWORD) throw new Error("DEMO_ADMIN_PASSWORD is not set; scripts/ensure-env.sh writes one into .env");
  const client = db();
  const demoUsers = [
    { email: DEMO_ADMIN_EMAIL, name: "Demo administrator", role: Role.MAILBOX_IMPORT_EXPORT },
    { email: DEMO_ADMIN_EMAIL.replace(/^[^@]+/, "viewer"), name: "Demo viewer", role: Role.VIEWER },
  ];
  for (const u of demoUsers) {
    const exists = await client.user.findUnique({ where: { email: u.email.toLowerCase() } });
    if (exists) await setUserPassword(client, { email: u.email, password: DEMO_ADMIN_PASSWORD, actor });
    else await createUser(client, { ...u, password: DEMO_ADMIN_PASSWORD, actor });
  }
  console.log(`demo users: ${demoUsers.map((u) => u.email).join(", ")} (password in .env: DEMO_ADMIN_PASSWORD)`);
  await disconnectDb();
});
