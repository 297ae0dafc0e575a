// Generates a realistic, deterministic ICE Chat day export into a directory: one or more XML
// parts, optionally gzip-compressed or zipped, optionally PGP-encrypted, streamed to disk
// with backpressure. Returns the files and a manifest tests can compute expectations from.

import { createWriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { createGzip } from "node:zlib";
import * as openpgp from "openpgp";
import yazl from "yazl";
import { createPrng } from "./prng";
import { planConversations, splitIntoParts, spreadMessages, type PartPlan } from "./day-plan";
import { DayXmlWriter, type DayTally, type SampleItem } from "./day-xml-writer";
import { buildUserPool, type GeneratedUser } from "./vocabulary";

export type { GeneratedUser } from "./vocabulary";
export type { SampleItem } from "./day-xml-writer";

export type DayContainer = "xml" | "gzip" | "zip";

export interface GenerateDayOptions {
  outputDir: string;
  seed?: number | string;
  /** yyyy-MM-dd, UTC. */
  date?: string;
  firmCode?: string;
  conversations?: number;
  /** Participants at the start of each conversation: a number or [min, max]. Default [2, 6]. */
  participantsPerConversation?: number | readonly [number, number];
  /** Default 20; ignored when totalMessages is set. */
  messagesPerConversation?: number;
  /** Spread over the conversations (overrides messagesPerConversation). */
  totalMessages?: number;
  /** Probability that a message carries an attachment. Default 0.02. */
  attachmentRate?: number;
  /** Names and content with accents, CJK, RTL, emoji. Default true. */
  unicode?: boolean;
  /** Number of XML parts the day is split into (conversations continue across parts). Default 1. */
  files?: number;
  /** Size of the user pool. Default max(8, 2 x max participants). */
  users?: number;
  /** xml: one .xml file per part; gzip: one .xml.gz per part; zip: one archive holding every part. */
  container?: DayContainer;
  /** Encrypt every output file to this key (binary by default, armored when armor is true). */
  pgp?: { armoredPublicKey: string; armor?: boolean };
  /** Mix the tolerated forms: attribute ids, name casing, all timestamp forms, recipient lists. */
  variety?: boolean;
  /** Max sample items recorded in the manifest. Default 50. */
  maxSamples?: number;
}

export interface GeneratedFile {
  fileName: string;
  path: string;
}

export interface DayManifest {
  seed: number | string;
  date: string;
  firmCode: string;
  container: DayContainer;
  encrypted: boolean;
  armored: boolean;
  totalMessages: number;
  totalAttachments: number;
  /** Distinct ConversationIDs. */
  conversations: number;
  /** ConversationIDs that appear in more than one XML part. */
  continuedConversationIds: string[];
  files: Array<GeneratedFile & { messages: number; parts: Array<{ name: string; messages: number }> }>;
  users: GeneratedUser[];
  /** ImId -> number of items it is the sender or a recipient of (each item counted once per user). */
  itemsPerUser: Record<string, number>;
  samples: SampleItem[];
}

export interface GeneratedDay {
  files: GeneratedFile[];
  manifest: DayManifest;
}

function partName(firmCode: string, date: string, index: number): string {
  return `ICECHAT_${firmCode}_${date.replaceAll("-", "")}_${String(index + 1).padStart(3, "0")}.xml`;
}

export async function generateDay(options: GenerateDayOptions): Promise<GeneratedDay> {
  const seed = options.seed ?? 1;
  const date = options.date ?? "2026-11-22";
  const firmCode = options.firmCode ?? "ACME01";
  const conversations = options.conversations ?? 10;
  const container = options.container ?? "xml";
  const parts = options.files ?? 1;
  const unicode = options.unicode ?? true;
  const raw = options.participantsPerConversation ?? [2, 6];
  const participants = typeof raw === "number" ? { min: raw, max: raw } : { min: raw[0], max: raw[1] };
  if (conversations < 1 || parts < 1 || participants.min < 2 || participants.max < participants.min) {
    throw new Error("generateDay: need conversations >= 1, files >= 1 and 2 <= participants min <= max");
  }
  const messageCounts =
    options.totalMessages !== undefined
      ? spreadMessages(options.totalMessages, conversations)
      : Array.from({ length: conversations }, () => options.messagesPerConversation ?? 20);

  const prng = createPrng(seed);
  const users = buildUserPool(prng, options.users ?? Math.max(8, participants.max * 2), unicode);
  const plans = planConversations(prng, users, { date, conversations, participants, messageCounts, unicode, parts });
  const partPlans = splitIntoParts(plans, parts);
  const totalMessages = messageCounts.reduce((a, b) => a + b, 0);
  const maxSamples = options.maxSamples ?? 50;
  const tally: DayTally = {
    messages: 0,
    attachments: 0,
    itemsPerUser: new Map(),
    samples: [],
    sampleEvery: Math.max(1, Math.floor(totalMessages / maxSamples)),
    maxSamples,
  };
  const writer = new DayXmlWriter(
    prng,
    users,
    plans,
    { firmCode, date, attachmentRate: options.attachmentRate ?? 0.02, unicode, variety: options.variety ?? false, totalParts: parts },
    tally,
  );

  await mkdir(options.outputDir, { recursive: true });
  const key = options.pgp ? await openpgp.readKey({ armoredKey: options.pgp.armoredPublicKey }) : undefined;
  const armor = options.pgp?.armor ?? false;
  const pgpSuffix = key ? (armor ? ".asc" : ".pgp") : "";
  const mtime = new Date(`${date}T23:59:59Z`);

  const outputs: Array<{ fileName: string; parts: PartPlan[]; source: () => Readable }> = [];
  if (container === "zip") {
    outputs.push({
      fileName: `ICECHAT_${firmCode}_${date.replaceAll("-", "")}.zip${pgpSuffix}`,
      parts: partPlans,
      source: () => {
        const zip = new yazl.ZipFile();
        // Readable.from is lazy and yazl reads entries one after another, so parts stay in order.
        for (const part of partPlans) {
          zip.addReadStream(Readable.from(writer.partChunks(part)), partName(firmCode, date, part.index), { mtime });
        }
        zip.end();
        return zip.outputStream as Readable;
      },
    });
  } else {
    for (const part of partPlans) {
      const gz = container === "gzip" ? ".gz" : "";
      outputs.push({
        fileName: `${partName(firmCode, date, part.index)}${gz}${pgpSuffix}`,
        parts: [part],
        source: () => {
          const xml = Readable.from(writer.partChunks(part));
          if (container !== "gzip") return xml;
          const gzip = createGzip();
          // pipe() alone would not pass a generator failure on to the file being written.
          pipeline(xml, gzip).catch((err: unknown) => gzip.destroy(err instanceof Error ? err : new Error(String(err))));
          return gzip;
        },
      });
    }
  }

  const files: DayManifest["files"] = [];
  for (const output of outputs) {
    const filePath = path.join(options.outputDir, output.fileName);
    const source = output.source();
    if (key) {
      await writeEncrypted(source, key, armor, filePath);
    } else {
      await pipeline(source, createWriteStream(filePath));
    }
    files.push({
      fileName: output.fileName,
      path: filePath,
      messages: output.parts.reduce((sum, p) => sum + p.messages, 0),
      parts: output.parts.map((p) => ({ name: partName(firmCode, date, p.index), messages: p.messages })),
    });
  }

  const partsOfConversation = new Map<number, number>();
  for (const part of partPlans) {
    for (const segment of part.segments) {
      partsOfConversation.set(segment.conversation, (partsOfConversation.get(segment.conversation) ?? 0) + 1);
    }
  }
  const manifest: DayManifest = {
    seed,
    date,
    firmCode,
    container,
    encrypted: key !== undefined,
    armored: key !== undefined && armor,
    totalMessages: tally.messages,
    totalAttachments: tally.attachments,
    conversations: plans.length,
    continuedConversationIds: plans.filter((p) => (partsOfConversation.get(p.index) ?? 0) > 1).map((p) => p.conversationId),
    files,
    users,
    itemsPerUser: Object.fromEntries(tally.itemsPerUser),
    samples: tally.samples,
  };
  return { files: files.map(({ fileName, path: p }) => ({ fileName, path: p })), manifest };
}

async function writeEncrypted(source: Readable, key: openpgp.Key, armor: boolean, filePath: string): Promise<void> {
  // openpgp v6 streams web streams only; convert at both ends.
  const web = Readable.toWeb(source) as NodeReadableStream<Uint8Array>;
  const message = await openpgp.createMessage({ binary: web, format: "binary" });
  const encrypted = armor
    ? await openpgp.encrypt({ message, encryptionKeys: key, format: "armored" })
    : await openpgp.encrypt({ message, encryptionKeys: key, format: "binary" });
  const out = Readable.fromWeb(encrypted as NodeReadableStream<string | Uint8Array>);
  await pipeline(out, createWriteStream(filePath));
}
