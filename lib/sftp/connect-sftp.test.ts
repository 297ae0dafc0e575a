import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { generateUsableKeyPair, startSftpSimulator, type SftpSimulator, type SftpSimulatorOptions } from "@/tests/support/sftp-server";
import { connectSftp } from "./connect-sftp";
import { resolveTimeouts } from "./open-session";
import { DEFAULT_SFTP_TIMEOUTS } from "./types";
import { closedPort, expectSftpError, FIRM_CODE, makeFixtureTree, optionsFor, PASSWORD, startRogueServer, TEST_TIMEOUTS, type FixtureTree } from "@/tests/support/sftp-fixtures";
import type { SftpSession } from "./sftp-session";

const KEY_PASSPHRASE = "key passphrase";
let tree: FixtureTree;
let ed25519: { private: string; public: string };
let ed25519Encrypted: { private: string; public: string };
let rsaEncrypted: { private: string; public: string };
let stranger: { private: string; public: string };

const running: Array<{ stop: () => Promise<void> }> = [];
const sessions: SftpSession[] = [];

async function simulator(options: Partial<SftpSimulatorOptions> = {}): Promise<SftpSimulator> {
  const sim = await startSftpSimulator({ root: tree.root, firmCode: FIRM_CODE, password: PASSWORD, ...options });
  running.push(sim);
  return sim;
}

async function open(...args: Parameters<typeof connectSftp>): Promise<SftpSession> {
  const session = await connectSftp(...args);
  sessions.push(session);
  return session;
}

beforeAll(async () => {
  tree = await makeFixtureTree();
  ed25519 = generateUsableKeyPair("ed25519");
  ed25519Encrypted = generateUsableKeyPair("ed25519", { passphrase: KEY_PASSPHRASE, cipher: "aes256-ctr", rounds: 4 });
  rsaEncrypted = generateUsableKeyPair("rsa", { passphrase: KEY_PASSPHRASE, cipher: "aes256-ctr", rounds: 4 });
  stranger = generateUsableKeyPair("ed25519");
});

afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.close()));
  await Promise.all(running.splice(0).map((s) => s.stop()));
});

afterAll(async () => {
  await tree.cleanup();
});

describe("connectSftp authentication", () => {
  it("logs in with a password", async () => {
    const sim = await simulator();
    const session = await open(optionsFor(sim));
    expect(session.authMethods).toEqual(["password"]);
    expect(session.hostKey).toEqual({ fingerprint: sim.hostKeyFingerprint, algorithm: "ssh-ed25519" });
    expect(session.target).toMatchObject({ address: "127.0.0.1", port: sim.port });
  });

  it.each([
    ["ed25519 without passphrase", () => ed25519, undefined],
    ["ed25519 with passphrase", () => ed25519Encrypted, KEY_PASSPHRASE],
    ["rsa with passphrase", () => rsaEncrypted, KEY_PASSPHRASE],
  ] as const)("logs in with an %s key", async (_label, pair, passphrase) => {
    const sim = await simulator({ password: undefined, authorizedPublicKeys: [pair().public] });
    const session = await open(optionsFor(sim, { password: undefined, privateKey: pair().private, passphrase }));
    expect(session.authMethods).toEqual(["publickey"]);
    expect(session.isOpen).toBe(true);
  });

  it("logs in when the site demands key AND password (partial success)", async () => {
    const sim = await simulator({ authorizedPublicKeys: [ed25519.public], requireBoth: true });
    const session = await open(optionsFor(sim, { privateKey: ed25519.private }));
    expect(session.authMethods).toEqual(["publickey", "password"]);
  });

  it("explains a missing second factor when both are required", async () => {
    const sim = await simulator({ authorizedPublicKeys: [ed25519.public], requireBoth: true });
    const err = await expectSftpError(open(optionsFor(sim, { password: undefined, privateKey: ed25519.private })));
    expect(err.kind).toBe("auth_failed");
    expect(err.stage).toBe("authentication");
    expect(err.message).toBe(`The server accepted publickey for ${FIRM_CODE} but also requires password, which is not configured. The server accepts: password.`);
  });

  it("answers keyboard-interactive prompts with the password", async () => {
    const sim = await simulator({ passwordMethod: "keyboard-interactive" });
    const session = await open(optionsFor(sim));
    expect(session.authMethods).toEqual(["keyboard-interactive"]);
  });

  it("reports a wrong password with the methods the server accepts, without leaking the password", async () => {
    const sim = await simulator({ authorizedPublicKeys: [ed25519.public] });
    const err = await expectSftpError(open(optionsFor(sim, { password: "wrong-password" })));
    expect(err.kind).toBe("auth_failed");
    expect(err.code).toBe("connection_failed");
    expect(err.message).toBe(`The server rejected the login for ${FIRM_CODE} (tried password). The server accepts: publickey, password.`);
    expect(JSON.stringify({ message: err.message, details: err.details })).not.toContain("wrong-password");
  });

  it("reports a key the server does not know", async () => {
    const sim = await simulator({ password: undefined, authorizedPublicKeys: [ed25519.public] });
    const err = await expectSftpError(open(optionsFor(sim, { password: undefined, privateKey: stranger.private })));
    expect(err.kind).toBe("auth_failed");
    expect(err.details.serverAuthMethods).toEqual(["publickey"]);
  });

  it("reports a wrong user name (firm code)", async () => {
    const sim = await simulator();
    const err = await expectSftpError(open(optionsFor(sim, { username: "OTHER" })));
    expect(err.kind).toBe("auth_failed");
  });

  it("reports a wrong key passphrase as a credentials problem", async () => {
    const sim = await simulator({ authorizedPublicKeys: [ed25519Encrypted.public] });
    const err = await expectSftpError(open(optionsFor(sim, { password: undefined, privateKey: ed25519Encrypted.private, passphrase: "nope" })));
    expect(err.kind).toBe("invalid_credentials");
    expect(err.stage).toBe("authentication");
    expect(err.message).toMatch(/^The private key could not be read: .*passphrase/);
  });

  it.each([
    ["garbage", "-----BEGIN OPENSSH PRIVATE KEY-----\nnot a key\n-----END OPENSSH PRIVATE KEY-----\n"],
    ["a public key", "PUBLIC"],
  ])("refuses %s as the private key", async (_label, keyText) => {
    const sim = await simulator();
    const privateKey = keyText === "PUBLIC" ? ed25519.public : keyText;
    const err = await expectSftpError(open(optionsFor(sim, { privateKey })));
    expect(err.kind).toBe("invalid_credentials");
  });

  it("refuses to start without any credential or user name", async () => {
    const sim = await simulator();
    expect((await expectSftpError(open(optionsFor(sim, { password: undefined })))).kind).toBe("invalid_credentials");
    expect((await expectSftpError(open(optionsFor(sim, { username: " " })))).kind).toBe("invalid_credentials");
  });
});

describe("connectSftp host key pinning", () => {
  it("accepts the pinned key in any common spelling", async () => {
    const sim = await simulator();
    const spelled = `  sha256:${sim.hostKeyFingerprint.slice("SHA256:".length)}= `;
    await expect(open(optionsFor(sim, { pinnedFingerprint: spelled }))).resolves.toBeDefined();
  });

  it("refuses a changed host key with a distinguishable error", async () => {
    const other = generateUsableKeyPair("ed25519").private;
    const sim = await simulator({ hostKey: other });
    const pinned = "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU";
    const err = await expectSftpError(open(optionsFor(sim, { pinnedFingerprint: pinned })));
    expect(err.kind).toBe("host_key_mismatch");
    expect(err.stage).toBe("host_key");
    expect(err.message).toBe(`Host key changed: expected ${pinned}, got ${sim.hostKeyFingerprint} (ssh-ed25519).`);
    expect(err.details).toMatchObject({ expectedFingerprint: pinned, actualFingerprint: sim.hostKeyFingerprint, actualAlgorithm: "ssh-ed25519" });
    expect(sim.openConnections()).toBeLessThanOrEqual(1);
  });

  it("never connects without a pinned fingerprint", async () => {
    const sim = await simulator();
    for (const pinnedFingerprint of ["", "MD5:aa:bb", "SHA256:short"]) {
      const err = await expectSftpError(open(optionsFor(sim, { pinnedFingerprint })));
      expect(err.kind).toBe("host_key_not_pinned");
    }
  });

  it("verifies RSA host keys too", async () => {
    const rsaHost = generateUsableKeyPair("rsa").private;
    const sim = await simulator({ hostKey: rsaHost });
    const session = await open(optionsFor(sim));
    expect(session.hostKey.algorithm).toBe("ssh-rsa");
    expect(session.hostKey.fingerprint).toBe(sim.hostKeyFingerprint);
  });
});

describe("connectSftp network failures", () => {
  it("refuses loopback when private networks are not allowed, before connecting", async () => {
    const sim = await simulator();
    const err = await expectSftpError(open(optionsFor(sim, { allowPrivateNetworks: false })));
    expect(err.kind).toBe("target_refused");
    expect(err.stage).toBe("dns");
    expect(err.code).toBe("validation_failed");
    expect(err.message).toBe("127.0.0.1, a loopback address; set SFTP_ALLOW_PRIVATE_NETWORKS=true to allow it.");
    expect(sim.openConnections()).toBe(0);
  });

  it("refuses a port outside the allowed list", async () => {
    const sim = await simulator();
    const err = await expectSftpError(open(optionsFor(sim, { allowedPorts: [22] })));
    expect(err.kind).toBe("target_refused");
  });

  it("connects to the vetted address of a name, resolved once", async () => {
    const sim = await simulator();
    const lookups: string[] = [];
    const resolver = async (name: string) => {
      lookups.push(name);
      return [{ address: "127.0.0.1", family: 4 }];
    };
    const session = await open(optionsFor(sim, { host: "sftp.ice.example", resolver }));
    expect(lookups).toEqual(["sftp.ice.example"]);
    expect(session.target).toMatchObject({ host: "sftp.ice.example", address: "127.0.0.1" });
  });

  it("reports a closed port as connection refused", async () => {
    const port = await closedPort();
    const err = await expectSftpError(connectSftp({ ...optionsFor({ host: "127.0.0.1", port, hostKeyFingerprint: "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU" } as SftpSimulator) }));
    expect(err.kind).toBe("connection_refused");
    expect(err.stage).toBe("tcp");
    expect(err.message).toBe(`127.0.0.1:${port} refused the connection: nothing is listening on that port, or a firewall rejects it.`);
  });

  it("gives up on a server that accepts TCP but never speaks SSH", async () => {
    const rogue = await startRogueServer("silent");
    running.push(rogue);
    const err = await expectSftpError(
      connectSftp({
        ...optionsFor({ host: "127.0.0.1", port: rogue.port, hostKeyFingerprint: "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU" } as SftpSimulator),
        timeouts: { ...TEST_TIMEOUTS, handshakeMs: 500 },
      }),
    );
    expect(err.kind).toBe("handshake_timeout");
    expect(err.stage).toBe("ssh_handshake");
  });

  it("reports a server that is not SSH", async () => {
    const rogue = await startRogueServer("http");
    running.push(rogue);
    const err = await expectSftpError(
      connectSftp(optionsFor({ host: "127.0.0.1", port: rogue.port, hostKeyFingerprint: "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU" } as SftpSimulator)),
    );
    expect(["handshake_failed", "handshake_timeout"]).toContain(err.kind);
    expect(err.stage).toBe("ssh_handshake");
  });

  it("reports a refused SFTP subsystem", async () => {
    const sim = await simulator({ faults: { refuseSftpSubsystem: true } });
    const err = await expectSftpError(open(optionsFor(sim)));
    expect(err.kind).toBe("sftp_unavailable");
    expect(err.stage).toBe("directory_listing");
  });

  it("closes cleanly and twice", async () => {
    const sim = await simulator();
    const session = await open(optionsFor(sim));
    await session.close();
    await session.close();
    expect(session.isOpen).toBe(false);
  });
});

describe("resolveTimeouts", () => {
  it("falls back to defaults for missing, undefined and nonsensical values", () => {
    expect(resolveTimeouts(undefined)).toEqual(DEFAULT_SFTP_TIMEOUTS);
    const resolved = resolveTimeouts({ idleMs: 5, connectMs: undefined, operationMs: -1, transferMs: Number.NaN });
    expect(resolved).toEqual({ ...DEFAULT_SFTP_TIMEOUTS, idleMs: 5 });
  });
});
