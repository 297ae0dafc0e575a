// The saxes event handler: a small state machine over the dialect table that turns XML
// events into ParsedRecords (pushed to `pending`, drained by parse-export.ts after each
// chunk). Frames are preallocated per depth so ordinary events allocate nothing of ours.

import type { SaxesParser, SaxesTagPlain } from "saxes";
import { AppError } from "@/lib/errors";
import type { ChatUser } from "./types";
import { normalizeName, type CompiledDialect, type DialectEntry, type FieldKind, type RecordKind } from "./dialect";
import { ConversationState } from "./conversation-state";
import { MessageDraft, buildChatItem, splitAddresses } from "./build-chat-item";
import { decodeStrictBase64 } from "./decode-base64";
import { quoteForMessage, tryParseTimestamp } from "./timestamps";
import {
  MAX_WARNING_SAMPLES,
  countName,
  type ParseStats,
  type ParsedRecord,
  type ResolvedParseOptions,
} from "./parse-types";

const FRAME_RECORD = 0;
const FRAME_FIELD = 1;
/**
 * An element the dialect does not know here: counted, its own text ignored, but it stays
 * transparent — known children inside it (e.g. a <Messages> wrapper around <Message>s) are
 * read in the enclosing record's context, so an unexpected wrapper never hides messages.
 */
const FRAME_UNKNOWN = 2;
/** An element nested inside a field (e.g. markup in Content): its text still belongs to the field. */
const FRAME_FIELD_CHILD = 3;

interface Frame {
  type: number;
  record: RecordKind;
  field: FieldKind;
  name: string;
}

interface AttachmentDraft {
  fileName?: string;
  contentType?: string;
  size?: string;
  data?: string;
  encoding?: string;
}

interface ParticipantEventDraft {
  user: ChatUser | undefined;
}

/** Hostile-input guards on what one message or conversation may accumulate. */
const MAX_RECIPIENTS_PER_MESSAGE = 10_000;
const MAX_ATTACHMENTS_PER_MESSAGE = 1_000;

/** Per record kind: raw element name -> meaning, so the usual names skip toLowerCase. */
const RAW_NAME_CACHE_LIMIT = 256;

export class ExportHandler {
  readonly pending: ParsedRecord[] = [];
  /** saxes position just after the last event: the parse loop bounds what saxes buffers between events. */
  lastEventPosition = 0;
  depth = 0;

  private readonly frames: Frame[] = [];
  private readonly rawCache = {} as Record<RecordKind, Map<string, DialectEntry | null>>;
  private fieldText = "";
  private fieldLimit = 0;

  private firmCode: string | undefined;
  private conversation: ConversationState | null = null;
  private message: MessageDraft | null = null;
  private attachment: AttachmentDraft | null = null;
  private participantEvent: ParticipantEventDraft | null = null;
  private user: Partial<ChatUser> | null = null;
  private disclaimer: string | undefined;
  private participantCapWarned = false;

  constructor(
    private readonly parser: SaxesParser,
    private readonly dialect: CompiledDialect,
    private readonly options: ResolvedParseOptions,
    private readonly stats: ParseStats,
  ) {
    for (let i = 0; i <= options.maxDepth + 1; i++) {
      this.frames.push({ type: FRAME_UNKNOWN, record: "root", field: "content", name: "" });
    }
    for (const kind of Object.keys(dialect.lookup) as RecordKind[]) this.rawCache[kind] = new Map();
    // Keep this list short: saxes stores each handler as a new property of the parser, and
    // with an 8th one V8 turns the parser into a dictionary-mode object, which makes all of
    // saxes about 5x slower. (XML declaration encoding is checked in parse-export.ts instead;
    // processing instructions need no handler.)
    parser.on("opentag", (tag) => this.onOpenTag(tag));
    parser.on("closetag", () => this.onCloseTag());
    parser.on("text", (text) => this.onText(text));
    parser.on("cdata", (text) => this.onText(text));
    parser.on("comment", () => this.touch());
    parser.on("doctype", () => {
      throw this.structural("DOCTYPE declarations are not allowed (entities are never expanded)");
    });
  }

  /** The innermost open element, for truncation messages. */
  get openElementName(): string | undefined {
    return this.depth > 0 ? this.frames[this.depth]!.name : undefined;
  }

  structural(message: string): AppError {
    const where = `line ${this.parser.line}, column ${this.parser.column}`;
    const source = this.options.sourceName ? ` ${JSON.stringify(this.options.sourceName)}` : "";
    return new AppError("source_invalid", `ICE Chat export${source} rejected: ${message} (${where})`);
  }

  private touch(): void {
    this.lastEventPosition = this.parser.position;
  }

  private warn(message: string): void {
    this.stats.warnings++;
    if (this.stats.warningSamples.length < MAX_WARNING_SAMPLES) this.stats.warningSamples.push(message);
  }

  private lookup(record: RecordKind, rawName: string): DialectEntry | null {
    const cache = this.rawCache[record];
    const cached = cache.get(rawName);
    if (cached !== undefined) return cached;
    const entry = this.dialect.lookup[record].get(normalizeName(rawName)) ?? null;
    if (cache.size < RAW_NAME_CACHE_LIMIT) cache.set(rawName, entry);
    return entry;
  }

  // ---- events -------------------------------------------------------------------------

  private onOpenTag(tag: SaxesTagPlain): void {
    this.touch();
    const depth = ++this.depth;
    if (depth > this.options.maxDepth) {
      throw this.structural(`elements nested deeper than ${this.options.maxDepth} levels`);
    }
    const frame = this.frames[depth]!;
    frame.name = tag.name;
    const attributes = tag.attributes;

    if (depth === 1) {
      if (!this.dialect.rootNames.has(normalizeName(tag.name))) {
        throw this.structural(`root element <${clip(tag.name)}> is not an ICE Chat export`);
      }
      frame.type = FRAME_RECORD;
      frame.record = "root";
      this.applyAttributes("root", attributes);
      return;
    }

    const parent = this.frames[depth - 1]!;
    if (parent.type === FRAME_FIELD || parent.type === FRAME_FIELD_CHILD) {
      countName(this.stats.unknownElements, tag.name);
      frame.type = FRAME_FIELD_CHILD;
      this.checkAttributes(attributes);
      return;
    }

    const entry = this.lookup(parent.record, tag.name);
    if (entry === null) {
      countName(this.stats.unknownElements, tag.name);
      frame.type = FRAME_UNKNOWN;
      frame.record = parent.record;
      this.checkAttributes(attributes);
      return;
    }
    if (entry.type === "field") {
      frame.type = FRAME_FIELD;
      frame.record = parent.record;
      frame.field = entry.field;
      this.fieldText = "";
      this.fieldLimit = entry.field === "data" ? this.options.maxAttachmentDataLength : this.options.maxTextLength;
      this.applyFieldElementAttributes(entry.field, attributes);
      return;
    }
    frame.type = FRAME_RECORD;
    frame.record = entry.record;
    this.openRecord(entry.record, parent.record);
    this.applyAttributes(entry.record, attributes);
  }

  private onCloseTag(): void {
    this.touch();
    const frame = this.frames[this.depth]!;
    this.depth--;
    if (frame.type === FRAME_FIELD) {
      const text = this.fieldText;
      this.fieldText = "";
      this.assignField(frame.record, frame.field, text);
    } else if (frame.type === FRAME_RECORD) {
      this.closeRecord(frame.record);
    }
  }

  private onText(text: string): void {
    this.touch();
    const type = this.frames[this.depth]!.type;
    if (type !== FRAME_FIELD && type !== FRAME_FIELD_CHILD) return;
    if (this.fieldText.length + text.length > this.fieldLimit) {
      const name = this.fieldFrameName();
      throw this.structural(`text of <${clip(name)}> exceeds ${this.fieldLimit} characters`);
    }
    this.fieldText += text;
  }

  private fieldFrameName(): string {
    for (let d = this.depth; d > 0; d--) {
      if (this.frames[d]!.type === FRAME_FIELD) return this.frames[d]!.name;
    }
    return "?";
  }

  // ---- attributes ---------------------------------------------------------------------

  private checkAttributes(attributes: Record<string, string>): number {
    let count = 0;
    for (const name in attributes) {
      count++;
      if (attributes[name]!.length > this.options.maxAttributeLength) {
        throw this.structural(`attribute ${clip(name)} exceeds ${this.options.maxAttributeLength} characters`);
      }
    }
    if (count > this.options.maxAttributesPerElement) {
      throw this.structural(`element has more than ${this.options.maxAttributesPerElement} attributes`);
    }
    return count;
  }

  private isPlumbingAttribute(name: string): boolean {
    if (name === "xmlns" || name.startsWith("xmlns:")) return true;
    return this.dialect.ignoredAttributes.has(normalizeName(name));
  }

  private applyAttributes(record: RecordKind, attributes: Record<string, string>): void {
    if (this.checkAttributes(attributes) === 0) return;
    for (const name in attributes) {
      const entry = this.lookup(record, name);
      if (entry !== null && entry.type === "field") {
        this.assignField(record, entry.field, attributes[name]!);
      } else if (!this.isPlumbingAttribute(name)) {
        countName(this.stats.unknownAttributes, name);
      }
    }
  }

  private applyFieldElementAttributes(field: FieldKind, attributes: Record<string, string>): void {
    if (this.checkAttributes(attributes) === 0) return;
    for (const name in attributes) {
      if (field === "data" && this.dialect.dataEncodingAttributes.has(normalizeName(name))) {
        if (this.attachment) this.attachment.encoding = attributes[name]!;
      } else if (!this.isPlumbingAttribute(name)) {
        countName(this.stats.unknownAttributes, name);
      }
    }
  }

  // ---- records ------------------------------------------------------------------------

  private openRecord(record: RecordKind, parent: RecordKind): void {
    switch (record) {
      case "conversation":
        this.stats.conversations++;
        this.conversation = new ConversationState(this.firmCode);
        this.participantCapWarned = false;
        break;
      case "message":
        this.message = new MessageDraft();
        // A message directly under the root has no conversation, even if one came before.
        if (parent === "root") this.conversation = null;
        break;
      case "attachment":
        this.attachment = {};
        break;
      case "participantEntered":
      case "participantLeft":
        this.participantEvent = { user: undefined };
        break;
      case "user":
        this.user = {};
        break;
      case "disclaimer":
        this.disclaimer = undefined;
        break;
      case "root":
        break;
    }
  }

  private closeRecord(record: RecordKind): void {
    switch (record) {
      case "conversation":
        this.conversation = null;
        break;
      case "message":
        this.finishMessage();
        break;
      case "attachment":
        this.finishAttachment();
        break;
      case "user":
        this.finishUser();
        break;
      case "participantEntered":
      case "participantLeft":
        this.finishParticipantEvent(record === "participantEntered");
        break;
      case "disclaimer":
        this.stats.disclaimers++;
        if (this.disclaimer !== undefined && this.conversation) this.addDisclaimer(this.conversation, this.disclaimer);
        this.disclaimer = undefined;
        break;
      case "root":
        break;
    }
  }

  private addDisclaimer(conv: ConversationState, text: string): void {
    const trimmed = text.trim();
    if (trimmed === "") return;
    // Every message of the conversation carries its disclaimers, so their total is bounded.
    if (conv.disclaimerLength + trimmed.length > this.options.maxTextLength) {
      this.warn(
        `conversation ${quoteForMessage(conv.conversationId ?? "?")}: disclaimers exceed ` +
          `${this.options.maxTextLength} characters; further ones are not carried (line ${this.parser.line})`,
      );
      return;
    }
    conv.addDisclaimer(trimmed);
  }

  private finishUser(): void {
    const user = this.user;
    this.user = null;
    if (!user) return;
    const parent = this.frames[this.depth]!;
    if (user.imId === undefined) {
      this.warn(`<User> without ImId ignored (line ${this.parser.line})`);
      return;
    }
    const complete = user as ChatUser;
    if (parent.record === "message" && this.message) {
      this.message.senderBlock = complete;
    } else if (this.participantEvent) {
      this.participantEvent.user = complete;
    }
  }

  private finishParticipantEvent(entered: boolean): void {
    const event = this.participantEvent;
    this.participantEvent = null;
    this.stats.participantEvents++;
    const conv = this.conversation;
    if (!event?.user || !conv) {
      this.warn(`participant event without a User/ImId ignored (line ${this.parser.line})`);
      return;
    }
    if (!entered) {
      // Leaving without an entry in this file is normal for a conversation continued from
      // the previous file; the details it carries still help describe that user's messages.
      conv.leave(event.user);
      return;
    }
    if (conv.participantCount >= this.options.maxParticipantsPerConversation && !conv.findUser(event.user.imId)) {
      if (!this.participantCapWarned) {
        this.participantCapWarned = true;
        this.warn(
          `conversation ${quoteForMessage(conv.conversationId ?? "?")} has more than ` +
            `${this.options.maxParticipantsPerConversation} participants; further ones are not listed in its context`,
        );
      }
      return;
    }
    conv.enter(event.user);
  }

  private finishAttachment(): void {
    const draft = this.attachment;
    this.attachment = null;
    const message = this.message;
    if (!draft || !message) return;
    this.stats.attachments++;
    if (message.failure) return; // the message is already an item error: keep nothing more of it
    if (message.attachments.length >= MAX_ATTACHMENTS_PER_MESSAGE) {
      message.fail(`message has more than ${MAX_ATTACHMENTS_PER_MESSAGE} attachments`);
      message.attachments.length = 0;
      return;
    }
    const fileName = draft.fileName || `attachment-${message.attachments.length + 1}`;
    const label = quoteForMessage(fileName);
    if (draft.encoding !== undefined && draft.encoding.trim().toLowerCase() !== "base64") {
      message.fail(`attachment ${label} has unsupported encoding ${quoteForMessage(draft.encoding)}`);
      return;
    }
    let data: Buffer = Buffer.alloc(0);
    if (draft.data === undefined) {
      this.warn(`attachment ${label} of message ${quoteForMessage(message.messageId ?? "?")} has no Data`);
    } else {
      const decoded = decodeStrictBase64(draft.data);
      if (!decoded) {
        message.fail(`attachment ${label} has invalid base64 data`);
        return;
      }
      data = decoded;
    }
    message.attachmentBytes += data.length;
    if (message.attachmentBytes > this.options.maxAttachmentBytesPerMessage) {
      message.fail(`attachments exceed ${this.options.maxAttachmentBytesPerMessage} bytes`);
      message.attachments.length = 0;
      return;
    }
    let declaredSize: number | undefined;
    if (draft.size !== undefined) {
      declaredSize = /^\d{1,15}$/.test(draft.size) ? Number(draft.size) : undefined;
      if (declaredSize === undefined) {
        this.warn(`attachment ${label} has an invalid Size ${quoteForMessage(draft.size)}`);
      } else if (declaredSize !== data.length && draft.data !== undefined) {
        this.warn(`attachment ${label} declares Size ${declaredSize} but holds ${data.length} bytes`);
      }
    }
    message.attachments.push({
      fileName,
      contentType: draft.contentType || "application/octet-stream",
      ...(declaredSize !== undefined ? { declaredSize } : {}),
      data,
    });
  }

  private finishMessage(): void {
    const draft = this.message;
    this.message = null;
    if (!draft) return;
    this.stats.messages++;
    const result = buildChatItem(draft, this.conversation, {
      inferRecipientsFromParticipants: this.options.inferRecipientsFromParticipants,
      warn: (m) => this.warn(m),
    });
    if (result.ok) {
      this.stats.items++;
      if (result.inferredRecipients) this.stats.recipientsInferred++;
      this.pending.push({ kind: "item", item: result.item });
      return;
    }
    this.stats.itemErrors++;
    const conversationId = this.conversation?.conversationId;
    this.pending.push({
      kind: "error",
      error: {
        ...(conversationId ? { conversationId } : {}),
        ...(draft.messageId ? { messageId: draft.messageId } : {}),
        reason: result.reason,
        line: this.parser.line,
      },
    });
  }

  // ---- fields -------------------------------------------------------------------------

  private assignField(record: RecordKind, field: FieldKind, raw: string): void {
    // Content keeps its whitespace (it is what the trader typed); everything else is a token.
    const value = field === "content" || field === "data" ? raw : raw.trim();
    switch (record) {
      case "root":
        this.assignRootField(field, value);
        return;
      case "conversation":
        this.assignConversationField(field, value);
        return;
      case "message":
        this.assignMessageField(field, value);
        return;
      case "attachment":
        this.assignAttachmentField(field, value);
        return;
      case "user":
        this.assignUserField(field, value);
        return;
      case "disclaimer":
        if (field === "content") this.disclaimer = this.disclaimer === undefined ? value : `${this.disclaimer}\n${value}`;
        return;
      case "participantEntered":
      case "participantLeft":
        return; // DateTime of the event: not part of the context the e-mail carries.
    }
  }

  private assignRootField(field: FieldKind, value: string): void {
    if (field === "firmCode") {
      this.firmCode = value || undefined;
      this.stats.firmCode = this.firmCode;
      this.conversation?.setFirmCode(this.firmCode);
    } else if (field === "exportDate") {
      this.stats.exportDate = value;
    }
  }

  private assignConversationField(field: FieldKind, value: string): void {
    const conv = this.conversation;
    if (!conv || value === "") return;
    switch (field) {
      case "conversationId":
        if (conv.conversationId !== undefined && conv.conversationId !== value) {
          this.warn(`conversation ${quoteForMessage(conv.conversationId)} has a second ConversationID ${quoteForMessage(value)}; kept the first`);
          return;
        }
        conv.conversationId = value;
        break;
      case "roomId":
        conv.roomId = value;
        break;
      case "roomName":
        conv.roomName = value;
        break;
      case "roomType":
        conv.roomType = value;
        break;
      case "startTime": {
        const start = tryParseTimestamp(value);
        if (start) conv.startTime = start;
        else this.warn(`conversation ${quoteForMessage(conv.conversationId ?? "?")}: StartTime ${quoteForMessage(value)} is not a timestamp`);
        break;
      }
      default:
        return;
    }
    conv.invalidate();
  }

  private assignMessageField(field: FieldKind, value: string): void {
    const message = this.message;
    if (!message) return;
    switch (field) {
      case "recipientImId":
      case "recipientEmail": {
        const list = field === "recipientImId" ? message.recipientImIds : message.recipientEmails;
        if (list.length < MAX_RECIPIENTS_PER_MESSAGE) splitAddresses(value, list);
        else message.fail(`message has more than ${MAX_RECIPIENTS_PER_MESSAGE} recipients`);
        return;
      }
      case "content":
        // Several Content parts are kept, in order, rather than losing all but one.
        if (message.content.length + value.length > this.options.maxTextLength) {
          message.fail(`message content exceeds ${this.options.maxTextLength} characters`);
          return;
        }
        message.content = message.content === "" ? value : `${message.content}\n${value}`;
        return;
      default:
        break;
    }
    if (value === "") return;
    switch (field) {
      case "messageId":
        if (message.messageId !== undefined && message.messageId !== value) {
          message.fail(`message has two MessageIDs ${quoteForMessage(message.messageId)} and ${quoteForMessage(value)}`);
        }
        message.messageId ??= value;
        return;
      case "dateTime":
        message.dateTime ??= value;
        return;
      case "senderImId":
        message.senderImId ??= value;
        return;
      case "senderEmail":
        message.senderEmail ??= value;
        return;
      case "senderName":
        message.senderName ??= value;
        return;
      default:
        return;
    }
  }

  private assignAttachmentField(field: FieldKind, value: string): void {
    const draft = this.attachment;
    if (!draft) return;
    switch (field) {
      case "fileName":
        draft.fileName = value;
        return;
      case "contentType":
        draft.contentType = value;
        return;
      case "size":
        draft.size = value;
        return;
      case "data":
        if (draft.data !== undefined && draft.data.length + value.length > this.options.maxAttachmentDataLength) {
          this.message?.fail(`attachment data exceeds ${this.options.maxAttachmentDataLength} characters`);
          return;
        }
        draft.data = draft.data === undefined ? value : draft.data + value;
        return;
      default:
        return;
    }
  }

  private assignUserField(field: FieldKind, value: string): void {
    const user = this.user;
    if (!user || value === "") return;
    switch (field) {
      case "imId":
        user.imId = value;
        return;
      case "loginName":
        user.loginName = value;
        return;
      case "firstName":
        user.firstName = value;
        return;
      case "lastName":
        user.lastName = value;
        return;
      case "companyName":
        user.companyName = value;
        return;
      case "email":
        user.email = value;
        return;
      default:
        return;
    }
  }
}

function clip(name: string): string {
  return name.length > 60 ? `${name.slice(0, 60)}…` : name;
}
