import type { Socket } from "node:net";
import type { Readable } from "node:stream";
import type { Client, SFTPWrapper } from "ssh2";
import type { VettedTarget } from "@/lib/net/vet-target";
import { downloadFile, type DownloadFileOptions } from "./download-file";
import { listDirectory } from "./list-directory";
import { openReadStream, type OpenReadStreamOptions } from "./open-read-stream";
import type { SessionChannel } from "./session-channel";
import type { SftpError } from "./sftp-error";
import { statRemoteFile } from "./stat-remote-file";
import type { DownloadResult, HostKeyInfo, RemoteEntry, RemoteStat, SftpTimeouts } from "./types";

const CLOSE_GRACE_MS = 2_000;

/** An authenticated SFTP connection. Always call close() (use try/finally). */
export class SftpSession {
  readonly hostKey: HostKeyInfo;
  readonly target: VettedTarget;
  /** The login methods that were accepted, in order (e.g. ["publickey", "password"]). */
  readonly authMethods: string[];
  private readonly channel: SessionChannel;
  private lost: SftpError | undefined;
  private readonly lostListeners = new Set<(reason: SftpError) => void>();
  private closing: Promise<void> | undefined;

  constructor(
    private readonly client: Client,
    private readonly socket: Socket,
    sftp: SFTPWrapper,
    init: { hostKey: HostKeyInfo; target: VettedTarget; authMethods: string[]; timeouts: SftpTimeouts },
  ) {
    this.hostKey = init.hostKey;
    this.target = init.target;
    this.authMethods = init.authMethods;
    this.channel = {
      sftp,
      timeouts: init.timeouts,
      lostReason: () => this.lost,
      onLost: (listener) => {
        this.lostListeners.add(listener);
        return () => this.lostListeners.delete(listener);
      },
    };
  }

  /** Called by the connector when the SSH connection ends for any reason. */
  markLost(reason: SftpError): void {
    if (this.lost) return;
    this.lost = reason;
    for (const listener of [...this.lostListeners]) listener(reason);
    this.lostListeners.clear();
  }

  get isOpen(): boolean {
    return this.lost === undefined;
  }

  listDirectory(remoteDir: string): Promise<RemoteEntry[]> {
    return listDirectory(this.channel, remoteDir);
  }

  stat(remotePath: string): Promise<RemoteStat> {
    return statRemoteFile(this.channel, remotePath);
  }

  downloadFile(remotePath: string, localDir: string, options?: DownloadFileOptions): Promise<DownloadResult> {
    return downloadFile(this.channel, remotePath, localDir, options);
  }

  openReadStream(remotePath: string, options?: OpenReadStreamOptions): Readable {
    return openReadStream(this.channel, remotePath, options);
  }

  /** Ends the SSH connection; never hangs (the socket is destroyed after a short grace period). */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      if (this.socket.destroyed) return resolve();
      const timer = setTimeout(() => {
        this.socket.destroy();
        resolve();
      }, CLOSE_GRACE_MS);
      this.socket.once("close", () => {
        clearTimeout(timer);
        resolve();
      });
      this.client.end();
    });
    return this.closing;
  }
}
