// The few properties without which an item cannot become a message. The parser should
// never emit such an item; if one slips through it is refused with a clear error rather
// than a RangeError deep inside date formatting.
import { AppError } from "@/lib/errors";
import type { ChatItem } from "@/lib/ice-chat/types";

export function assertConvertibleItem(item: ChatItem): void {
  if (!(item.timestamp instanceof Date) || Number.isNaN(item.timestamp.getTime())) {
    throw new AppError("source_invalid", `Chat message ${describe(item)} has no valid timestamp.`);
  }
  if (item.conversationId === "" || item.messageId === "") {
    throw new AppError("source_invalid", `Chat message ${describe(item)} has no conversation or message id.`);
  }
}

function describe(item: ChatItem): string {
  return JSON.stringify(`${item.conversationId}/${item.messageId}`.slice(0, 200));
}
