import pino, { type Logger } from "pino";

// Structured logs. Secrets must never be passed to a logger; the redaction list is a
// second line of defence for fields whose names say they hold one.
const REDACT = [
  "password", "passphrase", "privateKey", "secret", "token", "authorization", "cookie",
  "*.password", "*.passphrase", "*.privateKey", "*.secret", "*.token", "*.authorization", "*.cookie",
  "*.pgpPrivateKey", "*.sshPrivateKey", "*.pgpPassphrase", "*.sshPassphrase", "*.clientSecret",
  "req.headers.authorization", "req.headers.cookie",
];

let root: Logger | undefined;

export function logger(): Logger {
  root ??= pino({
    level: process.env.LOG_LEVEL ?? "info",
    redact: { paths: REDACT, censor: "[redacted]" },
    base: { service: process.env.ICE_SERVICE_NAME ?? "ice-chat-connector" },
  });
  return root;
}
