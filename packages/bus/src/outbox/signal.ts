import { EventEmitter } from 'node:events';

/**
 * In-process nudge from `commit` to the relay ("there is something to publish in collection X"),
 * so events leave within milliseconds; the relay's polling is only the fallback.
 */
export const outboxSignal = new EventEmitter();
outboxSignal.setMaxListeners(100);

export const notifyCommitted = (collection: string): void => {
  outboxSignal.emit('committed', collection);
};
