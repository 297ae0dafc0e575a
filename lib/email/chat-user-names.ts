// How a chat participant is named in subjects, headers and bodies. A message's sender and
// recipients often carry only ids; the participant records of the conversation carry the
// names, so those are merged in.
import type { ChatUser, ConversationContext } from "@/lib/ice-chat/types";

// Indexed once per participants array (usually shared by many items of a conversation).
const participantIndexes = new WeakMap<readonly ChatUser[], Map<string, ChatUser>>();

function participantIndexOf(participants: readonly ChatUser[]): Map<string, ChatUser> {
  let index = participantIndexes.get(participants);
  if (!index) {
    index = new Map();
    for (const p of participants) {
      const key = p.imId.trim().toLowerCase();
      if (key !== "" && !index.has(key)) index.set(key, p);
    }
    participantIndexes.set(participants, index);
  }
  return index;
}

/** The user with missing name/company/email fields filled from the conversation's participant record. */
export function enrichUser(user: ChatUser, context: Pick<ConversationContext, "participants"> | undefined): ChatUser {
  if (!context || context.participants.length === 0) return user;
  if (user.firstName && user.lastName && user.companyName && user.email) return user;
  const known = participantIndexOf(context.participants).get(user.imId.trim().toLowerCase());
  if (!known || known === user) return user;
  return {
    ...known,
    ...definedFields(user),
  };
}

/** "First Last", else the login name, else the ImId, else the e-mail. */
export function displayNameOf(user: ChatUser): string {
  const full = `${(user.firstName ?? "").trim()} ${(user.lastName ?? "").trim()}`.trim();
  if (full !== "") return full;
  for (const candidate of [user.loginName, user.imId, user.email]) {
    const trimmed = (candidate ?? "").trim();
    if (trimmed !== "") return trimmed;
  }
  return "Unknown user";
}

/** "John Smith (jsmith@ice.acme, john.smith@acme.example, ACME Energy)": everything that identifies the user. */
export function describeUser(user: ChatUser): string {
  const name = displayNameOf(user);
  const details: string[] = [];
  const imId = user.imId.trim();
  const email = (user.email ?? "").trim();
  const company = (user.companyName ?? "").trim();
  if (imId !== "" && imId !== name) details.push(imId);
  if (email !== "" && email.toLowerCase() !== imId.toLowerCase() && email !== name) details.push(email);
  if (company !== "") details.push(company);
  return details.length > 0 ? `${name} (${details.join(", ")})` : name;
}

function definedFields(user: ChatUser): Partial<ChatUser> {
  const out: Partial<ChatUser> = {};
  for (const [key, value] of Object.entries(user) as [keyof ChatUser, string | undefined][]) {
    if (value !== undefined && value !== "") out[key] = value;
  }
  return out;
}
