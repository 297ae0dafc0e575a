import { randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import * as openpgp from "openpgp";
import { describe, expect, it } from "vitest";
import { peekStream, readStreamHead } from "./peek-stream";
import { packetTag, sniffContent } from "./sniff-content";

const b = (...bytes: number[]) => Uint8Array.from(bytes);

describe("sniffContent", () => {
  it("recognises XML with and without BOM and leading whitespace", () => {
    expect(sniffContent(Buffer.from("<?xml version='1.0'?><a/>"))).toBe("xml");
    expect(sniffContent(Buffer.from("\ufeff<a/>"))).toBe("xml");
    expect(sniffContent(Buffer.from("\ufeff \r\n\t <IceChatExport>"))).toBe("xml");
    expect(sniffContent(Buffer.from("\n\n<a/>"))).toBe("xml");
    expect(sniffContent(Buffer.from("\ufeff<a/>", "utf16le"))).toBe("xml");
  });

  it("recognises gzip and zip magic numbers", () => {
    expect(sniffContent(gzipSync("<a/>"))).toBe("gzip");
    expect(sniffContent(b(0x50, 0x4b, 0x03, 0x04, 0x14))).toBe("zip");
    expect(sniffContent(b(0x50, 0x4b, 0x05, 0x06, 0, 0))).toBe("zip"); // empty archive
    expect(sniffContent(b(0x50, 0x4b, 0x07, 0x08))).toBe("unknown"); // spanned-archive marker: not supported
  });

  it("recognises armored PGP, also after whitespace", () => {
    expect(sniffContent(Buffer.from("-----BEGIN PGP MESSAGE-----\n\nhQEMA"))).toBe("pgp-armored");
    expect(sniffContent(Buffer.from("\r\n  -----BEGIN PGP MESSAGE-----\n"))).toBe("pgp-armored");
    expect(sniffContent(Buffer.from("-----BEGIN RSA PRIVATE KEY-----"))).toBe("unknown");
  });

  it("recognises binary OpenPGP packets in old and new formats", () => {
    // old format: 10tttt ll
    expect(sniffContent(b(0x84, 0x8c))).toBe("pgp-binary"); // tag 1 PKESK, old
    expect(sniffContent(b(0x85, 0x01, 0x0c))).toBe("pgp-binary"); // tag 1 PKESK, old, 2-byte length
    expect(sniffContent(b(0x8c, 0x0d))).toBe("pgp-binary"); // tag 3 SKESK, old
    expect(sniffContent(b(0xa3, 0x01))).toBe("pgp-binary"); // tag 8 compressed, old, indeterminate length
    expect(sniffContent(b(0xa4, 0x01))).toBe("pgp-binary"); // tag 9 SED (recognised so it can be refused)
    // new format: 11tttttt
    expect(sniffContent(b(0xc1, 0x5e))).toBe("pgp-binary"); // tag 1
    expect(sniffContent(b(0xc3, 0x0d))).toBe("pgp-binary"); // tag 3
    expect(sniffContent(b(0xc8, 0x10))).toBe("pgp-binary"); // tag 8
    expect(sniffContent(b(0xd2, 0xe0))).toBe("pgp-binary"); // tag 18 SEIPD
    // other packets at the start are not an encrypted message
    expect(sniffContent(b(0x99, 0x01))).toBe("unknown"); // tag 6 public key (old)
    expect(sniffContent(b(0xc6, 0x01))).toBe("unknown"); // tag 6 public key (new)
    expect(sniffContent(b(0xcb, 0x01))).toBe("unknown"); // tag 11 literal
    expect(packetTag(0xd2)).toBe(18);
    expect(packetTag(0x85)).toBe(1);
    expect(packetTag(0xa3)).toBe(8);
  });

  it("recognises real openpgp output", async () => {
    const message = await openpgp.createMessage({ text: "hello" });
    const binary = await openpgp.encrypt({ message, passwords: "pw", format: "binary" });
    expect(sniffContent(binary)).toBe("pgp-binary");
    const armored = await openpgp.encrypt({ message: await openpgp.createMessage({ text: "hello" }), passwords: "pw" });
    expect(sniffContent(Buffer.from(armored))).toBe("pgp-armored");
  });

  it("calls everything else unknown or empty", () => {
    expect(sniffContent(new Uint8Array(0))).toBe("empty");
    expect(sniffContent(Buffer.from("   \n\t"))).toBe("unknown");
    expect(sniffContent(Buffer.from("ImId,Mailbox\n"))).toBe("unknown");
    expect(sniffContent(Buffer.from("{\"a\":1}"))).toBe("unknown");
    expect(sniffContent(b(0x1f))).toBe("unknown");
    expect(sniffContent(b(0x50, 0x4b))).toBe("unknown");
    expect(sniffContent(Buffer.from("%PDF-1.7"))).toBe("unknown");
  });
});

describe("peekStream", () => {
  it("returns the head and replays the whole stream", async () => {
    const data = randomBytes(100_000);
    const chunks = [data.subarray(0, 10), data.subarray(10, 50_000), data.subarray(50_000)];
    const { head, stream } = await peekStream(Readable.from(chunks), 1024);
    expect(head.equals(data.subarray(0, 1024))).toBe(true);
    const all: Buffer[] = [];
    for await (const c of stream) all.push(c as Buffer);
    expect(Buffer.concat(all).equals(data)).toBe(true);
  });

  it("handles streams shorter than the head and empty streams", async () => {
    const short = await peekStream(Readable.from([Buffer.from("abc")]), 1024);
    expect(short.head.toString()).toBe("abc");
    const all: Buffer[] = [];
    for await (const c of short.stream) all.push(c as Buffer);
    expect(Buffer.concat(all).toString()).toBe("abc");
    const empty = await peekStream(Readable.from([]), 16);
    expect(empty.head.length).toBe(0);
  });

  it("passes source errors through", async () => {
    async function* failing() {
      yield Buffer.from("0123456789");
      throw new Error("boom");
    }
    const { stream } = await peekStream(Readable.from(failing()), 4);
    await expect(async () => {
      for await (const _ of stream) void _;
    }).rejects.toThrow("boom");
  });

  it("readStreamHead reads only the head and closes the source", async () => {
    const source = Readable.from([Buffer.alloc(10, 1), Buffer.alloc(10, 2), Buffer.alloc(10, 3)]);
    const head = await readStreamHead(source, 15);
    expect(head.length).toBe(15);
    expect(source.destroyed).toBe(true);
  });
});
