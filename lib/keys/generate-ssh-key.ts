import { createHash, createPrivateKey, randomBytes } from "node:crypto";
import { utils, type ParsedKey } from "ssh2";
import { AppError } from "@/lib/errors";

export type SshKeyAlgorithm = "rsa" | "ed25519";

export interface GenerateSshKeyOptions {
  /** Default "rsa" (4096 bits): the type every SFTP server accepts. */
  algorithm?: SshKeyAlgorithm;
  /** RSA modulus size; default 4096. Values below 2048 are refused. */
  rsaBits?: number;
  /** Comment appended to the public key line, e.g. "ice-chat-connector@acme". */
  comment?: string;
}

export interface GeneratedSshKey {
  algorithm: SshKeyAlgorithm;
  /** OpenSSH private key ("-----BEGIN OPENSSH PRIVATE KEY-----"), unencrypted: the caller stores it encrypted. */
  privateKey: string;
  /** One line: "ssh-rsa AAAA... comment", as pasted into an authorized_keys file or ICE's form. */
  publicKey: string;
  /** "SHA256:..." exactly as `ssh-keygen -lf` prints it. */
  fingerprint: string;
}

// ssh2's ed25519 generator occasionally emits a key that its own parser rejects
// (about 1 in 256); a few retries make the chance of giving up negligible.
const MAX_GENERATION_ATTEMPTS = 8;

/** Async: RSA 4096 takes seconds, which must not block the web or worker event loop. */
export async function generateSshKey(options: GenerateSshKeyOptions = {}): Promise<GeneratedSshKey> {
  const algorithm = options.algorithm ?? "rsa";
  const rsaBits = options.rsaBits ?? 4096;
  if (algorithm === "rsa" && (!Number.isInteger(rsaBits) || rsaBits < 2048)) {
    throw new AppError("validation_failed", `RSA keys must be at least 2048 bits (got ${rsaBits}).`);
  }
  const comment = options.comment ?? "";
  for (let attempt = 0; attempt < MAX_GENERATION_ATTEMPTS; attempt++) {
    const pair = await generateKeyPair(algorithm, rsaBits, comment);
    const checked = checkGeneratedKeyPair(pair.private, pair.public);
    if (checked) {
      return { algorithm, privateKey: pair.private, publicKey: pair.public.trim(), fingerprint: checked.fingerprint };
    }
  }
  throw new AppError("internal", `Could not generate a valid ${algorithm} SSH key after ${MAX_GENERATION_ATTEMPTS} attempts.`);
}

interface SshKeyPairText {
  private: string;
  public: string;
}

function generateKeyPair(algorithm: SshKeyAlgorithm, rsaBits: number, comment: string): Promise<SshKeyPairText> {
  return new Promise((resolve, reject) => {
    const done = (err: Error | null, pair: SshKeyPairText) => (err ? reject(err) : resolve(pair));
    if (algorithm === "rsa") utils.generateKeyPair("rsa", { bits: rsaBits, comment }, done);
    else utils.generateKeyPair("ed25519", { comment }, done);
  });
}

/** Re-parses a freshly generated pair and proves the private half signs what the public half verifies. */
function checkGeneratedKeyPair(privatePem: string, publicLine: string): { fingerprint: string } | null {
  const priv = firstKey(utils.parseKey(privatePem));
  const pub = firstKey(utils.parseKey(publicLine));
  if (!priv || !pub || !priv.isPrivateKey()) return null;
  const challenge = randomBytes(32);
  try {
    const signature = priv.sign(challenge);
    if (!(signature instanceof Buffer) || !pub.verify(challenge, signature)) return null;
  } catch {
    return null;
  }
  const blob = priv.getPublicSSH();
  if (!blob.equals(pub.getPublicSSH())) return null;
  return { fingerprint: fingerprintOfSshPublicKey(blob) };
}

function firstKey(parsed: ParsedKey | ParsedKey[] | Error): ParsedKey | null {
  if (parsed instanceof Error) return null;
  if (Array.isArray(parsed)) return parsed[0] ?? null;
  return parsed;
}

/**
 * SHA-256 fingerprint as OpenSSH shows it: "SHA256:" + unpadded base64.
 * Accepts the raw public key blob or an OpenSSH public key line ("ssh-ed25519 AAAA... comment").
 */
export function fingerprintOfSshPublicKey(key: Buffer | Uint8Array | string): string {
  const blob = typeof key === "string" ? publicBlobFromLine(key) : Buffer.from(key);
  return "SHA256:" + createHash("sha256").update(blob).digest("base64").replace(/=+$/, "");
}

function publicBlobFromLine(line: string): Buffer {
  const parsed = firstKey(utils.parseKey(line.trim()));
  if (!parsed) {
    throw new AppError("validation_failed", "Not an SSH public key: expected one line like \"ssh-ed25519 AAAA... comment\".");
  }
  return parsed.getPublicSSH();
}

/**
 * Reads a private key an admin uploaded (OpenSSH, PEM/PKCS#1, SEC1 or PKCS#8 for RSA/ECDSA).
 * Errors say which of the usual mistakes it is, so the admin can fix it without guessing.
 */
export function parseSshPrivateKey(pem: string | Buffer, passphrase?: string): ParsedKey {
  const text = Buffer.isBuffer(pem) ? pem.toString("utf8") : pem;
  const pass = passphrase === "" ? undefined : passphrase;
  if (/-----BEGIN (ENCRYPTED )?PRIVATE KEY-----/.test(text)) {
    return parsePkcs8PrivateKey(text, pass);
  }
  const parsed = utils.parseKey(text, pass);
  if (parsed instanceof Error) throw classifySshParseError(parsed, text, pass);
  const key = firstKey(parsed);
  if (!key) throw notAnSshPrivateKey();
  if (!key.isPrivateKey()) {
    throw new AppError("validation_failed", "This is an SSH public key; upload the private key (the file without .pub).");
  }
  return key;
}

function classifySshParseError(err: Error, text: string, passphrase: string | undefined): AppError {
  const msg = err.message;
  if (/no passphrase given/i.test(msg)) return passphraseRequired();
  if (/bad passphrase|integrity check failed|failed to decrypt|bad decrypt/i.test(msg)) return wrongPassphrase();
  // Traditional encrypted PEM reports a wrong passphrase as a malformed key.
  if (passphrase !== undefined && /Proc-Type:\s*4,ENCRYPTED/.test(text)) return wrongPassphrase();
  return notAnSshPrivateKey();
}

/** ssh2 cannot read PKCS#8; node can, and re-exports RSA/EC keys in formats ssh2 reads. */
function parsePkcs8PrivateKey(text: string, passphrase: string | undefined): ParsedKey {
  const encrypted = text.includes("-----BEGIN ENCRYPTED PRIVATE KEY-----");
  if (encrypted && passphrase === undefined) throw passphraseRequired();
  let keyObject;
  try {
    keyObject = createPrivateKey({ key: text, format: "pem", passphrase });
  } catch {
    throw encrypted ? wrongPassphrase() : notAnSshPrivateKey();
  }
  let converted: string;
  if (keyObject.asymmetricKeyType === "rsa") {
    converted = keyObject.export({ type: "pkcs1", format: "pem" }).toString();
  } else if (keyObject.asymmetricKeyType === "ec") {
    converted = keyObject.export({ type: "sec1", format: "pem" }).toString();
  } else {
    throw new AppError(
      "validation_failed",
      `PKCS#8 ${keyObject.asymmetricKeyType ?? "unknown"} keys are not supported; convert the key to OpenSSH format with "ssh-keygen -p -f <file>".`,
    );
  }
  const key = firstKey(utils.parseKey(converted));
  if (!key || !key.isPrivateKey()) throw notAnSshPrivateKey();
  return key;
}

function notAnSshPrivateKey(): AppError {
  return new AppError(
    "validation_failed",
    "Not an SSH private key: expected an OpenSSH (\"-----BEGIN OPENSSH PRIVATE KEY-----\") or PEM private key file.",
  );
}

function passphraseRequired(): AppError {
  return new AppError("validation_failed", "This SSH private key is protected by a passphrase; enter the passphrase.");
}

function wrongPassphrase(): AppError {
  return new AppError("validation_failed", "Wrong passphrase for this SSH private key.");
}
