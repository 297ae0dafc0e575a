// Test support only (imported by *.test.ts): drives the real gpg binary in a throw-away
// GNUPGHOME so interop is checked against the implementation ICE-side tools resemble.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export const GPG = "/usr/bin/gpg";
export const hasGpg = existsSync(GPG);
// `npm test` installs gnupg and sets this, so interop tests can never be skipped there.
if (!hasGpg && process.env.ICE_TESTS_REQUIRE_TOOLS === "1") throw new Error(`${GPG} is required for the interop tests (apt-get install gnupg)`);

export interface GpgEncryptOptions {
  recipient: string;
  armor?: boolean;
  /** Compression algorithm name for gpg (--compress-algo), e.g. "zlib", "zip", "bzip2" or "none". */
  compress?: string;
  sign?: boolean;
  throwKeyIds?: boolean;
  extraArgs?: string[];
}

export class GpgHome {
  readonly dir: string;
  private inputs = 0;

  constructor() {
    // Short path: gpg-agent's socket path must stay under the unix socket length limit.
    this.dir = mkdtempSync(path.join(os.tmpdir(), "gpg-"));
  }

  run(args: string[], input?: string | Buffer): Buffer {
    // Input goes through a file, not stdin: when gpg stops early, stdin would end in EPIPE
    // and hide gpg's own error message.
    const files: string[] = [];
    if (input !== undefined) {
      const file = path.join(this.dir, `input-${++this.inputs}`);
      writeFileSync(file, input);
      // With a file argument gpg would write FILE.asc/.gpg; keep results on stdout as with stdin.
      if (!args.includes("--output")) files.unshift("--output", "-");
      files.push(file);
    }
    const options = files.slice(0, -1);
    const argv = ["--homedir", this.dir, "--batch", "--yes", "--no-tty", "--pinentry-mode", "loopback", "--trust-model", "always", ...options, ...args, ...files.slice(-1)];
    const once = () => execFileSync(GPG, argv, { stdio: ["ignore", "pipe", "pipe"], maxBuffer: 512 * 1024 * 1024 });
    try {
      return once();
    } catch (err) {
      const stderr = String((err as { stderr?: Buffer }).stderr ?? "");
      // gpg starts its agent on first use and gives up after a few seconds; on a loaded
      // machine that start-up can be slow. Retry that one environmental failure once.
      if (!/agent|IPC connect/i.test(stderr)) throw new Error(`gpg ${args.join(" ")} failed: ${stderr || String(err)}`);
      execFileSync("gpgconf", ["--homedir", this.dir, "--launch", "gpg-agent"], { stdio: "ignore" });
      return once();
    }
  }

  importKey(armored: string): void {
    this.run(["--import"], armored);
  }

  /** Generates an RSA signing primary key with an encryption subkey, as gpg's defaults do; returns the fingerprint. */
  generateRsaKey(userId: string, passphrase: string, bits = 2048): string {
    this.run(["--passphrase", passphrase, "--quick-gen-key", userId, `rsa${bits}`, "sign,cert", "never"]);
    const listing = this.run(["--with-colons", "--list-secret-keys", userId]).toString("utf8");
    const fprLine = listing.split("\n").find((l) => l.startsWith("fpr:"));
    const fpr = fprLine?.split(":")[9];
    if (!fpr) throw new Error(`gpg listed no fingerprint: ${listing}`);
    this.run(["--passphrase", passphrase, "--quick-add-key", fpr, `rsa${bits}`, "encr", "never"]);
    return fpr;
  }

  exportSecretKey(fingerprint: string, passphrase: string): string {
    return this.run(["--passphrase", passphrase, "--armor", "--export-secret-keys", fingerprint]).toString("utf8");
  }

  encryptFile(inputPath: string, outputPath: string, opts: GpgEncryptOptions): void {
    const args = ["--recipient", opts.recipient, "--output", outputPath];
    if (opts.armor) args.push("--armor");
    if (opts.compress) args.push("--compress-algo", opts.compress);
    if (opts.throwKeyIds) args.push("--throw-keyids");
    args.push(...(opts.extraArgs ?? []));
    args.push(opts.sign ? "--sign" : "", "--encrypt", inputPath);
    this.run(args.filter((a) => a !== ""));
  }

  /** Stops the agent gpg started for secret-key operations and removes the directory. */
  dispose(): void {
    try {
      execFileSync("/usr/bin/gpgconf", ["--homedir", this.dir, "--kill", "all"], { stdio: "ignore" });
    } catch {
      // gpgconf missing or no agent running: nothing to stop.
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
