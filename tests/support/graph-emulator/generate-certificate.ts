// A self-signed TLS certificate for 127.0.0.1 / localhost, made with the openssl CLI.
// With a certDir the pair is reused across runs, so a runner can point NODE_EXTRA_CA_CERTS
// at a stable path before any Node process that must trust the emulator starts.

import { execFileSync } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export interface EmulatorCertificate {
  certPath: string;
  keyPath: string;
  certPem: string;
  keyPem: string;
}

const OPENSSL = "/usr/bin/openssl";

function isReusable(certPath: string, keyPath: string): boolean {
  if (!existsSync(certPath) || !existsSync(keyPath)) return false;
  try {
    const cert = new X509Certificate(readFileSync(certPath));
    // Keep a margin so a long test run never crosses the expiry.
    return Date.parse(cert.validTo) > Date.now() + 24 * 3600 * 1000 && cert.checkIP("127.0.0.1") === "127.0.0.1";
  } catch {
    return false;
  }
}

export function generateEmulatorCertificate(certDir?: string): EmulatorCertificate {
  const dir = certDir ?? mkdtempSync(path.join(os.tmpdir(), "graph-emulator-tls-"));
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const certPath = path.join(dir, "graph-emulator-cert.pem");
  const keyPath = path.join(dir, "graph-emulator-key.pem");
  if (!isReusable(certPath, keyPath)) {
    execFileSync(
      OPENSSL,
      [
        "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", keyPath, "-out", certPath, "-days", "30", "-subj", "/CN=Graph Emulator (test only)",
        "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,digitalSignature,keyCertSign",
        "-addext", "extendedKeyUsage=serverAuth",
      ],
      { stdio: ["ignore", "ignore", "pipe"], timeout: 30_000 },
    );
  }
  return { certPath, keyPath, certPem: readFileSync(certPath, "utf8"), keyPem: readFileSync(keyPath, "utf8") };
}
