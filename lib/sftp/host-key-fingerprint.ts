import { createHash } from "node:crypto";
import type { HostKeyInfo } from "./types";

// OpenSSH fingerprints are "SHA256:" + unpadded base64 of sha256(public key blob);
// that is what `ssh-keygen -lf` and the ssh client print, so it is what an admin
// (or ICE support) can compare by eye.

export function fingerprintHostKey(keyBlob: Buffer): string {
  return `SHA256:${createHash("sha256").update(keyBlob).digest("base64").replace(/=+$/, "")}`;
}

/** The key type, which the SSH wire format stores as the blob's first string. */
export function readKeyAlgorithm(keyBlob: Buffer): string {
  if (keyBlob.length < 4) return "unknown";
  const length = keyBlob.readUInt32BE(0);
  if (length === 0 || length > 64 || 4 + length > keyBlob.length) return "unknown";
  const name = keyBlob.subarray(4, 4 + length).toString("latin1");
  return /^[\x21-\x7e]+$/.test(name) ? name : "unknown";
}

export function describeHostKey(keyBlob: Buffer): HostKeyInfo {
  return { fingerprint: fingerprintHostKey(keyBlob), algorithm: readKeyAlgorithm(keyBlob) };
}

/** Fingerprint of an OpenSSH public key line ("ssh-ed25519 AAAA... comment", or a known_hosts line). */
export function fingerprintOpenSshLine(line: string): HostKeyInfo | null {
  const fields = line.trim().split(/\s+/);
  for (let i = 0; i < fields.length - 1; i++) {
    const type = fields[i];
    const base64 = fields[i + 1];
    if (!type || !base64 || !/^(ssh-|ecdsa-|sk-)/.test(type) || !/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) continue;
    const blob = Buffer.from(base64, "base64");
    if (readKeyAlgorithm(blob) !== type) continue;
    return describeHostKey(blob);
  }
  return null;
}

/**
 * Canonical form of an admin-entered fingerprint, or null if it is not a SHA256 one.
 * Accepts any case of the "SHA256:" prefix, surrounding spaces and base64 padding.
 */
export function normalizeFingerprint(input: string): string | null {
  const match = /^\s*sha256:([A-Za-z0-9+/]{43})=?\s*$/i.exec(input);
  return match?.[1] ? `SHA256:${match[1]}` : null;
}
