// From/To of the converted message. The caller decides which address stands for a user
// (usually the mailbox the participant resolves to); by default the source e-mail, else
// the ImId. A user with no usable address still appears, under a placeholder address in
// the reserved .invalid domain, so the message never silently loses a participant.
import type { ChatItem, ChatUser } from "@/lib/ice-chat/types";
import { normalizeEmailAddress } from "@/lib/mapping/email-address";
import { displayNameOf, enrichUser } from "@/lib/email/chat-user-names";
import { toHeaderText } from "@/lib/email/header-text";
import { messageIdDomainOf } from "@/lib/email/message-identity";

export type AddressOf = (user: ChatUser) => string | undefined;

export interface NamedAddress {
  name: string;
  address: string;
}

export interface ItemAddresses {
  from: NamedAddress;
  /** Unique by address (placeholders excepted), in feed order. */
  to: NamedAddress[];
}

export function defaultAddressOf(user: ChatUser): string | undefined {
  return normalizeEmailAddress(user.email) ?? normalizeEmailAddress(user.imId);
}

export function itemAddressesOf(
  item: Pick<ChatItem, "sender" | "recipients" | "context">,
  options: { addressOf?: AddressOf; firmCode?: string } = {},
): ItemAddresses {
  const addressOf = options.addressOf ?? defaultAddressOf;
  const placeholder = `unknown-user@${messageIdDomainOf(options.firmCode ?? item.context.firmCode)}`;

  const named = (user: ChatUser): NamedAddress => {
    const full = enrichUser(user, item.context);
    return {
      name: toHeaderText(displayNameOf(full), 128),
      // The caller's choice is validated too: a bad address must not reach a header.
      address: normalizeEmailAddress(addressOf(full)) ?? placeholder,
    };
  };

  const to: NamedAddress[] = [];
  const seen = new Set<string>();
  for (const recipient of item.recipients) {
    const entry = named(recipient);
    if (entry.address !== placeholder) {
      if (seen.has(entry.address)) continue;
      seen.add(entry.address);
    }
    to.push(entry);
  }
  return { from: named(item.sender), to };
}
