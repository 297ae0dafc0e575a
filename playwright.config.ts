import { defineConfig } from "@playwright/test";
import { applyTestEnv, E2E_PORT } from "./tests/support/test-env";

// Browser and HTTP specs against the production build (`next build` first; scripts/test.sh
// does it). Debian's chromium, never a downloaded browser.
applyTestEnv("iceconnector_e2e");
const baseURL = `http://127.0.0.1:${E2E_PORT}`;

export default defineConfig({
  testDir: "tests/e2e",
  outputDir: "test-results/playwright",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  reporter: [["list"]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
      ],
    },
  },
  webServer: {
    command: `npx next start -H 127.0.0.1 -p ${E2E_PORT}`,
    url: `${baseURL}/signin`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "pipe",
    stderr: "pipe",
    // The web app talks to no Graph emulator in these specs, so it keeps the production
    // default for Microsoft 365 endpoints (internal hosts refused); workers started by
    // specs allow them for the emulator (tests/support/worker-process.ts).
    env: {
      ...(process.env as Record<string, string>), NEXTAUTH_URL: baseURL, NEXT_TELEMETRY_DISABLED: "1", SFTP_ALLOWED_PORTS: "22,2222,10022",
      GRAPH_ALLOW_PRIVATE_NETWORKS: "false",
    },
  },
});
