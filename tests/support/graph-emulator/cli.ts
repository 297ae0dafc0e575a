// Starts the Microsoft Graph emulator for demos and Playwright specs:
//   npx tsx tests/support/graph-emulator/cli.ts [--port 8443] [--cert-dir .demo/graph-tls]
//     [--tenant-id GUID] [--client-id GUID] [--client-secret S]
//     [--user alice@contoso.com]... [--user-without-mailbox onprem@contoso.com]...
//     [--service-time-ms 15] [--budget 10000] [--budget-window-ms 600000]
// Prints the connection details as JSON. Processes that call it must trust the certificate:
// start them with NODE_EXTRA_CA_CERTS=<certPath>. Stops on SIGINT / SIGTERM.

import { parseArgs } from "node:util";
import { startGraphEmulator } from "./start-graph-emulator";
import type { EmulatorUserConfig } from "./types";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "0" },
      "cert-dir": { type: "string" },
      "tenant-id": { type: "string" },
      "client-id": { type: "string" },
      "client-secret": { type: "string" },
      user: { type: "string", multiple: true },
      "user-without-mailbox": { type: "string", multiple: true },
      "service-time-ms": { type: "string" },
      budget: { type: "string" },
      "budget-window-ms": { type: "string" },
    },
  });
  const users: EmulatorUserConfig[] = [
    ...(values.user ?? []).map((upn) => ({ userPrincipalName: upn })),
    ...(values["user-without-mailbox"] ?? []).map((upn) => ({ userPrincipalName: upn, mailboxEnabled: false })),
  ];
  const limits: Record<string, number> = {};
  if (values["service-time-ms"]) limits.serviceTimeMs = Number(values["service-time-ms"]);
  if (values.budget) limits.requestBudgetPerWindow = Number(values.budget);
  if (values["budget-window-ms"]) limits.budgetWindowMs = Number(values["budget-window-ms"]);
  const emulator = await startGraphEmulator({
    port: Number(values.port),
    certDir: values["cert-dir"],
    tenantId: values["tenant-id"],
    clientId: values["client-id"],
    clientSecret: values["client-secret"],
    users,
    limits,
  });
  console.log(
    JSON.stringify(
      {
        baseUrl: emulator.baseUrl,
        graphBaseUrl: emulator.graphBaseUrl,
        authorityHost: emulator.authorityHost,
        customHosts: [emulator.graphHostName],
        tenantId: emulator.tenantId,
        clientId: emulator.clientId,
        clientSecret: emulator.clientSecret,
        certPath: emulator.certPath,
        controlApi: `${emulator.baseUrl}/_emulator/`,
        users: emulator.users(),
      },
      null,
      2,
    ),
  );
  const shutdown = () => {
    void emulator.stop().then(() => process.exit(0));
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
