import { EventEmitter } from 'node:events';

import { collectionKey, type Located } from './keys.js';
import type { OutboxEntry } from './plugin.js';

/** A document's pending events as its commit left them: its whole outbox at that sequence. */
export interface PendingSnapshot {
  _id: unknown;
  sequence: number;
  outbox: OutboxEntry[];
}

/**
 * In-process nudge from `commit` to the relay ("document Y of collection X has something to
 * publish"), so events leave within milliseconds and the relay can read that one document by `_id`
 * instead of searching the collection; its periodic scan is the fallback (commits of other
 * processes, a restart). A commit that has the document as its write left it passes its outbox
 * along, and the relay need not read it at all.
 */
export const outboxSignal = new EventEmitter();
outboxSignal.setMaxListeners(100);

/** Names the committed document's collection by `collectionKey` (database and collection). */
export const notifyCommitted = (model: Located, id: unknown, snapshot?: PendingSnapshot): void => {
  outboxSignal.emit('committed', collectionKey(model), id, snapshot);
};
