import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { TEST_ADMIN } from "../support/test-env";
import { cleanUpConnectors, closeE2eDb, ensurePlatformPgpKey, platformSshPublicKey, startSftpSite, tokenFor, type SftpSite } from "./api-support";
import { ROOT } from "./helpers";

// Runs every ```sh example in docs/api.md with the real curl against the test server, in
// document order, and checks the status (and body excerpt) each example promises in its
// "# → STATUS [excerpt]" comment. Ids from responses feed the later examples, as a reader
// would copy them.

const CURL = "/usr/bin/curl";
const SFTP_PORT = 10022;
const FIRM_CODE = "DOCS01";
const SFTP_PASSWORD = "curl-docs-S3cret-pw";
const CONNECTOR_NAME = "Acme ICE Chat";

interface Example {
  index: number;
  script: string;
  status: number;
  excerpt: string | null;
}

function readExamples(): Example[] {
  const markdown = readFileSync(path.join(ROOT, "docs", "api.md"), "utf8");
  const examples: Example[] = [];
  for (const match of markdown.matchAll(/^```sh\n([\s\S]*?)^```$/gm)) {
    const script = match[1]!;
    const expected = /^# → (\d{3})(?: (.+))?$/m.exec(script);
    if (!expected) throw new Error(`docs/api.md example #${examples.length + 1} has no "# → STATUS" line:\n${script}`);
    examples.push({ index: examples.length + 1, script, status: Number(expected[1]), excerpt: expected[2]?.trim() ?? null });
  }
  return examples;
}

/** Asynchronous on purpose: the SFTP simulator runs in this process and must keep answering. */
function runScript(script: string, cwd: string, env: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", ["-c", script], { cwd, env: env as unknown as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), 150_000);
    child.on("error", reject);
    child.on("close", (status: number | null) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

let site: SftpSite | undefined;
let workDir: string | undefined;

test.describe.configure({ mode: "serial" });

test.afterAll(async () => {
  await cleanUpConnectors([CONNECTOR_NAME]);
  await site?.stop();
  if (workDir) await rm(workDir, { recursive: true, force: true });
  await closeE2eDb();
});

test("docs/api.md has runnable curl examples for every endpoint", () => {
  const examples = readExamples();
  expect(examples.length).toBeGreaterThanOrEqual(20);
  const text = examples.map((e) => e.script).join("\n");
  for (const needle of [
    "/api/v1/connectors\"", "/name-available", "/connectors/validate", "/connectors/$CONNECTOR_ID\"", "/pause", "/resume", "/mapping\"", "/mapping.csv",
    "/mapping/preview", "/mapping-template.csv", "/runs\"", "/runs?limit", "/runs/$RUN_ID\"", "/log.csv", "/daily-imports", "/keys/check", "/terms/accept",
    "/openapi.json", "-X DELETE", "-X PATCH", "/keys/ssh", "/keys/pgp", "/keys/ip",
  ]) {
    expect(text, needle).toContain(needle);
  }
});

test("every curl example in docs/api.md works as documented", async ({ request }) => {
  test.skip(!existsSync(CURL), "curl is not installed");
  test.setTimeout(300_000);
  const token = await tokenFor(TEST_ADMIN, "docs examples");
  // Platform keys first: the SFTP site must know the platform SSH key before validation.
  const sshKey = await platformSshPublicKey(request, token);
  await ensurePlatformPgpKey(request, token);
  site = await startSftpSite(SFTP_PORT, { firmCode: FIRM_CODE, password: SFTP_PASSWORD, authorizedPublicKeys: [sshKey] }, { "outgoing/readme.txt": "not a chat export\n" });
  workDir = await mkdtemp(path.join(os.tmpdir(), "api-curl-"));
  await writeFile(path.join(workDir, "mapping.csv"), "ImId,Mailbox\r\njsmith@ice.example,john.smith@contoso.example\r\nalee@ice.example,ann.lee@contoso.example\r\n");

  const vars: Record<string, string> = {
    BASE: "http://127.0.0.1:3100",
    TOKEN: token,
    SFTP_HOST: "127.0.0.1",
    SFTP_PORT: String(SFTP_PORT),
    FIRM_CODE,
    SFTP_PASSWORD,
    CONNECTOR_ID: "",
    RUN_ID: "",
  };
  // The wrapper adds only what the test needs to read the outcome: the status code on a last line.
  const prelude = `set -euo pipefail\ncurl() { command ${CURL} -sS --max-time 120 -w '\\n%{http_code}' "$@"; }\n`;

  for (const example of readExamples()) {
    const result = await runScript(prelude + example.script, workDir, { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: workDir, ...vars });
    const where = `docs/api.md example #${example.index}:\n${example.script}\nstderr: ${result.stderr}`;
    expect(result.status, where).toBe(0);
    const lines = result.stdout.replace(/\n$/, "").split("\n");
    const status = Number(lines.pop());
    const body = lines.join("\n");
    expect(status, `${where}\nbody: ${body}`).toBe(example.status);
    if (example.excerpt) expect(body, where).toContain(example.excerpt);
    // No response may carry a secret, including the SFTP password every example sends.
    expect(body, where).not.toContain(SFTP_PASSWORD);

    if (body.startsWith("{")) {
      const json = JSON.parse(body) as { connector?: { id?: string }; run?: { id?: string } };
      if (json.connector?.id) vars.CONNECTOR_ID = json.connector.id;
      if (json.run?.id) vars.RUN_ID = json.run.id;
    }
  }

  // The download examples wrote real files.
  expect(await readFile(path.join(workDir, "ice-chat-user-mapping.csv"), "utf8")).toMatch(/^ImId,Mailbox/);
  expect(await readFile(path.join(workDir, "ice-chat-connector-ssh.pub"), "utf8")).toContain(sshKey.split(" ")[1]!);
  expect(await readFile(path.join(workDir, "ice-chat-connector-pgp.asc"), "utf8")).toContain("BEGIN PGP PUBLIC KEY BLOCK");
  expect(await readFile(path.join(workDir, "run-log.csv"), "utf8")).toContain("Summary");
  expect(vars.CONNECTOR_ID).not.toBe("");
  // The delete example ran last: the connector is gone and its name is free.
  const gone = await request.get(`/api/v1/connectors/${vars.CONNECTOR_ID}`, { headers: { Authorization: `Bearer ${token}` } });
  expect(gone.status()).toBe(404);
});
