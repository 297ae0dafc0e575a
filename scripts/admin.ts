// npm run admin -- <command> [--flags]: operator tasks that must work without the web UI.
import { parseArgs } from "node:util";
import { createApiToken } from "@/lib/auth/api-tokens";
import { createUser, setUserPassword, setUserRole } from "@/lib/auth/create-user";
import { parseRole, Role } from "@/lib/auth/roles";
import { verifyAuditChain } from "@/lib/audit/verify-audit-chain";
import { db, disconnectDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { appKeyring } from "@/lib/secrets";
import { masterKeysInUse, rotateMasterKey } from "@/lib/secrets/rotate-master-key";
import { runCli } from "@/scripts/run-cli";
import { randomBytes } from "node:crypto";

const USAGE = `usage: npm run admin -- <command> [options]

  create-user   --email E [--password P] [--name N] [--role mailbox-import-export|viewer]
                (no --password: a random one is generated and printed once)
  set-role      --email E --role mailbox-import-export|viewer
  set-password  --email E --password P
  create-token  --user E --name N [--expires-days D]   (prints the token once)
  verify-audit  checks the audit log's hash chain; exit 1 if broken
  rotate-master-key
                re-wraps every stored data key under APP_ENCRYPTION_KEY; run after moving
                the old key to APP_ENCRYPTION_PREVIOUS_KEYS
  master-keys   lists the master key ids stored records still depend on`;

const actor = { id: null, label: "cli" };

function need(value: string | undefined, flag: string): string {
  if (!value) throw new AppError("validation_failed", `missing --${flag}\n\n${USAGE}`);
  return value;
}

function role(value: string | undefined): Role {
  const r = parseRole(value ?? "mailbox-import-export");
  if (!r) throw new AppError("validation_failed", `unknown role "${value}": use mailbox-import-export or viewer`);
  return r;
}

runCli(async () => {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      email: { type: "string" },
      user: { type: "string" },
      password: { type: "string" },
      name: { type: "string" },
      role: { type: "string" },
      "expires-days": { type: "string" },
    },
  });
  const client = db();
  try {
    switch (positionals[0]) {
      case "create-user": {
        const password = values.password ?? randomBytes(12).toString("base64url");
        const user = await createUser(client, { email: need(values.email, "email"), name: values.name, password, role: role(values.role), actor });
        console.log(`created ${user.email} (${user.role})`);
        if (!values.password) console.log(`password: ${password}`);
        break;
      }
      case "set-role": {
        const user = await setUserRole(client, { email: need(values.email, "email"), role: role(need(values.role, "role")), actor });
        console.log(`${user.email} is now ${user.role}`);
        break;
      }
      case "set-password":
        await setUserPassword(client, { email: need(values.email, "email"), password: need(values.password, "password"), actor });
        console.log("password updated");
        break;
      case "create-token": {
        const email = need(values.user, "user").trim().toLowerCase();
        const user = await client.user.findUnique({ where: { email } });
        if (!user) throw new AppError("not_found", `No user with e-mail ${email}.`);
        const days = values["expires-days"] ? Number(values["expires-days"]) : undefined;
        if (days !== undefined && !(days > 0)) throw new AppError("validation_failed", "--expires-days must be a positive number");
        const { token } = await createApiToken(client, {
          userId: user.id,
          name: need(values.name, "name"),
          expiresAt: days ? new Date(Date.now() + days * 86_400_000) : undefined,
          actor,
        });
        console.log(token);
        break;
      }
      case "verify-audit": {
        const report = await verifyAuditChain(client);
        for (const p of report.problems) console.error(`entry ${p.seq}: ${p.problem}`);
        console.log(`${report.entries} entries, chain ${report.ok ? "intact" : "BROKEN"}, head ${report.headHash}`);
        if (!report.ok) process.exitCode = 1;
        break;
      }
      case "rotate-master-key": {
        const r = await rotateMasterKey(client, appKeyring());
        console.log(`re-wrapped ${r.rewrapped} data keys, ${r.alreadyCurrent} already under the current master key`);
        for (const f of r.failed) console.error(`${f.record}: ${f.reason}`);
        if (r.failed.length > 0) process.exitCode = 1;
        break;
      }
      case "master-keys":
        for (const [id, n] of await masterKeysInUse(client)) console.log(`${id}\t${n} records${id === appKeyring().current.id ? "\t(current)" : ""}`);
        break;
      default:
        throw new AppError("validation_failed", USAGE);
    }
  } finally {
    await disconnectDb();
  }
  if (process.exitCode) process.exit(process.exitCode);
});
