// Public shapes of the streaming parser: what it yields, what it counts, what it accepts.

import type { ChatItem } from "./types";
import type { CompiledDialect } from "./dialect";

/**
 * A Message the parser saw but could not turn into a ChatItem (bad timestamp, no MessageID,
 * invalid attachment data...). The file goes on; the caller counts this message as failed.
 */
export interface ChatItemError {
  conversationId?: string;
  messageId?: string;
  reason: string;
  /** Line of the closing </Message> tag in the (decrypted, decompressed) XML. */
  line: number;
}

export type ParsedRecord =
  | { readonly kind: "item"; readonly item: ChatItem }
  | { readonly kind: "error"; readonly error: ChatItemError };

export interface ParseStats {
  bytesRead: number;
  /** Conversation elements opened (a conversation continued from another file counts again). */
  conversations: number;
  /** Message elements closed: items + itemErrors. */
  messages: number;
  items: number;
  itemErrors: number;
  participantEvents: number;
  disclaimers: number;
  attachments: number;
  /** Messages without recipient elements whose recipients were taken from the room's participants. */
  recipientsInferred: number;
  warnings: number;
  /** The first warnings in full (the rest are only counted, to keep memory flat). */
  warningSamples: string[];
  /** Unrecognised element names (as written) -> occurrences. Their subtrees are skipped. */
  unknownElements: Map<string, number>;
  /** Unrecognised attribute names (as written) -> occurrences. */
  unknownAttributes: Map<string, number>;
  firmCode?: string;
  exportDate?: string;
}

export interface ParseExportOptions {
  /** Names the source in error messages (e.g. the SFTP file name). */
  sourceName?: string;
  /** Max characters of one text field or element (all fields but attachment data). Default 1 MiB. */
  maxTextLength?: number;
  /** Max characters of one attachment's base64 Data. Default 16 MiB. */
  maxAttachmentDataLength?: number;
  /** Max characters of one attribute value. Default 1 MiB. */
  maxAttributeLength?: number;
  /** Max attributes on one element. Default 256. */
  maxAttributesPerElement?: number;
  /** Max element nesting depth (the root is depth 1). Default 64. */
  maxDepth?: number;
  /** Max decoded attachment bytes of one message; above it the message is an item error. Default 64 MiB. */
  maxAttachmentBytesPerMessage?: number;
  /** Max participants kept per conversation (hostile-input guard). Default 100,000. */
  maxParticipantsPerConversation?: number;
  /**
   * A message with no RecipientImId/RecipientEmail at all is addressed to the room: take the
   * participants present (minus the sender) as its recipients. Default true.
   */
  inferRecipientsFromParticipants?: boolean;
  /** Another feed's names (see dialect.ts). Default: the ICE Chat dialect. */
  dialect?: CompiledDialect;
}

export type ResolvedParseOptions = Required<Omit<ParseExportOptions, "sourceName">> & {
  sourceName?: string;
};

const MIB = 1024 * 1024;

export const PARSE_DEFAULTS = {
  maxTextLength: MIB,
  maxAttachmentDataLength: 16 * MIB,
  maxAttributeLength: MIB,
  maxAttributesPerElement: 256,
  maxDepth: 64,
  maxAttachmentBytesPerMessage: 64 * MIB,
  maxParticipantsPerConversation: 100_000,
  inferRecipientsFromParticipants: true,
} as const;

export const MAX_WARNING_SAMPLES = 100;
/** Distinct unknown names remembered; further names are counted under OTHER_UNKNOWN_NAME. */
export const MAX_DISTINCT_UNKNOWN_NAMES = 1000;
export const OTHER_UNKNOWN_NAME = "(other)";

export function createParseStats(): ParseStats {
  return {
    bytesRead: 0,
    conversations: 0,
    messages: 0,
    items: 0,
    itemErrors: 0,
    participantEvents: 0,
    disclaimers: 0,
    attachments: 0,
    recipientsInferred: 0,
    warnings: 0,
    warningSamples: [],
    unknownElements: new Map(),
    unknownAttributes: new Map(),
  };
}

export function countName(counts: Map<string, number>, name: string): void {
  const current = counts.get(name);
  if (current !== undefined) {
    counts.set(name, current + 1);
  } else if (counts.size < MAX_DISTINCT_UNKNOWN_NAMES) {
    counts.set(name, 1);
  } else {
    counts.set(OTHER_UNKNOWN_NAME, (counts.get(OTHER_UNKNOWN_NAME) ?? 0) + 1);
  }
}
