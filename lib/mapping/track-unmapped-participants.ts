// Collects the participants a run could not deliver to, so the run log reports each user
// once (with its reason and how many items it affected) instead of once per item.
import { participantKeyOf, type UnmappedParticipant } from "@/lib/mapping/resolve-participants";

export interface UnmappedParticipantReport extends UnmappedParticipant {
  /** Items of this run in which the participant could not be delivered to. */
  occurrences: number;
}

export interface UnmappedParticipantTracker {
  /** Records one occurrence; true the first time this participant is seen in the run. */
  record(participant: UnmappedParticipant): boolean;
  /** One entry per participant, in first-seen order. */
  list(): UnmappedParticipantReport[];
  /** Participants beyond `maxTracked` are counted here but not listed. */
  readonly overflowCount: number;
  readonly size: number;
}

export interface CreateUnmappedTrackerOptions {
  /** Bound on memory for a hostile feed with millions of distinct ids. */
  maxTracked?: number;
}

export function createUnmappedTracker(options: CreateUnmappedTrackerOptions = {}): UnmappedParticipantTracker {
  const maxTracked = options.maxTracked ?? 10_000;
  const entries = new Map<string, UnmappedParticipantReport>();
  const overflow = new Set<string>();

  return {
    record(participant) {
      const key = participantKeyOf(participant);
      const existing = entries.get(key);
      if (existing) {
        existing.occurrences++;
        return false;
      }
      if (entries.size >= maxTracked) {
        if (overflow.has(key)) return false;
        // The overflow set is itself bounded: past it we can only count, not deduplicate.
        if (overflow.size < maxTracked * 10) overflow.add(key);
        return true;
      }
      entries.set(key, { ...participant, occurrences: 1 });
      return true;
    },
    list() {
      return [...entries.values()].map((e) => ({ ...e }));
    },
    get overflowCount() {
      return overflow.size;
    },
    get size() {
      return entries.size;
    },
  };
}
