/**
 * Idempotent apply. Delivery is at-least-once; these make effects exactly-once with one
 * conditional single-document write each, on any MongoDB-API server.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

import type { Model } from 'mongoose';

import { dialectOf } from './outbox/dialect.js';
import { inWriteTurn, withDocumentLock } from './outbox/document-lock.js';
import { documentKey } from './outbox/keys.js';
import { DocumentMemory } from './outbox/document-memory.js';

export interface SequencedEvent {
  subject: string;
  sequence: number;
}

/**
 * FerretDB: the sequence this process last wrote, per projection document. An event newer than it is written by `_id` without reading first; the write must still
 * find the document (if it was deleted, the event is decided afresh). Anything not newer — a
 * redelivery, an older event, a document this process has not written — is read and compared as
 * before, so what is remembered only ever saves the read before a write. It is sound while this
 * process is the only writer of those documents: a consumer group gives each aggregate's partition
 * to one member, and the consumer runner forgets everything whenever its group is (re)joined, when
 * partitions may have moved.
 */
const written = new DocumentMemory<number>();

/** Forgets every remembered projection sequence (the consumer runner calls it on each group join). */
export function forgetProjectionSequences(): void {
  written.clear();
}

/**
 * The projection writes a consumer batch has deferred (a consumer with `deferProjections`): per
 * document, the newest sequence decided and the fields still to write, merged in event order.
 */
interface DeferredDocument {
  model: Model<never>;
  subject: string;
  sequence: number;
  fields: Record<string, unknown> | undefined;
}
type DeferredBatch = Map<string, DeferredDocument>;
const deferred = new AsyncLocalStorage<DeferredBatch>();
/** Deferred documents written at once when a batch's projections are written. */
const DEFERRED_WRITERS = 8;

/**
 * Runs `fn` (a consumer batch) with its projection writes deferred: an event for a document whose
 * stored sequence this process knows (it wrote it, or decided it earlier in the batch) is decided
 * against that sequence at once, and its fields are merged into one write per document, made by
 * the `write` given to `fn` — which the consumer runner calls before it marks any offset done, so
 * nothing is committed to Kafka before it is stored. Anything else is applied at once as usual.
 */
export function withDeferredProjections<T>(fn: (write: () => Promise<void>) => Promise<T>): Promise<T> {
  const batch: DeferredBatch = new Map();
  return deferred.run(batch, () => fn(() => writeDeferred(batch)));
}

/**
 * Writes what the batch deferred, one write per document (a sequence-guarded apply of the merged
 * fields at the newest sequence). What fails stays deferred, so a second call writes it again.
 */
async function writeDeferred(batch: DeferredBatch): Promise<void> {
  const due = [...batch.values()].filter((doc) => doc.fields !== undefined);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(DEFERRED_WRITERS, due.length) }, async () => {
      while (next < due.length) {
        const doc = due[next++]!;
        await applyNow(doc.model, { subject: doc.subject, sequence: doc.sequence }, doc.fields!);
        doc.fields = undefined; // written: what follows in the batch is decided against doc.sequence
      }
    }),
  );
}

/**
 * Upserts a projection document keyed by the event's aggregate id, applying the event only when its
 * `sequence` is newer than the stored one. Events carry the snapshot fields a projection needs, so
 * a redelivered or older event is simply 'stale'. Inside a consumer batch with deferred projections
 * (see `withDeferredProjections`), the write may be deferred to the end of the batch.
 */
export async function applyProjection(
  model: Model<never>,
  event: SequencedEvent,
  fields: Record<string, unknown>,
  options: { push?: Record<string, unknown> } = {},
): Promise<'applied' | 'stale'> {
  const batch = deferred.getStore();
  if (!batch) return applyNow(model, event, fields, options);
  const key = documentKey(model, event.subject);
  const pending = batch.get(key);
  if (options.push) {
    // A push is not merged: what is deferred for the document is written first, in order.
    if (pending?.fields) {
      await applyNow(model, { subject: event.subject, sequence: pending.sequence }, pending.fields);
      pending.fields = undefined;
    }
  } else {
    const dialect = await dialectOf(model.db);
    const known = pending?.sequence ?? (dialect === 'ferretdb' ? written.get(model, event.subject) : undefined);
    if (known !== undefined && event.sequence > known) {
      batch.set(key, {
        model,
        subject: event.subject,
        sequence: event.sequence,
        fields: { ...(pending?.fields ?? {}), ...fields },
      });
      return 'applied';
    }
    if (pending && event.sequence <= pending.sequence) return 'stale';
  }
  const outcome = await applyNow(model, event, fields, options);
  if (outcome === 'applied')
    batch.set(key, { model, subject: event.subject, sequence: event.sequence, fields: undefined });
  return outcome;
}

async function applyNow(
  model: Model<never>,
  event: SequencedEvent,
  fields: Record<string, unknown>,
  options: { push?: Record<string, unknown> } = {},
): Promise<'applied' | 'stale'> {
  const set = { ...fields, sequence: event.sequence };
  const update = options.push ? { $set: set, $push: options.push } : { $set: set };
  const pushed = Object.fromEntries(Object.entries(options.push ?? {}).map(([k, v]) => [k, [v]]));
  const collection = model.collection;
  const dialect = await dialectOf(model.db);
  return withDocumentLock(collection.collectionName, event.subject, async () => {
    if (dialect === 'ferretdb') {
      const last = written.get(model, event.subject);
      if (last !== undefined && event.sequence > last) {
        const result = await inWriteTurn(model, () =>
          collection.updateOne({ _id: event.subject as never }, update as never),
        );
        if (result.matchedCount === 1) {
          written.remember(model, event.subject, event.sequence);
          return 'applied';
        }
        written.forget(model, event.subject); // deleted behind this process's back: decide afresh below
      }
    }
    // Two attempts: a concurrent first insert by another consumer turns the insert into an update.
    for (let attempt = 0; attempt < 2; attempt++) {
      if (dialect === 'mongodb') {
        const result = await collection.updateOne(
          { _id: event.subject as never, sequence: { $lt: event.sequence } },
          update as never,
        );
        if (result.matchedCount === 1) return 'applied';
      } else {
        // FerretDB: read and write by `_id` alone (pushed down), compared here under the lock.
        const current = await collection.findOne<{ sequence: number }>(
          { _id: event.subject as never },
          {
            projection: { sequence: 1 },
          },
        );
        if (current && current.sequence >= event.sequence) {
          written.remember(model, event.subject, current.sequence);
          return 'stale';
        }
        if (current) {
          await inWriteTurn(model, () => collection.updateOne({ _id: event.subject as never }, update as never));
          written.remember(model, event.subject, event.sequence);
          return 'applied';
        }
      }
      try {
        const insert = () => collection.insertOne({ _id: event.subject as never, ...set, ...pushed });
        await inWriteTurn(model, insert);
        if (dialect === 'ferretdb') written.remember(model, event.subject, event.sequence);
        return 'applied';
      } catch (error) {
        if ((error as { code?: number }).code !== 11000) throw error;
        // It exists: with a newer or equal sequence (stale), or older (apply on the next attempt).
        const current = await collection.findOne<{ sequence: number }>(
          { _id: event.subject as never },
          {
            projection: { sequence: 1 },
          },
        );
        if (!current || current.sequence >= event.sequence) return 'stale';
      }
    }
    return 'stale';
  });
}

/**
 * Applies an update to one document at most once per event id, remembering the id in the same
 * document (`appliedEvents`) in the same write. For effects that are not per-aggregate snapshots:
 * counters, totals, "books received by this home". Creates the document when it does not exist.
 */
export async function applyOnce(
  model: Model<never>,
  documentId: string,
  eventId: string,
  update: { $inc?: Record<string, number>; $set?: Record<string, unknown>; $push?: Record<string, unknown> },
): Promise<'applied' | 'duplicate'> {
  const { $push, ...rest } = update;
  const write = { ...rest, $push: { ...($push ?? {}), appliedEvents: eventId } };
  const collection = model.collection;
  const dialect = await dialectOf(model.db);
  try {
    if (dialect === 'ferretdb') {
      // FerretDB: read and write by `_id` alone (pushed down), checked here under the lock.
      return await withDocumentLock(collection.collectionName, documentId, async () => {
        const current = await collection.findOne<{ appliedEvents?: string[] }>(
          { _id: documentId as never },
          {
            projection: { appliedEvents: 1 },
          },
        );
        if (current?.appliedEvents?.includes(eventId)) return 'duplicate';
        await inWriteTurn(model, () =>
          collection.updateOne({ _id: documentId as never }, write as never, { upsert: true }),
        );
        return 'applied';
      });
    }
    const result = await collection.updateOne(
      { _id: documentId as never, appliedEvents: { $ne: eventId } },
      write as never,
      {
        upsert: true,
      },
    );
    return result.modifiedCount + result.upsertedCount > 0 ? 'applied' : 'duplicate';
  } catch (error) {
    // The upsert tried to insert a second document with this id: the event was applied already.
    if ((error as { code?: number }).code === 11000) return 'duplicate';
    throw error;
  }
}
