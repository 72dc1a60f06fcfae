/**
 * Read → decide → commit, again while the commit loses a race.
 *
 * A command reads its aggregate, decides, and commits at the sequence it read; a `ConcurrencyError`
 * means someone changed the aggregate in between, so the command reads again and decides again (the
 * decision may now be a refusal: the balance no longer suffices, the event is full).
 *
 * This process's commands on one aggregate also wait their turn (a per-aggregate queue) instead of
 * racing among themselves: with many requests in flight on one document — a fund shared among 212
 * homes, a camp everyone registers for — a racing command can lose every attempt while the others
 * win. The retries are then only for races with other processes. Do not nest two calls on the same
 * aggregate: the inner one would wait for the outer one forever.
 */
import { ConcurrencyError } from '../errors.js';
import { withDocumentLock } from './document-lock.js';

export interface RetryOptions {
  /** Attempts before the `ConcurrencyError` is given up to the caller. Default 50. */
  attempts?: number;
  /** Awaited between attempts (a jitter, say). Default: none. */
  pause?: () => Promise<unknown>;
}

export async function retryOnConflict<T>(
  collection: string,
  id: string,
  attempt: () => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const attempts = options.attempts ?? 50;
  // Not the commit's own lock key (the collection's name): the commit takes that one inside.
  return withDocumentLock(`${collection}#commands`, id, async () => {
    for (let n = 1; ; n++) {
      try {
        return await attempt();
      } catch (error) {
        if (!(error instanceof ConcurrencyError) || n >= attempts) throw error;
        await options.pause?.();
      }
    }
  });
}
