// What the parser knows about the conversation it is inside: room fields, who is present
// right now, who has ever been seen (to fill names/emails of senders and recipients), and
// the disclaimers. Context objects handed out with items are frozen snapshots, rebuilt
// only when something changes, so thousands of messages share one object.

import type { ChatUser, ConversationContext } from "./types";

/** Case-insensitive ImId key (ImIds are e-mail shaped, and e-mail domains ignore case). */
export function imIdKey(imId: string): string {
  return imId.toLowerCase();
}

export class ConversationState {
  conversationId: string | undefined;
  roomId: string | undefined;
  roomName: string | undefined;
  roomType: string | undefined;
  startTime: Date | undefined;
  private readonly present = new Map<string, ChatUser>();
  private readonly known = new Map<string, ChatUser>();
  private readonly disclaimers: string[] = [];
  private disclaimerChars = 0;
  private snapshot: ConversationContext | null = null;

  constructor(private firmCode: string | undefined) {}

  get participantCount(): number {
    return this.present.size;
  }

  setFirmCode(firmCode: string | undefined): void {
    this.firmCode = firmCode;
    this.invalidate();
  }

  /** Call after changing any public field. */
  invalidate(): void {
    this.snapshot = null;
  }

  enter(user: ChatUser): void {
    const key = imIdKey(user.imId);
    // A re-entry with fewer details must not erase what an earlier event told us.
    const merged: ChatUser = { ...this.known.get(key), ...withoutUndefined(user), imId: user.imId };
    this.known.set(key, merged);
    // Delete first so the participant list keeps the order of (re-)entry.
    this.present.delete(key);
    this.present.set(key, merged);
    this.invalidate();
  }

  leave(user: ChatUser): void {
    const key = imIdKey(user.imId);
    this.known.set(key, { ...this.known.get(key), ...withoutUndefined(user), imId: user.imId });
    if (this.present.delete(key)) this.invalidate();
  }

  get disclaimerLength(): number {
    return this.disclaimerChars;
  }

  addDisclaimer(text: string): void {
    this.disclaimers.push(text);
    this.disclaimerChars += text.length;
    this.invalidate();
  }

  /** Everything known about a user of this conversation, present or not. */
  findUser(imId: string): ChatUser | undefined {
    return this.known.get(imIdKey(imId));
  }

  findUserByEmail(email: string): ChatUser | undefined {
    const wanted = email.toLowerCase();
    for (const user of this.known.values()) {
      if (user.email !== undefined && user.email.toLowerCase() === wanted) return user;
    }
    return undefined;
  }

  presentUsers(): readonly ChatUser[] {
    return this.context().participants;
  }

  context(): ConversationContext {
    if (this.snapshot) return this.snapshot;
    const participants = Object.freeze([...this.present.values()].map((u) => Object.freeze({ ...u })));
    const context: ConversationContext = {
      conversationId: this.conversationId ?? "",
      participants: participants as ChatUser[],
      disclaimers: Object.freeze([...this.disclaimers]) as string[],
    };
    if (this.roomId !== undefined) context.roomId = this.roomId;
    if (this.roomName !== undefined) context.roomName = this.roomName;
    if (this.roomType !== undefined) context.roomType = this.roomType;
    if (this.startTime !== undefined) context.startTime = this.startTime;
    if (this.firmCode !== undefined) context.firmCode = this.firmCode;
    this.snapshot = Object.freeze(context);
    return this.snapshot;
  }
}

export function withoutUndefined<T extends object>(value: T): Partial<T> {
  const out: Partial<T> = {};
  for (const key of Object.keys(value) as (keyof T)[]) {
    if (value[key] !== undefined) out[key] = value[key];
  }
  return out;
}
