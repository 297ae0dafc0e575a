// Exchange-looking opaque ids. Real message ids are long base64 strings that end in "=",
// so a client that forgets to URL-encode them breaks here as it would against Graph.

import { randomBytes, randomUUID } from "node:crypto";

function opaque(prefix: string, bytes: number): string {
  // Standard base64 (with "+" and "/" mapped to URL-safe "-" and "_", as Graph REST ids are).
  return prefix + randomBytes(bytes).toString("base64").replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "") + "AAA=";
}

export function newMessageId(): string {
  return opaque("AAMkAD", 96);
}

export function newFolderId(): string {
  return opaque("AQMkAD", 54);
}

export function newAttachmentId(): string {
  return opaque("AAMkAD", 120);
}

export function newGuid(): string {
  return randomUUID();
}

export function newChangeKey(): string {
  return "CQAAABYAAA" + randomBytes(12).toString("base64").replace(/=+$/, "");
}
