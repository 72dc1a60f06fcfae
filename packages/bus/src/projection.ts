/**
 * Idempotent apply. Delivery is at-least-once; these make effects exactly-once with one
 * conditional single-document write each, on any MongoDB-API server.
 */
import type { Model } from 'mongoose';

import { dialectOf } from './outbox/dialect.js';
import { withDocumentLock } from './outbox/document-lock.js';
import { SequenceMemory } from './outbox/sequence-memory.js';

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
const written = new SequenceMemory();

/** Forgets every remembered projection sequence (the consumer runner calls it on each group join). */
export function forgetProjectionSequences(): void {
  written.clear();
}

/**
 * Upserts a projection document keyed by the event's aggregate id, applying the event only when its
 * `sequence` is newer than the stored one. Events carry the snapshot fields a projection needs, so
 * a redelivered or older event is simply 'stale'.
 */
export async function applyProjection(
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
        const result = await collection.updateOne({ _id: event.subject as never }, update as never);
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
          await collection.updateOne({ _id: event.subject as never }, update as never);
          written.remember(model, event.subject, event.sequence);
          return 'applied';
        }
      }
      try {
        await collection.insertOne({ _id: event.subject as never, ...set, ...pushed });
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
        await collection.updateOne({ _id: documentId as never }, write as never, { upsert: true });
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
