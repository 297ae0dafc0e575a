// The second message of the sample in the format notes, as the parser would emit it.
import type { ChatItem, ChatUser } from "@/lib/ice-chat/types";

export const JOHN: ChatUser = {
  imId: "jsmith@ice.acme",
  loginName: "jsmith17",
  firstName: "John",
  lastName: "Smith",
  companyName: "ACME Energy",
  email: "john.smith@acme.example",
};

export const ANN: ChatUser = {
  imId: "alee@ice.broker",
  firstName: "Ann",
  lastName: "Lee",
  companyName: "Broker Ltd",
  email: "ann.lee@broker.example",
};

export function sampleChatItem(overrides: Partial<ChatItem> = {}): ChatItem {
  return {
    conversationId: "c-20261122-88412",
    messageId: "m-000002",
    timestamp: new Date("2026-11-22T13:04:02.250Z"),
    // As in a message record: ids and e-mails only; names come from the participant records.
    sender: { imId: "alee@ice.broker", email: "ann.lee@broker.example" },
    recipients: [{ imId: "jsmith@ice.acme", email: "john.smith@acme.example" }],
    content: "Offer 2.87, see attached curve",
    attachments: [
      {
        fileName: "curve.csv",
        contentType: "text/csv",
        declaredSize: 24,
        data: Buffer.from("bW9udGgscHJpY2UKSnVuLDIuODcK", "base64"),
      },
    ],
    context: {
      conversationId: "c-20261122-88412",
      roomId: "R-88412",
      roomName: "NatGas Brokers",
      roomType: "GROUP",
      startTime: new Date("2026-11-22T13:02:11Z"),
      participants: [JOHN, ANN],
      disclaimers: ["This conversation is recorded for compliance purposes."],
      firmCode: "ACME01",
    },
    ...overrides,
  };
}
