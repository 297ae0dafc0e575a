// POST .../messages with Content-Type text/plain and a base64 MIME body. Exchange always
// makes such an item a draft; headers we understand fill the Graph properties.

import { simpleParser, type AddressObject } from "mailparser";
import { badRequest } from "./graph-error";
import type { Recipient } from "./types";

export interface MimeFields {
  mime: Buffer;
  subject: string;
  body: { contentType: "text" | "html"; content: string };
  from: Recipient | null;
  toRecipients: Recipient[];
  ccRecipients: Recipient[];
  bccRecipients: Recipient[];
  internetMessageId: string | null;
  sentDateTime: string | null;
}

function recipients(value: AddressObject | AddressObject[] | undefined): Recipient[] {
  const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return list.flatMap((a) => a.value).map((a) => ({ emailAddress: { address: a.address ?? "", name: a.name || a.address || "" } }));
}

export async function readMimeBody(body: Buffer): Promise<MimeFields> {
  const text = body.toString("ascii").replace(/\s+/g, "");
  if (text.length === 0 || text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) {
    throw badRequest("ErrorMimeContentInvalidBase64String", "Invalid base64 string for MIME content.");
  }
  const mime = Buffer.from(text, "base64");
  const headerEnd = mime.indexOf("\r\n\r\n") >= 0 ? mime.indexOf("\r\n\r\n") : mime.indexOf("\n\n");
  if (headerEnd <= 0 || !/^[!-9;-~]+:/m.test(mime.subarray(0, headerEnd).toString("latin1"))) {
    throw badRequest("ErrorMimeContentConversionFailed", "The MIME content could not be converted: no header section found.");
  }
  const parsed = await simpleParser(mime);
  const html = typeof parsed.html === "string" ? parsed.html : null;
  return {
    mime,
    subject: parsed.subject ?? "",
    body: html !== null ? { contentType: "html", content: html } : { contentType: "text", content: parsed.text ?? "" },
    from: recipients(parsed.from)[0] ?? null,
    toRecipients: recipients(parsed.to),
    ccRecipients: recipients(parsed.cc),
    bccRecipients: recipients(parsed.bcc),
    internetMessageId: parsed.messageId ?? null,
    sentDateTime: parsed.date ? parsed.date.toISOString().replace(/\.\d{3}Z$/, "Z") : null,
  };
}
