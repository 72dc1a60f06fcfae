/**
 * FerretDB: what this process's last commit of each aggregate left, and what the relay may conclude
 * from it — the commit's check without a read (`storedSequence`), and whether a document's outbox
 * holds only published events (`isLastCommit`, `markPublished`, `stillPublished`), so its removal can
 * be one small write or ride on the next commit.
 */
import type { Model } from 'mongoose';

import { DocumentMemory } from './document-memory.js';

/** What this process's last commit of an aggregate left: its sequence and the last event it appended. */
export interface LastCommit {
  sequence: number;
  /** The newest event stored by this process's commits (absent: none known). */
  lastEventId?: string;
  /**
   * Set by the relay (`markPublished`): every event stored in the outbox is published, its removal
   * deferred. The next commit with events replaces the outbox instead of appending to it — the
   * removal rides on that write; a commit without events leaves the outbox, and this, as they were.
   */
  published?: boolean;
  /** When it was committed (ms since the epoch), and how long after the commit before it (if known). */
  at: number;
  interval?: number;
}

type AggregateModel = { db: { name: string }; collection: Model<never>['collection'] };

/**
 * FerretDB: what this process last committed, per aggregate. On FerretDB one process writes an
 * aggregate collection (its updates are not isolated, see document-lock.ts), and only `commit`
 * moves a sequence, so what this process committed is what is stored until its next commit: the
 * check of `expectedSequence` then needs no read. Forgotten on any failed or refused write and on a
 * create (the next attempt reads), and bounded; a process that starts reads each aggregate once.
 */
const committed = new DocumentMemory<LastCommit>();

/** FerretDB, under the document's lock: this process's last commit of the aggregate, if remembered. */
export function lastCommit(model: AggregateModel, id: string): LastCommit | undefined {
  return committed.get(model, id);
}

/**
 * FerretDB, under the document's lock, after a commit wrote `sequence`: remembers it, with the last
 * event it appended (none: the stored outbox is what it was, so a `published` mark carries over from
 * `previous`), and how long after `previous` it came.
 */
export function rememberCommit(
  model: AggregateModel,
  id: string,
  write: { sequence: number; lastEventId?: string | undefined },
  previous: LastCommit | undefined,
): void {
  const at = Date.now();
  const timing = { at, ...(previous ? { interval: at - previous.at } : {}) };
  committed.remember(
    model,
    id,
    write.lastEventId !== undefined
      ? { sequence: write.sequence, lastEventId: write.lastEventId, ...timing }
      : {
          sequence: write.sequence,
          ...timing,
          ...(previous?.published ? { published: true, lastEventId: previous.lastEventId } : {}),
        },
  );
}

/** FerretDB: forgets the aggregate's last commit (a failed or refused write, a create): the next one reads. */
export function forgetCommit(model: AggregateModel, id: string): void {
  committed.forget(model, id);
}

/**
 * FerretDB, under the document's lock: true when this process's last commit of the aggregate left
 * exactly the snapshot's sequence and the snapshot's newest event — then the stored outbox is the
 * snapshot's (less what the relay removed since), not that of an aggregate created anew under the
 * same id. False when unknown.
 */
export function isLastCommit(
  model: AggregateModel,
  id: string,
  snapshot: { sequence: number; outbox: readonly { id: string }[] },
): boolean {
  const last = committed.get(model, id);
  const newest = snapshot.outbox.at(-1)?.id;
  return (
    last !== undefined && newest !== undefined && last.sequence === snapshot.sequence && last.lastEventId === newest
  );
}

/**
 * FerretDB, under the document's lock, from the relay once it has published all of the snapshot:
 * when the snapshot is this process's last commit (`isLastCommit`) and the document is in use (it
 * was committed within `withinMs` of its commit before, so its next commit is likely as soon),
 * remembers that everything stored in its outbox is published and returns true; the relay then
 * defers the removal, and the next commit with events replaces the outbox instead of appending.
 */
export function markPublished(
  model: AggregateModel,
  id: string,
  snapshot: { sequence: number; outbox: readonly { id: string }[] },
  withinMs: number,
): boolean {
  if (!isLastCommit(model, id, snapshot)) return false;
  const last = committed.get(model, id)!;
  if (!(last.interval !== undefined && last.interval <= withinMs)) return false;
  last.published = true;
  return true;
}

/**
 * FerretDB, under the document's lock, when a deferred removal is due: true while nothing but
 * published events has been stored since `markPublished` (a commit with events replaced the outbox
 * itself: false). Undefined when this process no longer knows (forgotten).
 */
export function stillPublished(model: AggregateModel, id: string): boolean | undefined {
  return committed.get(model, id)?.published;
}

/**
 * FerretDB, under the document's lock: the aggregate's stored sequence — what this process last
 * committed (`last`, looked up when not given), else read. Undefined when there is no such aggregate.
 */
export async function storedSequence(
  model: AggregateModel,
  id: string,
  last: LastCommit | undefined = committed.get(model, id),
): Promise<number | undefined> {
  return last ? last.sequence : await readSequence(model, id);
}

/** The aggregate's sequence as stored (one read by `_id`); undefined when there is no such aggregate. */
async function readSequence(model: AggregateModel, id: string): Promise<number | undefined> {
  const stored = await model.collection.findOne<{ sequence: number }>(
    { _id: id as never },
    { projection: { sequence: 1 } },
  );
  return stored?.sequence;
}
