// Starts the ICE Chat SFTP simulator for demos and manual testing:
//   npx tsx tests/support/sftp-server/cli.ts --root ./demo/sftp --firm-code ACME --password secret [--port 2222]
//     [--authorized-key ~/.ssh/id_ed25519.pub] [--require-both] [--host-key-file .demo/sftp_host_key]
// Stops on SIGINT / SIGTERM.

import { existsSync, promises as fs } from "node:fs";
import { parseArgs } from "node:util";
import { generateUsableKeyPair } from "./generate-key-pair";
import { startSftpSimulator } from "./start-sftp-simulator";

async function loadHostKey(file: string | undefined): Promise<string | undefined> {
  if (!file) return undefined;
  // A persistent host key keeps the fingerprint the admin pinned valid across restarts.
  if (existsSync(file)) return fs.readFile(file, "utf8");
  const generated = generateUsableKeyPair("ed25519", { comment: "ice-chat-sftp-simulator" }).private;
  await fs.writeFile(file, generated, { mode: 0o600 });
  return generated;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      root: { type: "string" },
      "firm-code": { type: "string" },
      password: { type: "string" },
      "authorized-key": { type: "string", multiple: true },
      "require-both": { type: "boolean", default: false },
      "keyboard-interactive": { type: "boolean", default: false },
      "host-key-file": { type: "string" },
      host: { type: "string", default: "127.0.0.1" },
      port: { type: "string", default: "0" },
    },
  });
  if (!values.root || !values["firm-code"]) {
    console.error("usage: cli.ts --root DIR --firm-code CODE [--password PW] [--authorized-key FILE.pub]... [--require-both] [--keyboard-interactive] [--host-key-file FILE] [--port N]");
    process.exit(2);
  }
  const keyFiles = values["authorized-key"] ?? [];
  const authorizedPublicKeys = await Promise.all(keyFiles.map(async (file) => (await fs.readFile(file, "utf8")).trim()));

  const simulator = await startSftpSimulator({
    root: values.root,
    firmCode: values["firm-code"],
    password: values.password,
    authorizedPublicKeys,
    requireBoth: values["require-both"],
    passwordMethod: values["keyboard-interactive"] ? "keyboard-interactive" : "password",
    hostKey: await loadHostKey(values["host-key-file"]),
    host: values.host,
    port: Number(values.port),
  });

  console.log(
    JSON.stringify(
      {
        host: simulator.host,
        port: simulator.port,
        username: values["firm-code"],
        root: values.root,
        hostKeyAlgorithm: simulator.hostKeyAlgorithm,
        hostKeyFingerprint: simulator.hostKeyFingerprint,
        hostPublicKey: simulator.hostPublicKey,
      },
      null,
      2,
    ),
  );

  const shutdown = () => {
    void simulator.stop().then(() => process.exit(0));
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
