// Writes the `ImId,Mailbox` user-mapping CSV for generated users (the file an admin uploads).

import { writeFile } from "node:fs/promises";
import { stringify } from "csv-stringify/sync";
import type { GeneratedUser } from "./vocabulary";

export interface UserMappingCsvOptions {
  /** Mailbox for a user; default its e-mail. Return undefined to leave the user out. */
  mailboxOf?: (user: GeneratedUser) => string | undefined;
  delimiter?: "," | ";";
  bom?: boolean;
}

export function formatUserMappingCsv(users: readonly GeneratedUser[], options: UserMappingCsvOptions = {}): string {
  const mailboxOf = options.mailboxOf ?? ((u: GeneratedUser) => u.email);
  const rows: string[][] = [["ImId", "Mailbox"]];
  for (const user of users) {
    const mailbox = mailboxOf(user);
    if (mailbox !== undefined) rows.push([user.imId, mailbox]);
  }
  const csv = stringify(rows, { delimiter: options.delimiter ?? "," });
  return options.bom ? `\uFEFF${csv}` : csv;
}

export async function writeUserMappingCsv(
  users: readonly GeneratedUser[],
  filePath: string,
  options: UserMappingCsvOptions = {},
): Promise<string> {
  await writeFile(filePath, formatUserMappingCsv(users, options), "utf8");
  return filePath;
}
