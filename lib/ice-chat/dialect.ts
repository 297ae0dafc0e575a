// The ONE place that knows the ICE Chat export's element and attribute names.
// ICE publishes its schema only to customers, so the names below are our best reading of
// it; adapting to another feed (or a renamed field) must be an edit of this file alone.
//
// Every name is matched case-insensitively on its local part (a namespace prefix such as
// `ice:` is ignored). A field may be a child element or an attribute of its record:
// `<Message id="m1">` and `<Message><MessageID>m1</MessageID>` mean the same.

/** The records (structural elements) the parser understands. */
export type RecordKind =
  | "root"
  | "conversation"
  | "participantEntered"
  | "participantLeft"
  | "user"
  | "disclaimer"
  | "message"
  | "attachment";

/** Every scalar field of every record, in one namespace so each has one meaning. */
export type FieldKind =
  // root
  | "firmCode"
  | "exportDate"
  | "version"
  // conversation
  | "conversationId"
  | "roomId"
  | "roomName"
  | "roomType"
  | "startTime"
  | "endTime"
  // participant events, disclaimers, messages
  | "dateTime"
  // user
  | "imId"
  | "loginName"
  | "firstName"
  | "lastName"
  | "companyName"
  | "email"
  // disclaimer, message
  | "content"
  // message
  | "messageId"
  | "senderImId"
  | "senderEmail"
  | "senderName"
  | "recipientImId"
  | "recipientEmail"
  // attachment
  | "fileName"
  | "contentType"
  | "size"
  | "data";

export interface RecordSpec {
  /** Element names of this record. */
  readonly names: readonly string[];
  /** Scalar fields: each accepted as a child element or an attribute, under any listed name. */
  readonly fields: Partial<Record<FieldKind, readonly string[]>>;
  /** Records that may nest directly inside this one. */
  readonly children: readonly RecordKind[];
}

export interface IceChatDialect {
  readonly records: Readonly<Record<RecordKind, RecordSpec>>;
  /** Attribute on the attachment data element naming its transfer encoding (only base64 is accepted). */
  readonly dataEncodingAttributes: readonly string[];
  /** Attribute names never counted as unknown (namespace and schema plumbing). */
  readonly ignoredAttributes: readonly string[];
}

export const ICE_CHAT_DIALECT: IceChatDialect = {
  records: {
    root: {
      names: ["IceChatExport"],
      fields: {
        firmCode: ["firmCode"],
        exportDate: ["exportDate"],
        version: ["version"],
      },
      // A Message directly under the root is recognised so that it is reported as an
      // item error ("outside a conversation") rather than silently counted as unknown.
      children: ["conversation", "message"],
    },
    conversation: {
      names: ["Conversation"],
      fields: {
        conversationId: ["ConversationID", "id"],
        roomId: ["RoomID"],
        roomName: ["RoomName"],
        roomType: ["RoomType"],
        startTime: ["StartTime"],
        endTime: ["EndTime"],
      },
      children: ["participantEntered", "participantLeft", "disclaimer", "message"],
    },
    participantEntered: {
      names: ["ParticipantEntered"],
      fields: { dateTime: ["DateTime"] },
      children: ["user"],
    },
    participantLeft: {
      names: ["ParticipantLeft"],
      fields: { dateTime: ["DateTime"] },
      children: ["user"],
    },
    user: {
      names: ["User"],
      fields: {
        imId: ["ImId"],
        loginName: ["LoginName"],
        firstName: ["FirstName"],
        lastName: ["LastName"],
        companyName: ["CompanyName"],
        email: ["Email"],
      },
      children: [],
    },
    disclaimer: {
      names: ["Disclaimer"],
      fields: { dateTime: ["DateTime"], content: ["Content"] },
      children: [],
    },
    message: {
      names: ["Message"],
      fields: {
        messageId: ["MessageID", "id"],
        dateTime: ["DateTime"],
        senderImId: ["SenderImId"],
        senderEmail: ["SenderEmail"],
        senderName: ["SenderName"],
        recipientImId: ["RecipientImId"],
        recipientEmail: ["RecipientEmail"],
        content: ["Content"],
      },
      // A User block inside a Message describes its sender (Bloomberg-style feeds).
      children: ["attachment", "user"],
    },
    attachment: {
      names: ["Attachment"],
      fields: {
        fileName: ["FileName"],
        contentType: ["ContentType"],
        size: ["Size"],
        data: ["Data"],
      },
      children: [],
    },
  },
  dataEncodingAttributes: ["encoding"],
  ignoredAttributes: ["xmlns", "schemaLocation", "noNamespaceSchemaLocation"],
};

/** What a (lower-cased, prefix-free) name means inside a given record. */
export type DialectEntry =
  | { readonly type: "field"; readonly field: FieldKind }
  | { readonly type: "record"; readonly record: RecordKind };

export interface CompiledDialect {
  /** Root record names, lower-cased. */
  readonly rootNames: ReadonlySet<string>;
  /** Per record: lower-cased local name -> meaning. Built once; lookups allocate nothing. */
  readonly lookup: Readonly<Record<RecordKind, ReadonlyMap<string, DialectEntry>>>;
  readonly dataEncodingAttributes: ReadonlySet<string>;
  readonly ignoredAttributes: ReadonlySet<string>;
}

/** Lower-cases and drops a namespace prefix: `ice:Message` -> `message`. */
export function normalizeName(name: string): string {
  const colon = name.indexOf(":");
  return (colon === -1 ? name : name.slice(colon + 1)).toLowerCase();
}

/**
 * Builds the lookup maps and refuses an ambiguous table (one name meaning two things in the
 * same record), so a bad edit fails loudly at start-up rather than mis-parsing silently.
 */
export function compileDialect(dialect: IceChatDialect = ICE_CHAT_DIALECT): CompiledDialect {
  const lookup = {} as Record<RecordKind, Map<string, DialectEntry>>;
  const kinds = Object.keys(dialect.records) as RecordKind[];
  for (const kind of kinds) {
    const spec = dialect.records[kind];
    const map = new Map<string, DialectEntry>();
    const add = (name: string, entry: DialectEntry): void => {
      const key = normalizeName(name);
      if (map.has(key)) {
        throw new Error(`ICE Chat dialect: name "${name}" is ambiguous inside ${kind}`);
      }
      map.set(key, entry);
    };
    for (const field of Object.keys(spec.fields) as FieldKind[]) {
      for (const name of spec.fields[field] ?? []) add(name, { type: "field", field });
    }
    for (const child of spec.children) {
      for (const name of dialect.records[child].names) add(name, { type: "record", record: child });
    }
    lookup[kind] = map;
  }
  return {
    rootNames: new Set(dialect.records.root.names.map(normalizeName)),
    lookup,
    dataEncodingAttributes: new Set(dialect.dataEncodingAttributes.map(normalizeName)),
    ignoredAttributes: new Set(dialect.ignoredAttributes.map(normalizeName)),
  };
}
