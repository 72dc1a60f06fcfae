/**
 * Idempotent apply. Delivery is at-least-once; these make effects exactly-once with one
 * conditional single-document write each, on any MongoDB-API server.
 */
import type { Model } from 'mongoose';

export interface SequencedEvent {
  subject: string;
  sequence: number;
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
  const result = await model.collection.updateOne(
    { _id: event.subject as never, sequence: { $lt: event.sequence } },
    update as never,
  );
  if (result.matchedCount === 1) return 'applied';
  try {
    const pushed = Object.fromEntries(Object.entries(options.push ?? {}).map(([k, v]) => [k, [v]]));
    await model.collection.insertOne({ _id: event.subject as never, ...set, ...pushed });
    return 'applied';
  } catch (error) {
    if ((error as { code?: number }).code === 11000) return 'stale'; // exists with a newer or equal sequence
    throw error;
  }
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
  try {
    const result = await model.collection.updateOne(
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
