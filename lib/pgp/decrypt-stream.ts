import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { rm } from "node:fs/promises";
import path from "node:path";
import { Readable, Transform, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import { TextDecoderStream, type ReadableStream as NodeWebReadableStream } from "node:stream/web";
import * as openpgp from "openpgp";
import type { Message, PartialConfig, PrivateKey } from "openpgp";
import { AppError } from "@/lib/errors";
import { formatBytes } from "./bounded-streams";
import { peekStream } from "./peek-stream";
import { describeHead, SNIFF_BYTES, sniffContent } from "./sniff-content";

export const DEFAULT_MAX_PLAINTEXT_BYTES = 4 * 1024 ** 3;

export interface DecryptPgpStreamOptions {
  /** Armored or binary OpenPGP message. It is consumed (and destroyed on failure). */
  input: Readable;
  /** Unlocked private keys: the platform key and its retired predecessors, or the customer's key. */
  decryptionKeys: PrivateKey[];
  /** Existing directory for the plaintext file (the caller owns and cleans it). */
  outputDir: string;
  /** Plaintext larger than this fails as a decompression bomb. Default 4 GiB. */
  maxPlaintextBytes?: number;
  /** Used in error messages only, e.g. the SFTP file name. */
  sourceName?: string;
}

export interface DecryptedFile {
  path: string;
  bytes: number;
}

const PACKET_PKESK = openpgp.enums.packet.publicKeyEncryptedSessionKey;
const PACKET_SKESK = openpgp.enums.packet.symEncryptedSessionKey;
const PACKET_SED = openpgp.enums.packet.symmetricallyEncryptedData;
const PACKET_SEIPD = openpgp.enums.packet.symEncryptedIntegrityProtectedData;
const PACKET_AEAD = openpgp.enums.packet.aeadEncryptedData;
const WILDCARD_KEY_ID = "0000000000000000";

/**
 * Decrypts an OpenPGP message to a new file in `outputDir` without holding the plaintext
 * in memory. openpgp streams non-AEAD plaintext only with `allowUnauthenticatedStream`, so
 * the integrity check (MDC) is confirmed only when the stream ends: this function returns
 * only after that, and on any failure deletes the partial file before throwing. Callers
 * must not look at the file before the promise resolves.
 */
export async function decryptPgpStreamToFile(options: DecryptPgpStreamOptions): Promise<DecryptedFile> {
  const { input, decryptionKeys, outputDir } = options;
  const maxBytes = options.maxPlaintextBytes ?? DEFAULT_MAX_PLAINTEXT_BYTES;
  const label = options.sourceName ? `"${options.sourceName}"` : "the file";
  if (decryptionKeys.length === 0) {
    input.destroy();
    throw new AppError("crypto_failed", `Cannot decrypt ${label}: no decryption key is configured.`);
  }
  const config: PartialConfig = {
    allowUnauthenticatedStream: true,
    // Stated explicitly: messages without an integrity check (SED packets) are refused.
    allowUnauthenticatedMessages: false,
    maxDecompressedMessageSize: maxBytes,
  };

  const outPath = path.join(outputDir, `decrypted-${randomBytes(12).toString("hex")}.bin`);
  let stage: Stage = "read";
  let hiddenRecipients = false;
  // A failing source (e.g. a dropped download) is reported as itself, not as a crypto problem.
  let inputError: unknown = null;
  input.once("error", (err) => {
    inputError = err;
  });
  let source: Readable = input;
  try {
    const peeked = await peekStream(input, SNIFF_BYTES);
    source = peeked.stream;
    const kind = sniffContent(peeked.head);
    if (kind !== "pgp-armored" && kind !== "pgp-binary") {
      throw new AppError(
        "crypto_failed",
        kind === "empty"
          ? `Cannot decrypt ${label}: it is empty.`
          : `Cannot decrypt ${label}: it is not an OpenPGP message (starts with ${describeHead(peeked.head)}).`,
      );
    }
    const message = await readMessageFromStream(source, kind === "pgp-armored", config);
    stage = "keys";
    checkMessageStructure(message, label);
    hiddenRecipients = checkRecipients(message, decryptionKeys, label);

    stage = "session";
    const result = await openpgp.decrypt({ message, decryptionKeys, format: "binary", config });
    // Signatures are not checked (no sender key); keep their pending promises from surfacing as unhandled.
    for (const sig of result.signatures) sig.verified.catch(() => undefined);

    stage = "data";
    const plaintext = Readable.fromWeb(result.data as NodeWebReadableStream<Uint8Array>);
    let bytes = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _enc: BufferEncoding, callback: TransformCallback) {
        bytes += chunk.length;
        if (bytes > maxBytes) callback(new Error("Maximum decompressed message size exceeded"));
        else callback(null, chunk);
      },
    });
    await pipeline(plaintext, counter, createWriteStream(outPath, { flags: "wx", mode: 0o600 }));
    return { path: outPath, bytes };
  } catch (err) {
    source.destroy();
    input.destroy();
    await rm(outPath, { force: true });
    if (inputError) throw inputError;
    throw toCryptoError(err, stage, label, maxBytes, hiddenRecipients);
  }
}

type Stage = "read" | "keys" | "session" | "data";

async function readMessageFromStream(source: Readable, armored: boolean, config: PartialConfig): Promise<Message<NodeWebReadableStream<Uint8Array>>> {
  const web = Readable.toWeb(source) as NodeWebReadableStream<Uint8Array>;
  if (armored) {
    // Armor is ASCII; decode to the string stream openpgp's dearmoring expects.
    const text = web.pipeThrough(new TextDecoderStream());
    const message = await openpgp.readMessage({ armoredMessage: text, config });
    return message as unknown as Message<NodeWebReadableStream<Uint8Array>>;
  }
  return openpgp.readMessage({ binaryMessage: web, config });
}

function checkMessageStructure(message: Message<NodeWebReadableStream<Uint8Array>>, label: string): void {
  const has = (tag: openpgp.enums.packet) => message.packets.filterByTag(tag).length > 0;
  if (has(PACKET_SED)) {
    throw new AppError(
      "crypto_failed",
      `Refusing ${label}: it is encrypted without integrity protection (old-style OpenPGP "SED" packet, no MDC), so tampering could not be detected. Ask the sender to use a current OpenPGP setting (MDC/SEIPD).`,
    );
  }
  if (!has(PACKET_SEIPD) && !has(PACKET_AEAD)) {
    throw new AppError("crypto_failed", `${capitalize(label)} is OpenPGP data but holds no encrypted message (only signed, compressed or key material).`);
  }
  if (!has(PACKET_PKESK)) {
    throw new AppError(
      "crypto_failed",
      has(PACKET_SKESK)
        ? `${capitalize(label)} is encrypted with a password, not to a public key; only key-based encryption is supported.`
        : `${capitalize(label)} names no recipient key (no public-key session packet); it cannot be decrypted.`,
    );
  }
}

/** Returns true when the recipients are hidden (wildcard key IDs) and so could not be checked. */
function checkRecipients(message: Message<NodeWebReadableStream<Uint8Array>>, keys: PrivateKey[], label: string): boolean {
  const recipients = message.getEncryptionKeyIDs().map((id) => id.toHex().toUpperCase());
  // Anonymous recipients (gpg --throw-keyids) cannot be matched up front; let every key try.
  if (recipients.includes(WILDCARD_KEY_ID)) return true;
  const ours = new Set(keys.flatMap((k) => k.getKeyIDs().map((id) => id.toHex().toUpperCase())));
  if (recipients.some((id) => ours.has(id))) return false;
  throw new AppError(
    "crypto_failed",
    `${capitalize(label)} is encrypted to key ID${recipients.length === 1 ? "" : "s"} ${recipients.join(", ")}, which none of the configured keys match (configured key IDs: ${[...ours].join(", ")}). Check which public key the sender encrypts to.`,
    { recipientKeyIds: recipients, configuredKeyIds: [...ours] },
  );
}

function toCryptoError(err: unknown, stage: Stage, label: string, maxBytes: number, hiddenRecipients: boolean): AppError {
  if (err instanceof AppError) return err;
  const msg = err instanceof Error ? err.message : String(err);
  const Label = capitalize(label);
  if (/Maximum decompressed message size exceeded/i.test(msg)) {
    return new AppError("crypto_failed", `${Label} decrypts to more than the allowed ${formatBytes(maxBytes)} (possible decompression bomb); nothing from it was used.`);
  }
  if (/Message is not authenticated/i.test(msg)) {
    return new AppError("crypto_failed", `Refusing ${label}: it is encrypted without integrity protection (no MDC).`);
  }
  if (stage === "session") {
    // The message names a configured key (or hides its recipients), yet no session key came out.
    return new AppError(
      "crypto_failed",
      hiddenRecipients
        ? `${Label} hides its recipient key IDs and none of the configured keys could decrypt it (encrypted to another key, or damaged).`
        : `${Label} names one of the configured keys but its session key could not be decrypted with it (damaged file, or a different key with the same key ID).`,
    );
  }
  if (/armor/i.test(msg)) {
    return new AppError("crypto_failed", `${Label} has damaged PGP armor (text block broken, truncated or its checksum does not match); nothing from it was used.`);
  }
  if (/Modification detected|Authentication tag mismatch|integrity/i.test(msg)) {
    return new AppError("crypto_failed", `${Label} failed the OpenPGP integrity check: it was altered or damaged after encryption; nothing from it was used.`);
  }
  if (/unexpected end|premature|truncat|end of (stream|file|packet)|not enough data|underflow/i.test(msg)) {
    return new AppError("crypto_failed", `${Label} is truncated or damaged: the OpenPGP data ends before its packets do (incomplete download?); nothing from it was used.`);
  }
  if (stage === "read") {
    return new AppError("crypto_failed", `${Label} is not a readable OpenPGP message (damaged or not PGP data): ${safeDetail(msg)}`);
  }
  return new AppError("crypto_failed", `${Label} could not be decrypted: the OpenPGP data is damaged (${safeDetail(msg)}); nothing from it was used.`);
}

// openpgp's messages name packets and algorithms, never key material or plaintext; still cap their length.
function safeDetail(msg: string): string {
  const cleaned = msg.replace(/[^\x20-\x7e]/g, "?");
  return cleaned.length > 160 ? cleaned.slice(0, 160) + "..." : cleaned;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
