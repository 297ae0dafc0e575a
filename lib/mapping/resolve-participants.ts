// Decides which Microsoft 365 mailbox (if any) each chat participant's copy goes to.
// Precedence (docs: /work/shared/ice-chat-format.md, "User mapping file"):
//   1. custom mapping, looked up by ImId (case-insensitive), when a mapping is set;
//   2. the participant's own SenderEmail/RecipientEmail, when automatic mapping is on;
//   3. otherwise unmapped, with a reason an admin can act on.
// Whether the mailbox exists in the tenant is checked later, at the destination.
import type { ChatItem, ChatUser } from "@/lib/ice-chat/types";
import { normalizeEmailAddress } from "@/lib/mapping/email-address";
import type { MappingRow } from "@/lib/mapping/parse-mapping-csv";

export type ParticipantResolution = { mailbox: string } | { unmapped: string };

export interface ParticipantResolver {
  resolve(user: ChatUser): ParticipantResolution;
}

export interface CreateParticipantResolverOptions {
  /** ImId -> mailbox. Keys are matched case-insensitively. Undefined = no mapping file. */
  customMapping?: ReadonlyMap<string, string> | readonly Pick<MappingRow, "imId" | "mailbox">[];
  autoMapping: boolean;
}

// Distinct (ImId, email) pairs per run are few; the cap only guards a hostile feed.
const MAX_CACHED_RESOLUTIONS = 100_000;

export function createParticipantResolver(options: CreateParticipantResolverOptions): ParticipantResolver {
  const mapping = options.customMapping ? indexMapping(options.customMapping) : undefined;
  const autoMapping = options.autoMapping;
  const cache = new Map<string, ParticipantResolution>();

  const resolveUncached = (user: ChatUser): ParticipantResolution => {
    const reasons: string[] = [];
    const imIdKey = (user.imId ?? "").trim().toLowerCase();

    if (mapping) {
      const mapped = imIdKey === "" ? undefined : mapping.get(imIdKey);
      if (mapped !== undefined) {
        const mailbox = normalizeEmailAddress(mapped);
        if (mailbox) return { mailbox };
        reasons.push(`the mapping file's address "${printable(mapped)}" is not a valid e-mail address`);
      } else {
        reasons.push("not in the custom mapping file");
      }
    }

    if (!autoMapping) {
      reasons.push(mapping ? "automatic mapping is off" : "no custom mapping file is set and automatic mapping is off");
      return { unmapped: reasons.join(" and ") };
    }

    const email = (user.email ?? "").trim();
    if (email === "") {
      return { unmapped: ["no e-mail address in the source", ...reasons].join(" and ") };
    }
    const mailbox = normalizeEmailAddress(email);
    if (mailbox) return { mailbox };
    return { unmapped: [`address "${printable(email)}" is not a valid e-mail address`, ...reasons].join(" and ") };
  };

  return {
    resolve(user) {
      const key = `${user.imId ?? ""}\u0000${user.email ?? ""}`;
      const hit = cache.get(key);
      if (hit) return hit;
      const resolution = resolveUncached(user);
      if (cache.size >= MAX_CACHED_RESOLUTIONS) cache.clear();
      cache.set(key, resolution);
      return resolution;
    },
  };
}

export interface UnmappedParticipant {
  imId: string;
  email?: string;
  role: "sender" | "recipient";
  reason: string;
}

export interface ItemDeliveryPlan {
  /** Unique, lower case, sender's mailbox first. */
  mailboxes: string[];
  /** Each participant at most once per item. */
  unmapped: UnmappedParticipant[];
}

/**
 * Fan-out of one item: the sender's mailbox and every recipient's that maps. Two
 * participants mapping to one mailbox (or a user messaging themself) get one copy.
 */
export function planItemDeliveries(item: Pick<ChatItem, "sender" | "recipients">, resolver: ParticipantResolver): ItemDeliveryPlan {
  const mailboxes: string[] = [];
  const unmapped: UnmappedParticipant[] = [];
  const seenMailboxes = new Set<string>();
  const seenUnmapped = new Set<string>();

  const visit = (user: ChatUser, role: UnmappedParticipant["role"]): void => {
    const resolution = resolver.resolve(user);
    if ("mailbox" in resolution) {
      if (!seenMailboxes.has(resolution.mailbox)) {
        seenMailboxes.add(resolution.mailbox);
        mailboxes.push(resolution.mailbox);
      }
      return;
    }
    const key = participantKeyOf(user);
    if (seenUnmapped.has(key)) return;
    seenUnmapped.add(key);
    unmapped.push({
      imId: user.imId ?? "",
      ...(user.email !== undefined ? { email: user.email } : {}),
      role,
      reason: resolution.unmapped,
    });
  };

  visit(item.sender, "sender");
  for (const recipient of item.recipients) visit(recipient, "recipient");
  return { mailboxes, unmapped };
}

/** The identity used to report a participant once: ImId, else e-mail, case-insensitive. */
export function participantKeyOf(user: Pick<ChatUser, "imId" | "email">): string {
  const imId = (user.imId ?? "").trim().toLowerCase();
  if (imId !== "") return `imid:${imId}`;
  const email = (user.email ?? "").trim().toLowerCase();
  return email !== "" ? `email:${email}` : "unknown";
}

function indexMapping(mapping: NonNullable<CreateParticipantResolverOptions["customMapping"]>): Map<string, string> {
  const index = new Map<string, string>();
  const entries: Iterable<readonly [string, string]> =
    mapping instanceof Map ? mapping.entries() : (mapping as readonly Pick<MappingRow, "imId" | "mailbox">[]).map((r) => [r.imId, r.mailbox] as const);
  for (const [imId, mailbox] of entries) {
    const key = imId.trim().toLowerCase();
    // The parser rejects duplicates; for a hand-built map the first entry wins, like the file order.
    if (key !== "" && !index.has(key)) index.set(key, mailbox);
  }
  return index;
}

function printable(value: string): string {
  const clean = value.replace(/[\u0000-\u001f\u007f]/g, " ");
  return clean.length > 80 ? `${clean.slice(0, 80)}…` : clean;
}
