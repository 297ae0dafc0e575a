// The skeleton of a generated day, decided up front (small: one entry per conversation):
// which conversations exist, who starts in them, how many messages each has, and how the
// messages are cut into XML parts (files), with conversations continuing across parts.

import type { Prng } from "./prng";
import { pickRoomName, type GeneratedUser } from "./vocabulary";

export interface ConversationPlan {
  index: number;
  conversationId: string;
  roomId: string;
  roomName: string;
  roomType: "P2P" | "GROUP" | "PERSISTENT";
  initialParticipants: GeneratedUser[];
  messageCount: number;
  startMs: number;
}

export interface PartSegment {
  conversation: number;
  /** Message indexes [from, to) of that conversation in this part. */
  from: number;
  to: number;
}

export interface PartPlan {
  index: number;
  segments: PartSegment[];
  messages: number;
}

export interface PlanOptions {
  date: string;
  conversations: number;
  participants: { min: number; max: number };
  messageCounts: number[];
  unicode: boolean;
  parts: number;
}

export function dayStartMs(date: string): number {
  const ms = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(ms)) throw new Error(`invalid date ${date}`);
  return ms;
}

/** Message counts per conversation adding up to total (first ones get the remainder). */
export function spreadMessages(total: number, conversations: number): number[] {
  const base = Math.floor(total / conversations);
  const extra = total % conversations;
  return Array.from({ length: conversations }, (_, i) => base + (i < extra ? 1 : 0));
}

export function planConversations(prng: Prng, users: GeneratedUser[], options: PlanOptions): ConversationPlan[] {
  const day = dayStartMs(options.date);
  const compactDate = options.date.replaceAll("-", "");
  const plans: ConversationPlan[] = [];
  for (let i = 0; i < options.conversations; i++) {
    const wanted = prng.int(options.participants.min, options.participants.max);
    const count = Math.max(2, Math.min(wanted, users.length));
    const roomType = count === 2 ? "P2P" : prng.chance(0.2) ? "PERSISTENT" : "GROUP";
    const serial = String(i + 1).padStart(5, "0");
    plans.push({
      index: i,
      conversationId: `c-${compactDate}-${serial}`,
      roomId: `R-${compactDate}-${serial}`,
      roomName: pickRoomName(prng, options.unicode, i),
      roomType,
      initialParticipants: prng.sample(users, count),
      messageCount: options.messageCounts[i] ?? 0,
      // Start in the first 16 hours so that even long conversations end within the day.
      startMs: day + prng.int(0, 16 * 3600) * 1000,
    });
  }
  return plans;
}

/**
 * Cuts the day's messages (conversations in order) into `parts` nearly equal parts. A cut
 * that falls between two conversations is moved one message into the next one, so every
 * cut splits a conversation whenever that is possible: continuation across files is the
 * case the connector most needs exercised.
 */
export function splitIntoParts(plans: ConversationPlan[], parts: number): PartPlan[] {
  const total = plans.reduce((sum, p) => sum + p.messageCount, 0);
  const cuts: number[] = [];
  for (let p = 1; p < parts; p++) cuts.push(Math.floor((total * p) / parts));
  // Offsets where a conversation starts: a cut there would not split anything.
  const starts = new Set<number>();
  let offset = 0;
  for (const plan of plans) {
    starts.add(offset);
    offset += plan.messageCount;
  }
  const adjusted = cuts.map((cut) => (starts.has(cut) && cut + 1 < total ? cut + 1 : cut));

  const result: PartPlan[] = Array.from({ length: parts }, (_, index) => ({ index, segments: [], messages: 0 }));
  let position = 0;
  let part = 0;
  for (const plan of plans) {
    let from = 0;
    while (from < plan.messageCount || (plan.messageCount === 0 && from === 0)) {
      while (part < parts - 1 && position >= adjusted[part]!) part++;
      const limit = part < parts - 1 ? adjusted[part]! - position : Number.POSITIVE_INFINITY;
      const to = Math.min(plan.messageCount, from + Math.max(limit, 0));
      const target = result[part]!;
      target.segments.push({ conversation: plan.index, from, to });
      target.messages += to - from;
      position += to - from;
      if (plan.messageCount === 0) break;
      from = to;
    }
  }
  return result;
}
