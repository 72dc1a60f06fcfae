import { EventEmitter } from 'node:events';

/**
 * In-process nudge from `commit` to the relay ("document Y of collection X has something to
 * publish"), so events leave within milliseconds and the relay can read that one document by `_id`
 * instead of searching the collection; its periodic scan is the fallback (commits of other
 * processes, a restart).
 */
export const outboxSignal = new EventEmitter();
outboxSignal.setMaxListeners(100);

export const notifyCommitted = (collection: string, id: unknown): void => {
  outboxSignal.emit('committed', collection, id);
};
