import "server-only";
import { logger } from "@/lib/log";
import { requestScheduleSync } from "@/lib/queue";

const SYNC_REQUEST_TIMEOUT_MS = 3_000;

/**
 * Asks the worker to re-sync its job schedulers. Best effort: the database change has
 * already been made and the worker re-syncs every minute anyway, so a Redis outage is
 * logged and must not fail the admin's request.
 */
export async function requestScheduleSyncSafely(): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      requestScheduleSync(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer from Redis within ${SYNC_REQUEST_TIMEOUT_MS} ms`)), SYNC_REQUEST_TIMEOUT_MS);
      }),
    ]);
  } catch (err) {
    logger().warn({ err }, "could not request a schedule sync; the worker's periodic sync will pick the change up");
  } finally {
    clearTimeout(timer);
  }
}
