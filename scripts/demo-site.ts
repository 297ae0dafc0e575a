// The demo's ICE Chat SFTP site (npm start runs it): a simulator on 127.0.0.1:2222 serving
// a generated day of chats, encrypted to this installation's platform PGP key and
// accepting its platform SSH key plus a password, exactly what the wizard's "keys
// provided by this service" option sets up. Prints what to type in the wizard.
import { existsSync } from "node:fs";
import { mkdir, readFile, utimes, writeFile } from "node:fs/promises";
import path from "node:path";
import { db, disconnectDb } from "@/lib/db";
import { env } from "@/lib/env";
import { ensurePlatformKey } from "@/lib/keys/platform-keys";
import { appKeyring } from "@/lib/secrets";
import { formatUserMappingCsv, generateDay } from "@/tests/support/ice-chat-generator";
import { generateUsableKeyPair } from "@/tests/support/sftp-server/generate-key-pair";
import { startSftpSimulator } from "@/tests/support/sftp-server";

const FIRM = "DEMO01";
const PORT = 2222;

async function main(): Promise<void> {
  const dir = path.resolve(env().DATA_DIR, "demo-site");
  const site = path.join(dir, "sftp");
  await mkdir(site, { recursive: true });
  const pgp = await ensurePlatformKey(db(), appKeyring(), "PGP");
  const ssh = await ensurePlatformKey(db(), appKeyring(), "SSH");
  await disconnectDb();

  // The day is generated once per platform key (a rotated key needs a new day).
  const marker = path.join(dir, `day-for-${pgp.fingerprint}.json`);
  if (!existsSync(marker)) {
    const day = await generateDay({
      outputDir: site, seed: 2026, date: new Date().toISOString().slice(0, 10), firmCode: FIRM,
      conversations: 40, totalMessages: 2000, files: 2, container: "gzip", attachmentRate: 0.03,
      pgp: { armoredPublicKey: pgp.publicKey },
    });
    // Recent files: the connector's daily window picks them up on Run now.
    const now = new Date();
    for (const f of day.files) await utimes(f.path, now, now);
    await writeFile(path.join(dir, "mapping.csv"), formatUserMappingCsv(day.manifest.users.slice(0, 4)));
    await writeFile(marker, JSON.stringify({ messages: day.manifest.totalMessages, files: day.files.map((f) => f.fileName) }));
  }
  const hostKeyFile = path.join(dir, "host_key");
  if (!existsSync(hostKeyFile)) await writeFile(hostKeyFile, generateUsableKeyPair("ed25519", { comment: "demo-sftp" }).private, { mode: 0o600 });
  const password = (await readFile(path.join(dir, "password")).catch(() => null))?.toString() ?? crypto.randomUUID().slice(0, 13);
  await writeFile(path.join(dir, "password"), password, { mode: 0o600 });

  const sim = await startSftpSimulator({
    root: site, firmCode: FIRM, password, authorizedPublicKeys: [ssh.publicKey], requireBoth: true,
    hostKey: await readFile(hostKeyFile, "utf8"), host: "127.0.0.1", port: PORT,
  });
  const { messages } = JSON.parse(await readFile(marker, "utf8")) as { messages: number };
  console.log(
    [
      "",
      `  Demo ICE Chat SFTP site: ${messages} chat messages waiting. In the wizard (I want to use PGP and SSH public keys provided by this service):`,
      `    SFTP URL 127.0.0.1   SFTP port ${PORT}   Firm code ${FIRM}   Password ${password}`,
      `    Host key to confirm: ${sim.hostKeyFingerprint}`,
      `    Optional mapping file: ${path.join(dir, "mapping.csv")}`,
      "",
    ].join("\n"),
  );
  const stop = () => void sim.stop().finally(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
