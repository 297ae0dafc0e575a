import { createHash } from "node:crypto";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Client, type SFTPWrapper } from "ssh2";
import { startSftpSimulator, type SftpSimulator } from "@/tests/support/sftp-server";
import { connectSftp } from "./connect-sftp";
import { BIG_FILE_BYTES, expectSftpError, FIRM_CODE, makeFixtureTree, optionsFor, PASSWORD, type FixtureTree } from "@/tests/support/sftp-fixtures";
import type { SftpSession } from "./sftp-session";

const BIG = "/outgoing/ACME01_20240115.zip.pgp";
let tree: FixtureTree;
let sim: SftpSimulator;
let session: SftpSession;
let localDir: string;

const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");

beforeAll(async () => {
  tree = await makeFixtureTree();
  sim = await startSftpSimulator({ root: tree.root, firmCode: FIRM_CODE, password: PASSWORD });
});

afterAll(async () => {
  await sim.stop();
  await tree.cleanup();
});

beforeEach(async () => {
  sim.setFaults({});
  localDir = await fs.mkdtemp(path.join(os.tmpdir(), "sftp-download-"));
  session = await connectSftp(optionsFor(sim));
});

afterEach(async () => {
  await session.close();
  await fs.rm(localDir, { recursive: true, force: true });
});

describe("listDirectory", () => {
  it("lists entries with size, mtime and type; symlinks to files count as files", async () => {
    const entries = await session.listDirectory("/outgoing");
    const byName = Object.fromEntries(entries.map((e) => [e.name, e]));
    expect(Object.keys(byName).sort()).toEqual(["ACME01_20240115.zip.pgp", "ACME01_20240116.xml.pgp", "archive", "empty.pgp", "escape.txt", "latest.xml.pgp"]);
    expect(byName["ACME01_20240115.zip.pgp"]).toMatchObject({ path: BIG, size: BIG_FILE_BYTES, isFile: true, type: "file" });
    expect(byName["ACME01_20240115.zip.pgp"]?.mtime).toBeInstanceOf(Date);
    expect(Math.abs((byName["ACME01_20240115.zip.pgp"]?.mtime.getTime() ?? 0) - Date.now())).toBeLessThan(24 * 3600 * 1000);
    expect(byName["archive"]).toMatchObject({ isFile: false, type: "directory" });
    expect(byName["latest.xml.pgp"]).toMatchObject({ isFile: true, type: "symlink", size: 11 });
    // The simulator refuses to follow a link out of its root, so it is not downloadable.
    expect(byName["escape.txt"]).toMatchObject({ isFile: false, type: "symlink" });
  });

  it("cannot climb out of the served root", async () => {
    const entries = await session.listDirectory("/../../..");
    expect(entries.map((e) => e.name).sort()).toEqual(["outgoing", "private"]);
  });

  it("reports a missing directory and a forbidden one", async () => {
    expect((await expectSftpError(session.listDirectory("/nope"))).kind).toBe("not_found");
    sim.setFaults({ denyDirectories: ["/private"] });
    const denied = await expectSftpError(session.listDirectory("/private"));
    expect(denied.kind).toBe("permission_denied");
    expect(denied.message).toBe("The SFTP server denied access to /private.");
  });

  it("times out when the server stops answering", async () => {
    sim.setFaults({ stallAllRequests: true });
    const err = await expectSftpError(session.listDirectory("/outgoing"));
    expect(err.kind).toBe("timeout");
    expect(err.message).toBe("The SFTP server did not answer directory listing of /outgoing within 2 s.");
  });
});

describe("downloadFile", () => {
  it("downloads a multi-MB file byte for byte and leaves no temp file", async () => {
    const result = await session.downloadFile(BIG, localDir);
    expect(result).toMatchObject({ path: path.join(localDir, "ACME01_20240115.zip.pgp"), size: BIG_FILE_BYTES, remotePath: BIG });
    const written = await fs.readFile(result.path);
    expect(sha256(written)).toBe(sha256(tree.bigFile));
    expect(result.sha256).toBe(sha256(tree.bigFile));
    expect(await fs.readdir(localDir)).toEqual(["ACME01_20240115.zip.pgp"]);
  });

  it("reassembles short reads correctly", async () => {
    sim.setFaults({ maxReadChunkBytes: 7_001 });
    const result = await session.downloadFile(BIG, localDir, { localName: "short-reads.bin" });
    expect(sha256(await fs.readFile(result.path))).toBe(sha256(tree.bigFile));
  });

  it("downloads empty files and symlinked files", async () => {
    expect((await session.downloadFile("/outgoing/empty.pgp", localDir)).size).toBe(0);
    const linked = await session.downloadFile("/outgoing/latest.xml.pgp", localDir);
    expect(await fs.readFile(linked.path, "utf8")).toBe("small file\n");
  });

  it("detects a size mismatch and keeps nothing", async () => {
    sim.setFaults({ misreportSizeBy: 10 });
    const err = await expectSftpError(session.downloadFile("/outgoing/ACME01_20240116.xml.pgp", localDir));
    expect(err.kind).toBe("size_mismatch");
    expect(err.code).toBe("source_invalid");
    expect(err.message).toBe("Downloaded 11 bytes of /outgoing/ACME01_20240116.xml.pgp but the server reports 21 bytes.");
    expect(await fs.readdir(localDir)).toEqual([]);
  });

  it("abandons a stalled read at the idle deadline and keeps nothing", async () => {
    sim.setFaults({ stallReadsAfterBytes: 300_000 });
    const err = await expectSftpError(session.downloadFile(BIG, localDir));
    expect(err.kind).toBe("timeout");
    expect(err.message).toMatch(/^No data arrived for 800 ms while downloading \/outgoing\/ACME01_20240115\.zip\.pgp \(\d+ bytes received\)\.$/);
    expect(await fs.readdir(localDir)).toEqual([]);
  });

  it("fails cleanly when the connection drops mid-file", async () => {
    sim.setFaults({ dropConnectionAfterBytes: 1_000_000 });
    const err = await expectSftpError(session.downloadFile(BIG, localDir));
    expect(err.kind).toBe("connection_lost");
    expect(await fs.readdir(localDir)).toEqual([]);
    expect(session.isOpen).toBe(false);
    // Later calls fail fast instead of hanging.
    expect((await expectSftpError(session.listDirectory("/outgoing"))).kind).toBe("connection_lost");
    expect((await expectSftpError(session.downloadFile(BIG, localDir))).kind).toBe("connection_lost");
  });

  it("refuses paths that are not regular files, escape the root, or do not exist", async () => {
    expect((await expectSftpError(session.downloadFile("/outgoing/archive", localDir))).kind).toBe("invalid_path");
    expect((await expectSftpError(session.downloadFile("/outgoing/escape.txt", localDir))).kind).toBe("permission_denied");
    expect((await expectSftpError(session.downloadFile("/../../etc/passwd", localDir))).kind).toBe("not_found");
    expect((await expectSftpError(session.downloadFile("/outgoing/missing.pgp", localDir))).kind).toBe("not_found");
    expect(await fs.readdir(localDir)).toEqual([]);
  });

  it.each(["..", ".", "", "a/b", "a\\b", "bad\u0000name", "new\nline"])("refuses the unsafe local name %j", async (localName) => {
    const err = await expectSftpError(session.downloadFile(BIG, localDir, { localName }));
    expect(err.kind).toBe("invalid_path");
    expect(await fs.readdir(localDir)).toEqual([]);
  });

  it("reports a missing download directory as a local problem", async () => {
    const err = await expectSftpError(session.downloadFile("/outgoing/ACME01_20240116.xml.pgp", path.join(localDir, "missing")));
    expect(err.kind).toBe("local_io");
  });
});

describe("openReadStream", () => {
  it("streams the file and checks the expected size", async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of session.openReadStream(BIG, { expectedSize: BIG_FILE_BYTES })) chunks.push(chunk as Buffer);
    expect(sha256(Buffer.concat(chunks))).toBe(sha256(tree.bigFile));
  });

  it("does not mistake a slow consumer for a stalled server", async () => {
    const chunks: Buffer[] = [];
    let paused = false;
    for await (const chunk of session.openReadStream(BIG, { expectedSize: BIG_FILE_BYTES })) {
      chunks.push(chunk as Buffer);
      if (!paused) {
        paused = true;
        // Longer than the 800 ms idle limit, while the stream's buffers are full.
        await new Promise((resolve) => setTimeout(resolve, 1_500));
      }
    }
    expect(sha256(Buffer.concat(chunks))).toBe(sha256(tree.bigFile));
  });

  it("errors when fewer bytes arrive than expected", async () => {
    const consume = async () => {
      for await (const _chunk of session.openReadStream("/outgoing/ACME01_20240116.xml.pgp", { expectedSize: 12 })) void _chunk;
    };
    expect((await expectSftpError(consume())).kind).toBe("size_mismatch");
  });

  it("errors on a stall instead of hanging", async () => {
    sim.setFaults({ stallReadsAfterBytes: 0 });
    const consume = async () => {
      for await (const _chunk of session.openReadStream(BIG)) void _chunk;
    };
    expect((await expectSftpError(consume())).kind).toBe("timeout");
  });
});

describe("the simulator itself", () => {
  it("is read-only: write opens and mutations are refused", async () => {
    const client = new Client();
    const sftp = await new Promise<SFTPWrapper>((resolve, reject) => {
      client.on("error", reject);
      client.on("ready", () => client.sftp((err, s) => (err ? reject(err) : resolve(s))));
      client.connect({ host: sim.host, port: sim.port, username: FIRM_CODE, password: PASSWORD, readyTimeout: 5_000 });
    });
    try {
      const openForWrite = await new Promise<unknown>((resolve) => sftp.open("/outgoing/new.txt", "w", (err) => resolve(err)));
      expect(openForWrite).toMatchObject({ code: 3 });
      const remove = await new Promise<unknown>((resolve) => sftp.unlink("/outgoing/empty.pgp", (err) => resolve(err)));
      expect(remove).toMatchObject({ code: 8 });
      const mkdir = await new Promise<unknown>((resolve) => sftp.mkdir("/outgoing/x", (err) => resolve(err)));
      expect(mkdir).toMatchObject({ code: 8 });
      await expect(fs.readdir(path.join(tree.root, "outgoing"))).resolves.toContain("empty.pgp");
    } finally {
      client.end();
    }
  });
});
