export interface WaitForOptions {
  /** Give up after this long (default 15 s). */
  timeoutMs?: number;
  /** Pause between attempts (default 50 ms). */
  intervalMs?: number;
  /** What was awaited, for the failure message ("the projection to hold 200 events"). */
  message?: string;
}

/**
 * Polls `condition` until it returns something other than `false`/`undefined`/`null` (or stops
 * throwing), and resolves with that value. On time-out it fails naming what was awaited and the
 * last value or error seen — the replacement for every `sleep` in a test.
 */
export async function waitFor<T>(
  condition: () => T | Promise<T>,
  options: WaitForOptions = {},
): Promise<Exclude<T, false | undefined | null>> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const intervalMs = options.intervalMs ?? 50;
  const deadline = Date.now() + timeoutMs;
  let last: string = 'never evaluated';
  for (;;) {
    try {
      const value = await condition();
      if (value !== false && value !== undefined && value !== null)
        return value as Exclude<T, false | undefined | null>;
      last = `last result: ${String(value)}`;
    } catch (error) {
      last = `last error: ${(error as Error).message}`;
    }
    if (Date.now() >= deadline) {
      throw new Error(
        `waitFor timed out after ${timeoutMs} ms waiting for ${options.message ?? 'the condition'} (${last})`,
      );
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
