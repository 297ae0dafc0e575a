/**
 * Runs a callback-style operation and rejects with `onTimeout()` if it has not
 * called back within `ms`. A late callback is ignored: a hung server must never
 * hang the caller, and its eventual answer must not resolve a settled promise twice.
 */
export function callWithDeadline<T>(
  ms: number,
  onTimeout: () => Error,
  invoke: (callback: (err: Error | null | undefined, value?: T) => void) => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      reject(onTimeout());
    }, ms);
    const finish = (err: Error | null | undefined, value?: T) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) reject(err);
      else resolve(value as T);
    };
    try {
      invoke(finish);
    } catch (err) {
      finish(err instanceof Error ? err : new Error(String(err)));
    }
  });
}
