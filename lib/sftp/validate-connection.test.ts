import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { generateUsableKeyPair, startSftpSimulator, type SftpSimulator, type SftpSimulatorOptions } from "@/tests/support/sftp-server";
import { closedPort, FIRM_CODE, makeFixtureTree, optionsFor, PASSWORD, startRogueServer, TEST_TIMEOUTS, type FixtureTree } from "@/tests/support/sftp-fixtures";
import type { ValidationResult } from "./types";
import { validateConnection, type ValidateConnectionOptions } from "./validate-connection";

let tree: FixtureTree;
const running: Array<{ stop: () => Promise<void> }> = [];

async function simulator(options: Partial<SftpSimulatorOptions> = {}): Promise<SftpSimulator> {
  const sim = await startSftpSimulator({ root: tree.root, firmCode: FIRM_CODE, password: PASSWORD, ...options });
  running.push(sim);
  return sim;
}

function validationOptions(sim: Pick<SftpSimulator, "host" | "port">, overrides: Partial<ValidateConnectionOptions> = {}): ValidateConnectionOptions {
  const { pinnedFingerprint: _ignored, ...base } = optionsFor({ ...sim, hostKeyFingerprint: "" } as SftpSimulator);
  return { ...base, remoteDir: "/outgoing", ...overrides };
}

function statuses(result: ValidationResult): string {
  return result.stages.map((s) => `${s.stage}:${s.status}`).join(" ");
}

function failed(result: ValidationResult) {
  return result.stages.find((s) => s.status === "failed");
}

beforeAll(async () => {
  tree = await makeFixtureTree();
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
});

afterAll(async () => {
  await tree.cleanup();
});

describe("validateConnection", () => {
  it("captures the host key on first use and lists the directory", async () => {
    const sim = await simulator();
    const result = await validateConnection(validationOptions(sim, { sampleSize: 3 }));
    expect(result.ok).toBe(true);
    expect(statuses(result)).toBe("dns:ok tcp:ok ssh_handshake:ok host_key:ok authentication:ok directory_listing:ok");
    expect(result.hostKey).toEqual({ fingerprint: sim.hostKeyFingerprint, algorithm: "ssh-ed25519" });
    expect(result.stages[3]?.detail).toContain("Confirm this fingerprint with ICE");
    expect(result.stages[4]?.detail).toBe(`Logged in as ${FIRM_CODE} using password.`);
    expect(result.stages[5]?.detail).toBe("/outgoing lists 6 entries (4 files).");
    expect(result.files).toHaveLength(3);
    // The session is closed afterwards (the server notices within a bounded wait).
    for (let i = 0; i < 100 && sim.openConnections() > 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(sim.openConnections()).toBe(0);
  });

  it("confirms a pinned key", async () => {
    const sim = await simulator();
    const result = await validateConnection(validationOptions(sim, { pinnedFingerprint: sim.hostKeyFingerprint }));
    expect(result.ok).toBe(true);
    expect(result.stages[3]?.detail).toContain("matches the pinned fingerprint");
  });

  it("reports a changed host key and shows the new one", async () => {
    const sim = await simulator({ hostKey: generateUsableKeyPair("ed25519").private });
    const pinned = "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU";
    const result = await validateConnection(validationOptions(sim, { pinnedFingerprint: pinned }));
    expect(result.ok).toBe(false);
    expect(statuses(result)).toBe("dns:ok tcp:ok ssh_handshake:ok host_key:failed authentication:skipped directory_listing:skipped");
    expect(failed(result)?.detail).toBe(`Host key changed: expected ${pinned}, got ${sim.hostKeyFingerprint} (ssh-ed25519).`);
    expect(failed(result)?.fix).toMatch(/ICE/);
    expect(result.hostKey?.fingerprint).toBe(sim.hostKeyFingerprint);
  });

  it("reports a malformed pinned fingerprint without connecting", async () => {
    const sim = await simulator();
    const result = await validateConnection(validationOptions(sim, { pinnedFingerprint: "MD5:aa:bb" }));
    expect(failed(result)?.stage).toBe("host_key");
    expect(sim.openConnections()).toBe(0);
  });

  it("reports a wrong password and the methods the server accepts", async () => {
    const sim = await simulator({ authorizedPublicKeys: [generateUsableKeyPair("ed25519").public] });
    const result = await validateConnection(validationOptions(sim, { password: "nope" }));
    expect(statuses(result)).toBe("dns:ok tcp:ok ssh_handshake:ok host_key:ok authentication:failed directory_listing:skipped");
    expect(failed(result)?.detail).toBe(`The server rejected the login for ${FIRM_CODE} (tried password). The server accepts: publickey, password.`);
    expect(result.hostKey?.fingerprint).toBe(sim.hostKeyFingerprint);
  });

  it("reports an unreadable private key at the authentication stage, after checking the host", async () => {
    const sim = await simulator();
    const result = await validateConnection(validationOptions(sim, { password: undefined, privateKey: "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----" }));
    expect(statuses(result)).toBe("dns:ok tcp:ok ssh_handshake:ok host_key:ok authentication:failed directory_listing:skipped");
    expect(failed(result)?.detail).toMatch(/^The private key could not be read/);
  });

  it("reports missing credentials as a settings problem", async () => {
    const sim = await simulator();
    const result = await validateConnection(validationOptions(sim, { password: undefined }));
    expect(statuses(result)).toBe("dns:skipped tcp:skipped ssh_handshake:skipped host_key:skipped authentication:failed directory_listing:skipped");
    expect(result.stages[0]?.detail).toBe("Not checked: the settings were rejected before connecting.");
  });

  it("reports a missing directory", async () => {
    const sim = await simulator();
    const result = await validateConnection(validationOptions(sim, { remoteDir: "/incoming" }));
    expect(statuses(result)).toBe("dns:ok tcp:ok ssh_handshake:ok host_key:ok authentication:ok directory_listing:failed");
    expect(failed(result)?.detail).toBe("The directory /incoming does not exist on the server.");
    expect(failed(result)?.fix).toMatch(/outgoing/);
  });

  it("reports a directory the account may not read", async () => {
    const sim = await simulator({ faults: { denyDirectories: ["/private"] } });
    const result = await validateConnection(validationOptions(sim, { remoteDir: "/private" }));
    expect(failed(result)).toMatchObject({ stage: "directory_listing", detail: "The server denied access to /private." });
  });

  it("reports a refused SFTP subsystem at the listing stage", async () => {
    const sim = await simulator({ faults: { refuseSftpSubsystem: true } });
    const result = await validateConnection(validationOptions(sim));
    expect(failed(result)?.stage).toBe("directory_listing");
    expect(result.stages[4]?.status).toBe("ok");
  });

  it("reports a closed port at the TCP stage", async () => {
    const port = await closedPort();
    const result = await validateConnection(validationOptions({ host: "127.0.0.1", port }));
    expect(statuses(result)).toBe("dns:ok tcp:failed ssh_handshake:skipped host_key:skipped authentication:skipped directory_listing:skipped");
    expect(failed(result)?.detail).toContain("refused the connection");
    expect(result.hostKey).toBeNull();
  });

  it("reports the network guard's refusal at the DNS stage", async () => {
    const sim = await simulator();
    const result = await validateConnection(validationOptions(sim, { allowPrivateNetworks: false }));
    expect(statuses(result)).toBe("dns:failed tcp:skipped ssh_handshake:skipped host_key:skipped authentication:skipped directory_listing:skipped");
    expect(failed(result)?.detail).toContain("SFTP_ALLOW_PRIVATE_NETWORKS=true");
    expect(sim.openConnections()).toBe(0);
  });

  it("reports an unknown host name at the DNS stage", async () => {
    const resolver = async () => {
      throw Object.assign(new Error("getaddrinfo ENOTFOUND"), { code: "ENOTFOUND" });
    };
    const result = await validateConnection(validationOptions({ host: "sftp.nowhere.invalid", port: 22 }, { allowedPorts: [22], resolver }));
    expect(failed(result)).toMatchObject({ stage: "dns", detail: "Could not resolve sftp.nowhere.invalid: no such host name. Check the host name." });
  });

  it("reports a silent server at the handshake stage", async () => {
    const rogue = await startRogueServer("silent");
    running.push(rogue);
    const result = await validateConnection(validationOptions({ host: "127.0.0.1", port: rogue.port }, { timeouts: { ...TEST_TIMEOUTS, handshakeMs: 500 } }));
    expect(statuses(result)).toBe("dns:ok tcp:ok ssh_handshake:failed host_key:skipped authentication:skipped directory_listing:skipped");
    expect(failed(result)?.detail).toBe("The server did not complete the SSH handshake within 500 ms.");
  });

  it("reports a server that is not SSH at the handshake stage", async () => {
    const rogue = await startRogueServer("http");
    running.push(rogue);
    const result = await validateConnection(validationOptions({ host: "127.0.0.1", port: rogue.port }));
    expect(failed(result)?.stage).toBe("ssh_handshake");
  });
});
