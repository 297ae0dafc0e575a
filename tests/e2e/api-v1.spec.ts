import * as openpgp from "openpgp";
import { expect, request as playwrightRequest, test, type APIRequestContext, type APIResponse } from "@playwright/test";
import { generatePgpKey } from "@/lib/keys/generate-pgp-key";
import { generateUsableKeyPair } from "@/tests/support/sftp-server";
import { TEST_ADMIN, TEST_PASSWORD, TEST_VIEWER } from "../support/test-env";
import { cleanUpConnectors, closeE2eDb, e2eDb, ensurePlatformPgpKey, platformSshPublicKey, startSftpSite, tokenFor, type SftpSite } from "./api-support";
import { signInApi } from "./helpers";

// The REST API v1 contract, endpoint by endpoint, with a bearer token (automation) and a
// viewer session. Every response body is recorded and checked at the end for the secrets
// this spec submitted. The connectors created here are deleted again (sign-in.spec.ts
// expects an empty list).

const BASE = "http://127.0.0.1:3100";
const SFTP_PORT = 2222;
const FIRM = "APIV1";
const PASSWORD = "v1-sftp-Pa55word-zebra";
const WRONG_PASSWORD = "v1-wrong-password-yak";
const SSH_PASSPHRASE = "v1-ssh-passphrase-otter";
const NAMES = ["API v1 Platform", "API v1 Own", "API v1 renamed", "api v1 platform"];
const BAD_FORMULA = '=HYPERLINK("http://x")';

const secrets: string[] = [PASSWORD, WRONG_PASSWORD, SSH_PASSPHRASE];
const bodies: { what: string; text: string }[] = [];

let admin: APIRequestContext;
let viewer: APIRequestContext;
let site: SftpSite;
let ownPgp: { privateKeyArmored: string; passphrase: string; fingerprint: string };
let ownSsh: { private: string; public: string };
let platformId = "";
let ownId = "";

async function record(what: string, res: APIResponse): Promise<APIResponse> {
  bodies.push({ what, text: await res.text() });
  return res;
}

async function call(method: string, url: string, options: { data?: unknown; csv?: string; ctx?: APIRequestContext } = {}): Promise<APIResponse> {
  const ctx = options.ctx ?? admin;
  const headers: Record<string, string> = { Origin: BASE };
  if (options.csv !== undefined) headers["Content-Type"] = "text/csv";
  const res = await ctx.fetch(url, { method, headers, data: options.csv ?? options.data, timeout: 120_000 });
  return record(`${method} ${url}`, res);
}

async function json<T = Record<string, unknown>>(res: APIResponse): Promise<T> {
  return (await res.json()) as T;
}

interface Stage {
  stage: string;
  status: string;
  detail: string;
  fix?: string;
}

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  test.setTimeout(240_000);
  const token = await tokenFor(TEST_ADMIN, "api-v1 spec");
  admin = await playwrightRequest.newContext({ baseURL: BASE, extraHTTPHeaders: { Authorization: `Bearer ${token}` } });
  viewer = await playwrightRequest.newContext({ baseURL: BASE });
  await signInApi(viewer, TEST_VIEWER, TEST_PASSWORD);

  const platformSsh = await platformSshPublicKey(admin, token);
  await ensurePlatformPgpKey(admin, token);
  const pgp = await generatePgpKey({ userId: { name: "API v1 test", email: "v1@test.example" }, type: "ecc" });
  ownPgp = pgp;
  ownSsh = generateUsableKeyPair("ed25519", { passphrase: SSH_PASSPHRASE, cipher: "aes256-ctr", rounds: 16 });
  secrets.push(pgp.privateKeyArmored, pgp.passphrase, ownSsh.private);
  // A real encrypted export for the sample decryption, encrypted to the admin's own key.
  const encrypted = await openpgp.encrypt({
    message: await openpgp.createMessage({ text: "<chat/>" }),
    encryptionKeys: await openpgp.readKey({ armoredKey: pgp.publicKeyArmored }),
    format: "binary",
  });
  site = await startSftpSite(
    SFTP_PORT,
    { firmCode: FIRM, password: PASSWORD, authorizedPublicKeys: [platformSsh, ownSsh.public] },
    { "outgoing/notes.txt": "plain text, not an export\n", "outgoing/export_20260101.xml.pgp": encrypted as Uint8Array },
  );
});

test.afterAll(async () => {
  await cleanUpConnectors(NAMES);
  await site?.stop();
  await admin?.dispose();
  await viewer?.dispose();
  await closeE2eDb();
});

const platformInput = () => ({
  name: "API v1 Platform",
  firmCode: FIRM,
  password: PASSWORD,
  sftpHost: "127.0.0.1",
  sftpPort: SFTP_PORT,
  keyMode: "platform",
  remoteDirectory: "/outgoing",
  scheduleTime: "02:30",
});

test.describe("connectors", () => {
  test("terms are accepted (204) and the type is checked (422)", async () => {
    expect((await call("POST", "/api/v1/terms/accept", { data: { connectorType: "ice-chat" } })).status()).toBe(204);
    const audit = await e2eDb().auditLog.findFirst({ where: { action: "terms.accepted" }, orderBy: { seq: "desc" } });
    expect(audit?.actorLabel).toBe(TEST_ADMIN);
    const bad = await call("POST", "/api/v1/terms/accept", { data: { connectorType: "other" } });
    expect(bad.status()).toBe(422);
    expect((await json<{ error: { code: string; details: { issues: unknown[] } } }>(bad)).error.details.issues.length).toBeGreaterThan(0);
  });

  test("validate: platform keys against the SFTP simulator pass every stage", async () => {
    const res = await call("POST", "/api/v1/connectors/validate", { data: { firmCode: FIRM, password: PASSWORD, sftpHost: "127.0.0.1", sftpPort: SFTP_PORT, keyMode: "platform", remoteDirectory: "/outgoing" } });
    expect(res.status()).toBe(200);
    const body = await json<{ ok: boolean; stages: Stage[]; hostKey: { fingerprint: string; algorithm: string }; files: { name: string; size: number }[]; pgpCheck: unknown }>(res);
    expect(body.stages.map((s) => s.stage)).toEqual(["dns", "tcp", "ssh_handshake", "host_key", "authentication", "directory_listing", "pgp_key"]);
    expect(body.stages.filter((s) => s.status !== "ok"), JSON.stringify(body.stages)).toEqual([]);
    expect(body.ok).toBe(true);
    expect(body.hostKey.fingerprint).toBe(site.sim.hostKeyFingerprint);
    expect(body.files.map((f) => f.name).sort()).toEqual(["export_20260101.xml.pgp", "notes.txt"]);
    expect(body.pgpCheck).toBeNull();
  });

  test("validate: a wrong password fails the authentication stage with a fix (still HTTP 200)", async () => {
    const res = await call("POST", "/api/v1/connectors/validate", {
      data: { firmCode: FIRM, password: WRONG_PASSWORD, sftpHost: "127.0.0.1", sftpPort: SFTP_PORT, keyMode: "own", pgpPrivateKey: ownPgp.privateKeyArmored, pgpPassphrase: ownPgp.passphrase },
    });
    expect(res.status()).toBe(200);
    const body = await json<{ ok: boolean; stages: Stage[] }>(res);
    expect(body.ok).toBe(false);
    const auth = body.stages.find((s) => s.stage === "authentication")!;
    expect(auth.status).toBe("failed");
    expect(auth.fix).toBeTruthy();
    expect(body.stages.find((s) => s.stage === "directory_listing")?.status).toBe("skipped");
    expect(body.stages.find((s) => s.stage === "tcp")?.status).toBe("ok");
  });

  test("validate: a port outside SFTP_ALLOWED_PORTS is refused by the network guard", async () => {
    const res = await call("POST", "/api/v1/connectors/validate", { data: { firmCode: FIRM, password: PASSWORD, sftpHost: "127.0.0.1", sftpPort: 2223, keyMode: "platform" } });
    const body = await json<{ ok: boolean; stages: Stage[] }>(res);
    expect(body.ok).toBe(false);
    expect(body.stages[0]).toMatchObject({ stage: "dns", status: "failed" });
    expect(body.stages[0]!.detail).toContain("SFTP_ALLOWED_PORTS");
  });

  test("validate: own keys unlock the PGP key and decrypt a sample file", async () => {
    const res = await call("POST", "/api/v1/connectors/validate", {
      data: {
        firmCode: FIRM, sftpHost: "127.0.0.1", sftpPort: SFTP_PORT, keyMode: "own", remoteDirectory: "/outgoing",
        sshPrivateKey: ownSsh.private, sshPassphrase: SSH_PASSPHRASE, pgpPrivateKey: ownPgp.privateKeyArmored, pgpPassphrase: ownPgp.passphrase,
      },
    });
    const body = await json<{ ok: boolean; stages: Stage[]; pgpCheck: { ok: boolean; detail: string } }>(res);
    expect(body.stages.filter((s) => s.status !== "ok"), JSON.stringify(body.stages)).toEqual([]);
    expect(body.pgpCheck).toMatchObject({ ok: true });
    expect(body.pgpCheck.detail).toContain("export_20260101.xml.pgp");

    const wrong = await call("POST", "/api/v1/connectors/validate", {
      data: { firmCode: FIRM, sftpHost: "127.0.0.1", sftpPort: SFTP_PORT, keyMode: "own", sshPrivateKey: ownSsh.private, sshPassphrase: SSH_PASSPHRASE, pgpPrivateKey: ownPgp.privateKeyArmored, pgpPassphrase: "nope" },
    });
    const wrongBody = await json<{ ok: boolean; stages: Stage[] }>(wrong);
    expect(wrongBody.ok).toBe(false);
    expect(wrongBody.stages.find((s) => s.stage === "pgp_key")).toMatchObject({ status: "failed", detail: expect.stringContaining("passphrase") });
  });

  test("validate: 422 with details for malformed input", async () => {
    const res = await call("POST", "/api/v1/connectors/validate", { data: { firmCode: "", sftpHost: "bad host!", keyMode: "mine" } });
    expect(res.status()).toBe(422);
    const body = await json<{ error: { code: string; details: { issues: { path: string[] }[] } } }>(res);
    expect(body.error.code).toBe("validation_failed");
    expect(body.error.details.issues.map((i) => i.path[0])).toEqual(expect.arrayContaining(["firmCode", "sftpHost", "keyMode"]));
  });

  test("create with platform keys: 201 view without secrets; 409 for the same name in another case; 422 with details", async () => {
    const res = await call("POST", "/api/v1/connectors", { data: { ...platformInput(), hostKeyFingerprint: site.sim.hostKeyFingerprint, hostKeyAlgorithm: site.sim.hostKeyAlgorithm } });
    expect(res.status()).toBe(201);
    const { connector } = await json<{ connector: Record<string, unknown> }>(res);
    platformId = connector.id as string;
    expect(connector).toMatchObject({
      name: "API v1 Platform", firmCode: FIRM, sftpHost: "127.0.0.1", sftpPort: SFTP_PORT, keyMode: "platform", remoteDirectory: "/outgoing",
      hostKeyFingerprint: site.sim.hostKeyFingerprint, scheduleTime: "02:30", state: "active", status: "Active", hasPassword: true,
      hasPgpPrivateKey: false, hasSshPrivateKey: false, mappingRows: 0, lastRun: null, activeRun: null, alerts: [], destination: "local_archive",
    });
    expect(String(connector.nextRunAt)).toMatch(/T02:30:00\.000Z$/);

    const dup = await call("POST", "/api/v1/connectors", { data: { ...platformInput(), name: "api V1 PLATFORM" } });
    expect(dup.status()).toBe(409);
    expect((await json<{ error: { code: string } }>(dup)).error.code).toBe("conflict");

    const invalid = await call("POST", "/api/v1/connectors", { data: { ...platformInput(), name: "API v1 Own", firmCode: "", scheduleTime: "25:00" } });
    expect(invalid.status()).toBe(422);
    const issues = (await json<{ error: { details: { issues: { path: string[] }[] } } }>(invalid)).error.details.issues;
    expect(issues.map((i) => i.path[0])).toEqual(expect.arrayContaining(["firmCode", "scheduleTime"]));

    const ownWithoutKey = await call("POST", "/api/v1/connectors", { data: { ...platformInput(), name: "API v1 Own", keyMode: "own" } });
    expect(ownWithoutKey.status()).toBe(422);
    const platformWithKey = await call("POST", "/api/v1/connectors", { data: { ...platformInput(), name: "API v1 Own", pgpPrivateKey: ownPgp.privateKeyArmored } });
    expect(platformWithKey.status()).toBe(422);
  });

  test("create with own keys, then validate with connectorId and blank secrets uses the stored ones", async () => {
    const res = await call("POST", "/api/v1/connectors", {
      data: {
        ...platformInput(), name: "API v1 Own", keyMode: "own", password: undefined, sshPrivateKey: ownSsh.private, sshPassphrase: SSH_PASSPHRASE,
        pgpPrivateKey: ownPgp.privateKeyArmored, pgpPassphrase: ownPgp.passphrase, mappingCsv: "ImId,Mailbox\nsomeone@ice.example,someone@contoso.example\n", destination: "graph",
      },
    });
    expect(res.status()).toBe(201);
    const { connector } = await json<{ connector: Record<string, unknown> }>(res);
    ownId = connector.id as string;
    expect(connector).toMatchObject({ keyMode: "own", hasPassword: false, hasPgpPrivateKey: true, hasSshPrivateKey: true, mappingRows: 1, destination: "graph" });

    const validation = await call("POST", "/api/v1/connectors/validate", {
      data: { connectorId: ownId, firmCode: FIRM, sftpHost: "127.0.0.1", sftpPort: SFTP_PORT, keyMode: "own", remoteDirectory: "/outgoing", sshPrivateKey: "", pgpPrivateKey: "" },
    });
    const body = await json<{ ok: boolean; stages: Stage[]; pgpCheck: { ok: boolean } }>(validation);
    expect(body.stages.filter((s) => s.status !== "ok"), JSON.stringify(body.stages)).toEqual([]);
    expect(body.pgpCheck.ok).toBe(true);
  });

  test("list, get and name-available", async () => {
    const list = await json<{ connectors: { id: string; name: string }[] }>(await call("GET", "/api/v1/connectors"));
    expect(list.connectors.map((c) => c.name)).toEqual(["API v1 Own", "API v1 Platform"]);
    const one = await call("GET", `/api/v1/connectors/${platformId}`);
    expect((await json<{ connector: { id: string } }>(one)).connector.id).toBe(platformId);
    expect((await call("GET", "/api/v1/connectors/00000000-0000-4000-8000-000000000000")).status()).toBe(404);
    expect((await call("GET", "/api/v1/connectors/not-a-uuid")).status()).toBe(404);

    const available = async (query: string) => (await json<{ available: boolean }>(await call("GET", `/api/v1/connectors/name-available?${query}`))).available;
    expect(await available("name=API%20V1%20platform")).toBe(false);
    expect(await available(`name=API%20V1%20platform&excludeId=${platformId}`)).toBe(true);
    expect(await available("name=Something%20else")).toBe(true);
    expect((await call("GET", "/api/v1/connectors/name-available")).status()).toBe(422);
    expect((await call("GET", "/api/v1/connectors/name-available?name=x&excludeId=nope")).status()).toBe(422);
  });

  test("patch: blank secrets are kept, null clears, changes are audited by field name, names stay unique", async () => {
    const res = await call("PATCH", `/api/v1/connectors/${platformId}`, { data: { password: "", scheduleTime: "04:05", dailyItemLimit: 1234, lookbackHours: 48 } });
    expect(res.status()).toBe(200);
    const { connector } = await json<{ connector: Record<string, unknown> }>(res);
    expect(connector).toMatchObject({ hasPassword: true, scheduleTime: "04:05", dailyItemLimit: 1234, lookbackHours: 48 });
    const audit = await e2eDb().auditLog.findFirst({ where: { action: "connector.updated", targetId: platformId }, orderBy: { seq: "desc" } });
    expect((audit?.details as { fields: string[] }).fields.sort()).toEqual(["dailyItemLimit", "lookbackHours", "scheduleTime"]);
    expect(JSON.stringify(audit?.details)).not.toContain(PASSWORD);

    // The stored password still works: validation with the connector's stored secrets passes.
    const check = await json<{ ok: boolean }>(
      await call("POST", "/api/v1/connectors/validate", { data: { connectorId: platformId, firmCode: FIRM, sftpHost: "127.0.0.1", sftpPort: SFTP_PORT, keyMode: "platform" } }),
    );
    expect(check.ok).toBe(true);

    // A new secret is re-sealed with the record's existing data key.
    const before = await e2eDb().connector.findUniqueOrThrow({ where: { id: platformId } });
    await call("PATCH", `/api/v1/connectors/${platformId}`, { data: { password: WRONG_PASSWORD } });
    const after = await e2eDb().connector.findUniqueOrThrow({ where: { id: platformId } });
    expect(after.secretsDataKey).toBe(before.secretsDataKey);
    expect(after.passwordEnc).not.toBe(before.passwordEnc);
    const changedAudit = await e2eDb().auditLog.findFirst({ where: { action: "connector.updated", targetId: platformId }, orderBy: { seq: "desc" } });
    expect((changedAudit?.details as { fields: string[] }).fields).toEqual(["password"]);

    const cleared = await json<{ connector: { hasPassword: boolean } }>(await call("PATCH", `/api/v1/connectors/${platformId}`, { data: { password: null } }));
    expect(cleared.connector.hasPassword).toBe(false);
    const restored = await json<{ connector: { hasPassword: boolean } }>(await call("PATCH", `/api/v1/connectors/${platformId}`, { data: { password: PASSWORD } }));
    expect(restored.connector.hasPassword).toBe(true);

    expect((await call("PATCH", `/api/v1/connectors/${platformId}`, { data: { name: "api v1 OWN" } })).status()).toBe(409);
    const caseOnly = await call("PATCH", `/api/v1/connectors/${platformId}`, { data: { name: "api v1 platform" } });
    expect((await json<{ connector: { name: string } }>(caseOnly)).connector.name).toBe("api v1 platform");
    expect((await call("PATCH", `/api/v1/connectors/${platformId}`, { data: { sshPrivateKey: ownSsh.private } })).status()).toBe(422);
    expect((await call("PATCH", `/api/v1/connectors/${ownId}`, { data: { pgpPrivateKey: null } })).status()).toBe(422);
    expect((await call("PATCH", `/api/v1/connectors/${platformId}`, { data: { sftpPort: 0 } })).status()).toBe(422);
    expect((await call("PATCH", "/api/v1/connectors/00000000-0000-4000-8000-000000000000", { data: { dailyItemLimit: 5 } })).status()).toBe(404);
  });

  test("pause and resume", async () => {
    const paused = await json<{ connector: Record<string, unknown> }>(await call("POST", `/api/v1/connectors/${platformId}/pause`));
    expect(paused.connector).toMatchObject({ state: "paused", status: "Paused", nextRunAt: null });
    // Pausing twice is fine.
    expect((await call("POST", `/api/v1/connectors/${platformId}/pause`)).status()).toBe(200);
    const runWhilePaused = await call("POST", `/api/v1/connectors/${platformId}/runs`, { data: {} });
    expect(runWhilePaused.status()).toBe(409);
    const resumed = await json<{ connector: Record<string, unknown> }>(await call("POST", `/api/v1/connectors/${platformId}/resume`));
    expect(resumed.connector).toMatchObject({ state: "active", status: "Active" });
    expect(resumed.connector.nextRunAt).toMatch(/T04:05:00\.000Z$/);
    const actions = await e2eDb().auditLog.findMany({ where: { targetId: platformId, action: { in: ["connector.paused", "connector.resumed"] } }, orderBy: { seq: "asc" } });
    expect(actions.map((a) => a.action)).toEqual(["connector.paused", "connector.resumed"]);
  });
});

test.describe("keys", () => {
  test("keys/check reads keys and passphrases without echoing them", async () => {
    const good = await json<{ pgp: { ok: boolean; fingerprint: string }; ssh: { ok: boolean; fingerprint: string } }>(
      await call("POST", "/api/v1/keys/check", { data: { pgpPrivateKey: ownPgp.privateKeyArmored, pgpPassphrase: ownPgp.passphrase, sshPrivateKey: ownSsh.private, sshPassphrase: SSH_PASSPHRASE } }),
    );
    expect(good.pgp).toMatchObject({ ok: true, fingerprint: ownPgp.fingerprint });
    expect(good.ssh.ok).toBe(true);
    expect(good.ssh.fingerprint).toMatch(/^SHA256:/);

    const bad = await json<{ pgp: { ok: boolean; detail: string }; ssh: { ok: boolean; detail: string } }>(
      await call("POST", "/api/v1/keys/check", { data: { pgpPrivateKey: ownPgp.privateKeyArmored, pgpPassphrase: "wrong", sshPrivateKey: ownSsh.private } }),
    );
    expect(bad.pgp.ok).toBe(false);
    expect(bad.pgp.detail).toContain("passphrase");
    expect(bad.ssh.ok).toBe(false);
    expect(bad.ssh.detail).toContain("passphrase");

    const none = await json(await call("POST", "/api/v1/keys/check", { data: {} }));
    expect(none).toEqual({ pgp: null, ssh: null });
    expect((await call("POST", "/api/v1/keys/check", { data: { sshPrivateKey: 42 } })).status()).toBe(422);
  });
});

test.describe("user mapping", () => {
  test("template, preview with errors, all-or-nothing replace, download, 413 beyond 5 MiB", async () => {
    const template = await call("GET", "/api/v1/mapping-template.csv");
    expect(template.status()).toBe(200);
    expect(template.headers()["content-type"]).toContain("text/csv");
    expect(template.headers()["content-disposition"]).toContain("attachment");

    const preview = await json<{ ok: boolean; count: number; errorCount: number; errors: { line: number; message: string }[]; preview: unknown[]; delimiter: string }>(
      await call("POST", "/api/v1/mapping/preview", { csv: "ImId;Mailbox\na@ice.example;a@contoso.example\nb@ice.example;not-an-address\n" }),
    );
    expect(preview).toMatchObject({ ok: false, errorCount: 1, delimiter: ";" });
    expect(preview.errors[0]!.line).toBe(3);
    const goodPreview = await json<{ ok: boolean; count: number; preview: { imId: string; mailbox: string; line: number }[] }>(
      await call("POST", "/api/v1/mapping/preview", { csv: "ImId,Mailbox\nA@ice.example,A@Contoso.example\n" }),
    );
    expect(goodPreview).toMatchObject({ ok: true, count: 1, preview: [{ imId: "A@ice.example", mailbox: "a@contoso.example", line: 2 }] });

    const rejected = await call("PUT", `/api/v1/connectors/${platformId}/mapping`, { csv: "ImId,Mailbox\nx@ice.example,x@contoso.example\ny@ice.example,\n" });
    expect(rejected.status()).toBe(422);
    const details = (await json<{ error: { details: { errors: { line: number }[] } } }>(rejected)).error.details;
    expect(details.errors[0]!.line).toBe(3);
    expect((await json<{ connector: { mappingRows: number } }>(await call("GET", `/api/v1/connectors/${platformId}`))).connector.mappingRows).toBe(0);

    const stored = await call("PUT", `/api/v1/connectors/${platformId}/mapping`, { csv: `ImId,Mailbox\r\njsmith@ice.example,john@contoso.example\r\nalee@ice.example,ann@contoso.example\r\n` });
    expect(stored.status(), await stored.text()).toBe(200);
    expect(await json(stored)).toEqual({ mappingRows: 2 });
    expect((await json<{ connector: { mappingRows: number } }>(await call("GET", `/api/v1/connectors/${platformId}`))).connector.mappingRows).toBe(2);
    const download = await call("GET", `/api/v1/connectors/${platformId}/mapping.csv`);
    expect(download.headers()["content-type"]).toContain("text/csv");
    const text = await download.text();
    expect(text.split(/\r?\n/)[0]).toBe("ImId,Mailbox");
    expect(text).toContain("jsmith@ice.example,john@contoso.example");

    const huge = "ImId,Mailbox\n" + "x".repeat(5 * 1024 * 1024 + 10);
    for (const [method, url] of [["POST", "/api/v1/mapping/preview"], ["PUT", `/api/v1/connectors/${platformId}/mapping`]] as const) {
      const tooLarge = await call(method, url, { csv: huge });
      expect(tooLarge.status(), url).toBe(413);
      const err = (await json<{ error: { code: string; message: string } }>(tooLarge)).error;
      expect(err.code).toBe("payload_too_large");
      expect(err.message).toContain("5 MiB");
    }
    expect((await call("PUT", "/api/v1/connectors/00000000-0000-4000-8000-000000000000/mapping", { csv: "ImId,Mailbox\n" })).status()).toBe(404);
  });
});

test.describe("runs", () => {
  test("run now: 202 queued, 409 while one is active (details.runId)", async () => {
    const started = await call("POST", `/api/v1/connectors/${platformId}/runs`, { data: {} });
    expect(started.status()).toBe(202);
    const { run } = await json<{ run: { id: string; status: string; trigger: string } }>(started);
    expect(run).toMatchObject({ status: "QUEUED", trigger: "MANUAL" });
    const again = await call("POST", `/api/v1/connectors/${platformId}/runs`, { data: { from: "2026-01-01T00:00:00Z", to: "2026-01-02T00:00:00Z" } });
    expect(again.status()).toBe(409);
    expect((await json<{ error: { details: { runId: string } } }>(again)).error.details.runId).toBe(run.id);
    const view = await json<{ connector: { status: string; activeRun: { id: string } } }>(await call("GET", `/api/v1/connectors/${platformId}`));
    expect(view.connector).toMatchObject({ status: "Running", activeRun: { id: run.id } });
    // No worker runs in this suite: cancel the run the way an operator would clear it.
    await e2eDb().importRun.update({ where: { id: run.id }, data: { status: "CANCELLED", activeRunKey: null, finishedAt: new Date() } });

    expect((await call("POST", `/api/v1/connectors/${ownId}/runs`, { data: { from: "2026-01-01T00:00:00Z" } })).status()).toBe(422);
    expect((await call("POST", `/api/v1/connectors/${ownId}/runs`, { data: { from: "2026-01-02T00:00:00Z", to: "2026-01-01T00:00:00Z" } })).status()).toBe(422);
    expect((await call("POST", `/api/v1/connectors/${ownId}/runs`, { data: { from: "yesterday", to: "today" } })).status()).toBe(422);
    const backfill = await call("POST", `/api/v1/connectors/${ownId}/runs`, { data: { from: "2026-01-01T00:00:00Z", to: "2026-01-08T00:00:00Z", approveLimit: true } });
    expect(backfill.status()).toBe(202);
    const bf = (await json<{ run: { id: string; trigger: string; windowFrom: string; limitApproved: boolean } }>(backfill)).run;
    expect(bf).toMatchObject({ trigger: "BACKFILL", windowFrom: "2026-01-01T00:00:00.000Z", limitApproved: true });
    await e2eDb().importRun.update({ where: { id: bf.id }, data: { status: "CANCELLED", activeRunKey: null, finishedAt: new Date() } });
  });

  test("runs list, detail, log.csv and daily imports from a finished run", async () => {
    const db = e2eDb();
    const finishedAt = new Date();
    const run = await db.importRun.create({
      data: {
        connectorId: platformId, trigger: "SCHEDULED", status: "PARTIALLY_SUCCEEDED", queuedAt: new Date(Date.now() + 1000), startedAt: finishedAt, finishedAt, attempts: 1,
        filesFound: 2, filesProcessed: 1, filesFailed: 1, itemsFromSource: 7, itemsForImport: 9, itemsProcessed: 9, imported: 5, partiallyImported: 1,
        skippedDuplicate: 1, failedUserMapping: 1, failedTooLarge: 1, message: "Imported with problems",
      },
    });
    await db.failedItem.createMany({
      data: [
        { runId: run.id, connectorId: platformId, itemId: BAD_FORMULA, sourceImId: "ghost@ice.example", reason: "USER_MAPPING", detail: "No mailbox for ghost@ice.example" },
        { runId: run.id, connectorId: platformId, itemId: "item-2", mailbox: "john@contoso.example", reason: "ITEM_TOO_LARGE", detail: "160 MB" },
      ],
    });
    await db.unmappedParticipant.create({ data: { runId: run.id, imId: "ghost@ice.example", reason: "not in the mapping" } });
    await db.delivery.create({ data: { connectorId: platformId, runId: run.id, itemKey: "k-partial", mailbox: "ann@contoso.example", status: "PARTIAL", note: "1 attachment too large" } });
    await db.sourceFile.create({ data: { connectorId: platformId, lastRunId: run.id, path: "/outgoing/export_20260101.xml.pgp", size: BigInt(1234), mtime: new Date("2026-01-01T00:00:00Z"), status: "PROCESSED", itemCount: 7 } });

    const list = await json<{ runs: { id: string; status: string; failed: { total: number } }[] }>(await call("GET", `/api/v1/connectors/${platformId}/runs?limit=50`));
    expect(list.runs[0]).toMatchObject({ id: run.id, status: "PARTIALLY_SUCCEEDED", failed: { total: 2 } });
    expect(list.runs).toHaveLength(2);
    expect((await json<{ runs: unknown[] }>(await call("GET", `/api/v1/connectors/${platformId}/runs?limit=1`))).runs).toHaveLength(1);
    expect((await call("GET", `/api/v1/connectors/${platformId}/runs?limit=0`)).status()).toBe(422);

    const detail = await json<{ run: Record<string, unknown> & { failedItems: { itemId: string }[] } }>(await call("GET", `/api/v1/runs/${run.id}`));
    expect(detail.run).toMatchObject({
      id: run.id, imported: 5, failedItemsTotal: 2, failed: { userMapping: 1, tooLarge: 1, destination: 0, other: 0, total: 2 },
      unmappedParticipants: [{ imId: "ghost@ice.example", email: null, reason: "not in the mapping" }],
      partialItems: [{ itemKey: "k-partial", mailbox: "ann@contoso.example", note: "1 attachment too large" }],
      files: [{ path: "/outgoing/export_20260101.xml.pgp", size: 1234, status: "PROCESSED", itemCount: 7, error: null }],
    });
    expect(detail.run.failedItems.map((f) => f.itemId).sort()).toEqual([BAD_FORMULA, "item-2"].sort());
    expect((await call("GET", "/api/v1/runs/00000000-0000-4000-8000-000000000000")).status()).toBe(404);

    const log = await call("GET", `/api/v1/runs/${run.id}/log.csv`);
    expect(log.status()).toBe(200);
    expect(log.headers()["content-type"]).toContain("text/csv");
    expect(log.headers()["content-disposition"]).toMatch(/attachment; filename="ice-chat-run-[0-9-]+-[0-9a-f]{8}\.csv"/);
    const csv = await log.text();
    expect(csv).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(csv).not.toMatch(/(^|,)"?=HYPERLINK/m);
    expect(csv).toContain("Summary,Imported,5");
    expect(csv).toContain("Unmapped user,ghost@ice.example");

    const daily = await json<{ days: { date: string; imported: number }[] }>(await call("GET", `/api/v1/connectors/${platformId}/daily-imports?days=7`));
    expect(daily.days).toHaveLength(7);
    expect(daily.days.at(-1)).toEqual({ date: finishedAt.toISOString().slice(0, 10), imported: 6 });
    expect(daily.days.slice(0, -1).every((d) => d.imported === 0)).toBe(true);
    expect((await json<{ days: unknown[] }>(await call("GET", `/api/v1/connectors/${platformId}/daily-imports`))).days).toHaveLength(30);
    expect((await call("GET", `/api/v1/connectors/${platformId}/daily-imports?days=1000`)).status()).toBe(422);

    // The last finished run decides the status.
    await db.importRun.update({ where: { id: run.id }, data: { status: "LIMIT_EXCEEDED" } });
    expect((await json<{ connector: { status: string; lastRun: { id: string } } }>(await call("GET", `/api/v1/connectors/${platformId}`))).connector).toMatchObject({ status: "Limit exceeded", lastRun: { id: run.id } });
    await db.connectorAlert.create({ data: { connectorId: platformId, kind: "HOST_KEY_MISMATCH", message: "Host key changed" } });
    const withAlert = await json<{ connector: { status: string; alerts: { kind: string }[] } }>(await call("GET", `/api/v1/connectors/${platformId}`));
    expect(withAlert.connector.status).toBe("Error");
    expect(withAlert.connector.alerts.map((a) => a.kind)).toEqual(["HOST_KEY_MISMATCH"]);
  });
});

test.describe("documentation", () => {
  test("openapi.json is OpenAPI 3.1 with bearer auth and every endpoint; /api-docs renders it", async () => {
    const doc = await json<{ openapi: string; paths: Record<string, Record<string, unknown>>; components: { securitySchemes: Record<string, { scheme: string }>; schemas: Record<string, unknown> } }>(
      await call("GET", "/api/v1/openapi.json"),
    );
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.components.securitySchemes.bearerAuth?.scheme).toBe("bearer");
    const operations = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
    for (const op of [
      "GET /api/v1/connectors", "POST /api/v1/connectors", "GET /api/v1/connectors/name-available", "POST /api/v1/connectors/validate", "GET /api/v1/connectors/{id}",
      "PATCH /api/v1/connectors/{id}", "DELETE /api/v1/connectors/{id}", "POST /api/v1/connectors/{id}/pause", "POST /api/v1/connectors/{id}/resume",
      "PUT /api/v1/connectors/{id}/mapping", "GET /api/v1/connectors/{id}/mapping.csv", "POST /api/v1/mapping/preview", "GET /api/v1/mapping-template.csv",
      "POST /api/v1/connectors/{id}/runs", "GET /api/v1/connectors/{id}/runs", "GET /api/v1/connectors/{id}/daily-imports", "GET /api/v1/runs/{id}",
      "GET /api/v1/runs/{id}/log.csv", "POST /api/v1/keys/check", "POST /api/v1/terms/accept", "GET /api/v1/openapi.json",
    ]) {
      expect(operations, op).toContain(op);
    }
    for (const name of ["ConnectorView", "RunView", "RunDetailView", "CreateConnectorInput", "UpdateConnectorInput", "ValidationResult"]) expect(Object.keys(doc.components.schemas)).toContain(name);

    const page = await viewer.get("/api-docs");
    expect(page.status()).toBe(200);
    const html = await page.text();
    expect(html).toContain("/api/v1/connectors/{id}/runs");
    expect(html).toContain("CreateConnectorInput");
  });
});

test.describe("roles", () => {
  test("a viewer can read but gets 403 on every mutating endpoint", async () => {
    expect((await call("GET", "/api/v1/connectors", { ctx: viewer })).status()).toBe(200);
    expect((await call("GET", `/api/v1/connectors/${platformId}`, { ctx: viewer })).status()).toBe(200);
    const mutating: [string, string, unknown][] = [
      ["POST", "/api/v1/connectors", platformInput()],
      ["PATCH", `/api/v1/connectors/${platformId}`, { dailyItemLimit: 1 }],
      ["DELETE", `/api/v1/connectors/${platformId}`, { confirmName: "api v1 platform" }],
      ["POST", `/api/v1/connectors/${platformId}/pause`, {}],
      ["POST", `/api/v1/connectors/${platformId}/resume`, {}],
      ["POST", "/api/v1/connectors/validate", { firmCode: FIRM, sftpHost: "127.0.0.1", keyMode: "platform" }],
      ["PUT", `/api/v1/connectors/${platformId}/mapping`, "ImId,Mailbox\n"],
      ["POST", "/api/v1/mapping/preview", "ImId,Mailbox\n"],
      ["POST", `/api/v1/connectors/${platformId}/runs`, {}],
      ["POST", "/api/v1/keys/check", {}],
      ["POST", "/api/v1/terms/accept", { connectorType: "ice-chat" }],
    ];
    for (const [method, url, data] of mutating) {
      const res = await call(method, url, { ctx: viewer, ...(typeof data === "string" ? { csv: data } : { data }) });
      expect(res.status(), `${method} ${url}`).toBe(403);
    }
    expect((await json<{ connector: { state: string } }>(await call("GET", `/api/v1/connectors/${platformId}`))).connector.state).toBe("active");
  });
});

test.describe("delete", () => {
  test("needs the exact name; erases secrets and mappings, keeps run history, frees the name", async () => {
    const wrong = await call("DELETE", `/api/v1/connectors/${platformId}`, { data: { confirmName: "API V1 PLATFORM" } });
    expect(wrong.status()).toBe(422);
    expect((await call("DELETE", `/api/v1/connectors/${platformId}`, { data: {} })).status()).toBe(422);
    const runs = await json<{ runs: { id: string }[] }>(await call("GET", `/api/v1/connectors/${platformId}/runs`));

    const res = await call("DELETE", `/api/v1/connectors/${platformId}`, { data: { confirmName: "api v1 platform" } });
    expect(res.status()).toBe(204);
    expect((await call("GET", `/api/v1/connectors/${platformId}`)).status()).toBe(404);
    expect((await call("DELETE", `/api/v1/connectors/${platformId}`, { data: { confirmName: "api v1 platform" } })).status()).toBe(404);
    expect((await json<{ available: boolean }>(await call("GET", "/api/v1/connectors/name-available?name=api%20v1%20platform"))).available).toBe(true);

    const row = await e2eDb().connector.findUniqueOrThrow({ where: { id: platformId } });
    expect(row).toMatchObject({ state: "DELETED", nameKey: null, secretsDataKey: null, passwordEnc: null, pgpPrivateKeyEnc: null, sshPrivateKeyEnc: null });
    expect(row.deletedAt).not.toBeNull();
    expect(await e2eDb().userMapping.count({ where: { connectorId: platformId } })).toBe(0);
    expect(await e2eDb().connectorAlert.count({ where: { connectorId: platformId, resolvedAt: null } })).toBe(0);
    // History stays readable.
    expect((await call("GET", `/api/v1/runs/${runs.runs[0]!.id}`)).status()).toBe(200);
    expect((await json<{ runs: unknown[] }>(await call("GET", `/api/v1/connectors/${platformId}/runs`))).runs).toHaveLength(runs.runs.length);
    expect(await e2eDb().auditLog.count({ where: { action: "connector.deleted", targetId: platformId } })).toBe(1);

    expect((await call("DELETE", `/api/v1/connectors/${ownId}`, { data: { confirmName: "API v1 Own" } })).status()).toBe(204);
    expect((await json<{ connectors: unknown[] }>(await call("GET", "/api/v1/connectors"))).connectors).toEqual([]);
  });

  test("no response of this spec contained a submitted secret", () => {
    expect(bodies.length).toBeGreaterThan(50);
    for (const { what, text } of bodies) {
      for (const secret of secrets) expect(text.includes(secret), `${what} leaked a secret`).toBe(false);
    }
  });
});
