// Writes the XML of one part at a time as a stream of Buffers (~64 KiB each), so a day of
// 800,000+ messages never sits in memory. Parts must be generated in order: conversations
// that continue into the next part carry their state (time, participants) across.

import type { Prng } from "./prng";
import { escapeXml } from "./xml-escape";
import type { ConversationPlan, PartPlan } from "./day-plan";
import { pickPhrase, type GeneratedUser } from "./vocabulary";

const FLUSH_CHARS = 64 * 1024;
const DISCLAIMER = "This conversation is recorded for compliance purposes. Ce message est enregistré.";

export interface WriterOptions {
  firmCode: string;
  date: string;
  attachmentRate: number;
  unicode: boolean;
  /** Mix the forms the parser must tolerate (attributes, name casing, timestamp forms...). */
  variety: boolean;
  totalParts: number;
}

export interface SampleItem {
  conversationId: string;
  messageId: string;
  timestamp: string;
  senderImId: string;
  recipientImIds: string[];
  content: string;
  attachmentFileNames: string[];
}

/** Running totals the manifest is built from; O(users) memory, never O(messages). */
export interface DayTally {
  messages: number;
  attachments: number;
  itemsPerUser: Map<string, number>;
  samples: SampleItem[];
  sampleEvery: number;
  maxSamples: number;
}

interface ConversationRuntime {
  present: GeneratedUser[];
  timeMs: number;
  meanGapMs: number;
  endOfDayMs: number;
}

type Casing = 0 | 1 | 2;

function cased(name: string, casing: Casing): string {
  return casing === 0 ? name : casing === 1 ? name.toLowerCase() : name.toUpperCase();
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

export class DayXmlWriter {
  private readonly runtimes = new Map<number, ConversationRuntime>();
  private nextPart = 0;
  private buffer = "";

  constructor(
    private readonly prng: Prng,
    private readonly users: GeneratedUser[],
    private readonly plans: ConversationPlan[],
    private readonly options: WriterOptions,
    private readonly tally: DayTally,
  ) {}

  async *partChunks(part: PartPlan): AsyncGenerator<Buffer, void, undefined> {
    if (part.index !== this.nextPart) throw new Error(`parts must be generated in order (got ${part.index})`);
    this.nextPart++;
    const o = this.options;
    this.buffer =
      `<?xml version="1.0" encoding="UTF-8"?>\n` +
      `<IceChatExport version="1.0" firmCode="${escapeXml(o.firmCode)}" exportDate="${o.date}">\n` +
      `  <!-- part ${part.index + 1} of ${o.totalParts} -->\n`;
    for (const segment of part.segments) {
      const plan = this.plans[segment.conversation]!;
      this.openConversation(plan, segment.from === 0);
      for (let m = segment.from; m < segment.to; m++) {
        this.writeMessage(plan, m);
        if (this.buffer.length >= FLUSH_CHARS) yield this.flush();
      }
      this.closeConversation(plan, segment.to === plan.messageCount);
    }
    this.buffer += `</IceChatExport>\n`;
    yield this.flush();
  }

  private flush(): Buffer {
    const chunk = Buffer.from(this.buffer, "utf8");
    this.buffer = "";
    return chunk;
  }

  private runtimeOf(plan: ConversationPlan): ConversationRuntime {
    let rt = this.runtimes.get(plan.index);
    if (!rt) {
      const endOfDayMs = Date.parse(`${this.options.date}T23:59:59Z`);
      const available = endOfDayMs - plan.startMs;
      rt = {
        present: [...plan.initialParticipants],
        timeMs: plan.startMs,
        meanGapMs: Math.max(1, Math.min(60_000, Math.floor(available / (plan.messageCount + 2)))),
        endOfDayMs,
      };
      this.runtimes.set(plan.index, rt);
    }
    return rt;
  }

  private timestamp(ms: number): string {
    return new Date(ms).toISOString();
  }

  private openConversation(plan: ConversationPlan, first: boolean): void {
    const rt = this.runtimeOf(plan);
    const v = this.options.variety && this.prng.chance(0.5);
    let out = v
      ? `  <Conversation id="${escapeXml(plan.conversationId)}" RoomType="${plan.roomType}">\n`
      : `  <Conversation>\n    <ConversationID>${escapeXml(plan.conversationId)}</ConversationID>\n`;
    out += `    <RoomID>${escapeXml(plan.roomId)}</RoomID>\n    <RoomName>${escapeXml(plan.roomName)}</RoomName>\n`;
    if (!v) out += `    <RoomType>${plan.roomType}</RoomType>\n`;
    out += `    <StartTime>${this.timestamp(plan.startMs)}</StartTime>\n`;
    // A continuation re-lists who is present, as a feed split across files must.
    const at = this.timestamp(first ? plan.startMs : rt.timeMs);
    for (const user of rt.present) out += this.participantEntered(user, at);
    out += `    <Disclaimer>\n      <DateTime>${at}</DateTime>\n      <Content>${escapeXml(DISCLAIMER)}</Content>\n    </Disclaimer>\n`;
    this.buffer += out;
  }

  private closeConversation(plan: ConversationPlan, last: boolean): void {
    if (last) {
      const rt = this.runtimeOf(plan);
      const at = this.timestamp(rt.timeMs);
      for (const user of rt.present) {
        this.buffer += `    <ParticipantLeft>\n      <DateTime>${at}</DateTime>\n      <User><ImId>${escapeXml(user.imId)}</ImId></User>\n    </ParticipantLeft>\n`;
      }
      this.buffer += `    <EndTime>${at}</EndTime>\n`;
      this.runtimes.delete(plan.index);
    }
    this.buffer += `  </Conversation>\n`;
  }

  private participantEntered(user: GeneratedUser, at: string): string {
    return (
      `    <ParticipantEntered>\n      <DateTime>${at}</DateTime>\n      <User>\n` +
      `        <ImId>${escapeXml(user.imId)}</ImId>\n        <LoginName>${escapeXml(user.loginName)}</LoginName>\n` +
      `        <FirstName>${escapeXml(user.firstName)}</FirstName>\n        <LastName>${escapeXml(user.lastName)}</LastName>\n` +
      `        <CompanyName>${escapeXml(user.companyName)}</CompanyName>\n        <Email>${escapeXml(user.email)}</Email>\n` +
      `      </User>\n    </ParticipantEntered>\n`
    );
  }

  /** Occasionally someone leaves or joins a group room between two messages. */
  private changeParticipants(plan: ConversationPlan, rt: ConversationRuntime): void {
    if (plan.roomType === "P2P" || !this.prng.chance(0.03)) return;
    const at = this.timestamp(rt.timeMs);
    if (rt.present.length > 2 && this.prng.chance(0.5)) {
      const index = this.prng.int(0, rt.present.length - 1);
      const [user] = rt.present.splice(index, 1);
      this.buffer += `    <ParticipantLeft>\n      <DateTime>${at}</DateTime>\n      <User><ImId>${escapeXml(user!.imId)}</ImId></User>\n    </ParticipantLeft>\n`;
      return;
    }
    const absent = this.users.filter((u) => !rt.present.includes(u));
    if (absent.length === 0) return;
    const user = this.prng.pick(absent);
    rt.present.push(user);
    this.buffer += this.participantEntered(user, at);
  }

  private writeMessage(plan: ConversationPlan, index: number): void {
    const rt = this.runtimeOf(plan);
    const prng = this.prng;
    const variety = this.options.variety;
    if (index > 0) this.changeParticipants(plan, rt);
    const gap = prng.int(1, rt.meanGapMs * 2);
    rt.timeMs = Math.min(rt.timeMs + gap, rt.endOfDayMs);

    // Timestamp form: canonical ISO unless variety asks for another accepted form.
    const form = variety ? prng.int(0, 5) : 0;
    if (form >= 3) rt.timeMs -= rt.timeMs % 1000; // epoch seconds / US form have no milliseconds
    const ms = rt.timeMs;
    let stamp: string;
    switch (form) {
      case 1:
        stamp = new Date(ms + 2 * 3600_000).toISOString().replace("Z", "+02:00");
        break;
      case 2:
        stamp = String(ms);
        break;
      case 3:
        stamp = String(ms / 1000);
        break;
      case 4: {
        const d = new Date(ms);
        stamp =
          `${pad2(d.getUTCMonth() + 1)}/${pad2(d.getUTCDate())}/${d.getUTCFullYear()} ` +
          `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
        break;
      }
      case 5:
        stamp = new Date(ms).toISOString().slice(0, -1); // no zone = UTC
        break;
      default:
        stamp = new Date(ms).toISOString();
    }

    const messageId = `${plan.conversationId}-m${String(index + 1).padStart(6, "0")}`;
    const sender = prng.pick(rt.present);
    const recipients = rt.present.filter((u) => u !== sender);
    const content = pickPhrase(prng, this.options.unicode);
    const casing: Casing = variety ? (prng.int(0, 2) as Casing) : 0;
    const t = (name: string): string => cased(name, casing);

    let out =
      variety && prng.chance(0.5)
        ? `    <${t("Message")} id="${escapeXml(messageId)}">\n`
        : `    <${t("Message")}>\n      <${t("MessageID")}>${escapeXml(messageId)}</${t("MessageID")}>\n`;
    out += `      <${t("DateTime")}>${stamp}</${t("DateTime")}>\n`;
    out += `      <${t("SenderImId")}>${escapeXml(sender.imId)}</${t("SenderImId")}>\n`;
    out += `      <${t("SenderEmail")}>${escapeXml(sender.email)}</${t("SenderEmail")}>\n`;
    const recipientStyle = variety ? prng.int(0, 3) : 0;
    if (recipientStyle === 0 || recipients.length < 2) {
      for (const r of recipients) {
        out += `      <${t("RecipientImId")}>${escapeXml(r.imId)}</${t("RecipientImId")}>\n`;
        out += `      <${t("RecipientEmail")}>${escapeXml(r.email)}</${t("RecipientEmail")}>\n`;
      }
    } else if (recipientStyle === 3 && plan.roomType !== "P2P") {
      // No recipient elements: addressed to the room; the parser takes the participants.
    } else {
      const sep = recipientStyle === 1 ? ";" : ", ";
      out += `      <${t("RecipientImId")}>${escapeXml(recipients.map((r) => r.imId).join(sep))}</${t("RecipientImId")}>\n`;
      out += `      <${t("RecipientEmail")}>${escapeXml(recipients.map((r) => r.email).join(sep))}</${t("RecipientEmail")}>\n`;
    }
    out += `      <${t("Content")}>${escapeXml(content)}</${t("Content")}>\n`;
    if (variety && prng.chance(0.1)) out += `      <Priority>normal</Priority>\n`; // unknown element

    const attachmentNames: string[] = [];
    if (prng.chance(this.options.attachmentRate)) {
      const fileName = this.options.unicode && prng.chance(0.3) ? `prix-été-${index + 1}.csv` : `quote-${index + 1}.csv`;
      const rows = prng.int(1, 40);
      let csv = "month,price\n";
      for (let r = 0; r < rows; r++) csv += `M${r + 1},${(2 + prng.next()).toFixed(3)}\n`;
      const data = Buffer.from(csv, "utf8");
      let base64 = data.toString("base64");
      if (variety && prng.chance(0.5)) base64 = base64.replace(/.{1,76}/g, "$&\n");
      out +=
        `      <Attachment>\n        <FileName>${escapeXml(fileName)}</FileName>\n        <ContentType>text/csv</ContentType>\n` +
        `        <Size>${data.length}</Size>\n        <Data encoding="base64">${base64}</Data>\n      </Attachment>\n`;
      attachmentNames.push(fileName);
      this.tally.attachments++;
    }
    out += `    </${t("Message")}>\n`;
    this.buffer += out;
    this.recordTally(plan, messageId, ms, sender, recipients, content, attachmentNames);
  }

  private recordTally(
    plan: ConversationPlan,
    messageId: string,
    ms: number,
    sender: GeneratedUser,
    recipients: GeneratedUser[],
    content: string,
    attachmentFileNames: string[],
  ): void {
    const tally = this.tally;
    const counts = tally.itemsPerUser;
    counts.set(sender.imId, (counts.get(sender.imId) ?? 0) + 1);
    for (const r of recipients) counts.set(r.imId, (counts.get(r.imId) ?? 0) + 1);
    if (tally.messages % tally.sampleEvery === 0 && tally.samples.length < tally.maxSamples) {
      tally.samples.push({
        conversationId: plan.conversationId,
        messageId,
        timestamp: new Date(ms).toISOString(),
        senderImId: sender.imId,
        recipientImIds: recipients.map((r) => r.imId),
        content,
        attachmentFileNames,
      });
    }
    tally.messages++;
  }
}
