import "server-only";
import { z, type ZodType } from "zod";
import { readBodyText, readJson } from "@/app/_server/api-route";
import { AppError } from "@/lib/errors";

// Request parsing shared by the v1 routes: every 422 carries the zod issues as details
// (paths and messages; zod v4 issues never include the submitted value, so no secret
// can be echoed back).

function invalid(error: z.ZodError, what: string): AppError {
  const issue = error.issues[0]!;
  return new AppError("validation_failed", `${issue.path.join(".") || what}: ${issue.message}`, { issues: error.issues });
}

export async function readBody<T>(req: Request, schema: ZodType<T>, maxBytes?: number): Promise<T> {
  const raw = await readJson(req, z.unknown(), maxBytes);
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw invalid(parsed.error, "body");
  return parsed.data;
}

export function readQuery<T>(req: Request, schema: ZodType<T>): T {
  const parsed = schema.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!parsed.success) throw invalid(parsed.error, "query");
  return parsed.data;
}

/** Ids in paths: anything but a UUID cannot exist, so it is a 404 rather than a database error. */
export function idOf(params: { id: string }, what = "Connector"): string {
  const parsed = z.uuid().safeParse(params.id);
  if (!parsed.success) throw new AppError("not_found", `${what} not found.`);
  return parsed.data;
}

export const MAX_CSV_BYTES = 5 * 1024 * 1024;

/** A raw text/csv upload (mapping files), capped at 5 MiB with a message an admin can act on. */
export async function readCsvBody(req: Request): Promise<string> {
  try {
    return await readBodyText(req, MAX_CSV_BYTES);
  } catch (err) {
    if (err instanceof AppError && err.code === "payload_too_large") {
      throw new AppError("payload_too_large", "The CSV file is larger than 5 MiB. Remove unused rows or split the mapping, then upload it again.");
    }
    throw err;
  }
}
