/**
 * A command's write: the new state, `sequence + n` and the n new events appended to the document's
 * own outbox — one conditional single-document write, atomic on any MongoDB-API server (no
 * multi-document transaction needed). A lost race is a typed ConcurrencyError, never a lost event.
 */
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { newEventId, type DraftEvent } from '@tongxin/contracts';
import type { Model, UpdateQuery } from 'mongoose';

import { AggregateExistsError, AggregateNotFoundError, ConcurrencyError } from '../errors.js';
import type { OutboxEntry, OutboxFields } from './plugin.js';
import { dialectOf } from './dialect.js';
import { inWriteTurn, withDocumentLock } from './document-lock.js';
import { forgetCommit, lastCommit, rememberCommit, storedSequence } from './last-commit.js';
import { notifyCommitted } from './signal.js';

export interface CommitContext {
  /** The producing service, e.g. "registry" (becomes the CloudEvents `source`). */
  source: string;
  /** Ties the events to the request that caused them. */
  correlationId?: string;
  /** Clock, injectable for tests. */
  now?: () => Date;
}

function toEntries(
  aggregateId: string,
  fromSequence: number,
  events: readonly DraftEvent[],
  ctx: CommitContext,
): OutboxEntry[] {
  const time = (ctx.now?.() ?? new Date()).toISOString();
  // The W3C trace context of the active request, carried through the outbox to the consumer.
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return events.map((event, index) => {
    const entry: OutboxEntry = {
      id: newEventId(),
      type: event.definition.type,
      version: event.definition.version,
      topic: event.definition.topic,
      subject: aggregateId,
      sequence: fromSequence + index + 1,
      time,
      source: ctx.source,
      // The producer validates what it publishes with the same schema its consumers read with.
      data: event.definition.data.parse(event.data),
    };
    if (ctx.correlationId) entry.correlationId = ctx.correlationId;
    if (carrier.traceparent) entry.traceparent = carrier.traceparent;
    if (carrier.tracestate) entry.tracestate = carrier.tracestate;
    return entry;
  });
}

const tracer = trace.getTracer('@tongxin/bus');

/**
 * The outbox write as a span of the request's trace: the entries store ITS context, so the relay's
 * publish span and the consumers' process spans hang below it.
 */
function inCommitSpan<R>(
  model: Model<never> | Model<OutboxFields>,
  events: readonly DraftEvent[],
  run: () => Promise<R>,
): Promise<R> {
  // No active trace (a scheduler, a test without tracing): no span of its own.
  if (!trace.getSpan(context.active())) return run();
  return tracer.startActiveSpan(
    `outbox commit ${model.collection.collectionName}`,
    {
      kind: SpanKind.INTERNAL,
      attributes: {
        'db.collection.name': model.collection.collectionName,
        'tongxin.outbox.events': events.length,
        'tongxin.event.types': [...new Set(events.map((e) => e.definition.type))],
      },
    },
    async (span) => {
      try {
        return await run();
      } catch (error) {
        span.recordException(error as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

/** Creates an aggregate with its first events. A second create of the same id is AggregateExistsError. */
export async function commitNew<T extends OutboxFields>(
  model: Model<T>,
  input: {
    id: string;
    state: Partial<Omit<T, keyof OutboxFields>>;
    events: readonly DraftEvent[];
    context: CommitContext;
  },
): Promise<T> {
  return inCommitSpan(model as never, input.events, () => commitNewNow(model, input));
}

async function commitNewNow<T extends OutboxFields>(
  model: Model<T>,
  input: Parameters<typeof commitNew<T>>[1],
): Promise<T> {
  const outbox = toEntries(input.id, 0, input.events, input.context);
  try {
    const create = () =>
      model.create({
        ...input.state,
        _id: input.id,
        sequence: outbox.length,
        outbox,
        outboxPending: outbox.length > 0,
      } as never);
    const dialect = await dialectOf(model.db);
    const created = await withDocumentLock(model.collection.collectionName, input.id, async () => {
      try {
        const document = await inWriteTurn(model, create);
        // FerretDB: the create is this process's last commit of the aggregate, so its first update
        // needs no read. (An id used again, the aggregate deleted and created anew: this replaces
        // what was remembered of the old one.)
        if (dialect === 'ferretdb') {
          rememberCommit(model, input.id, { sequence: outbox.length, lastEventId: outbox.at(-1)?.id }, undefined);
        }
        return document.toObject() as T;
      } catch (error) {
        forgetCommit(model, input.id);
        throw error;
      }
    });
    if (outbox.length > 0) {
      // The document as the create stored it: the relay publishes its events without reading it.
      notifyCommitted(model, input.id, { _id: input.id, sequence: created.sequence, outbox: [...created.outbox] });
    }
    return created;
  } catch (error) {
    // FerretDB's duplicate-key message names neither the index nor the key, so ask: is it the id,
    // or another unique index (which the caller maps to its own conflict)?
    if ((error as { code?: number }).code === 11000 && (await model.exists({ _id: input.id } as never))) {
      throw new AggregateExistsError(input.id);
    }
    throw error;
  }
}

/**
 * Changes an aggregate that is still at `expectedSequence`. `update` is a mongoose update of the
 * state fields ($set/$unset/$push… on anything but the outbox fields).
 */
export async function commit<T extends OutboxFields>(
  model: Model<T>,
  input: {
    id: string;
    expectedSequence: number;
    update: UpdateQuery<T>;
    events: readonly DraftEvent[];
    context: CommitContext;
  },
): Promise<T> {
  return inCommitSpan(model as never, input.events, () => commitNow(model, input));
}

async function commitNow<T extends OutboxFields>(model: Model<T>, input: Parameters<typeof commit<T>>[1]): Promise<T> {
  const outbox = toEntries(input.id, input.expectedSequence, input.events, input.context);
  const update = { ...input.update } as Record<string, Record<string, unknown> | undefined>;
  for (const reserved of ['sequence', 'outbox', 'outboxPending']) {
    for (const operator of Object.keys(update)) {
      if (update[operator] && reserved in update[operator]!) {
        throw new Error(`commit: the update must not touch "${reserved}"; the outbox manages it`);
      }
    }
  }
  /** `replace`: the stored outbox is all published (FerretDB, `markPublished`): these events replace it. */
  const finalUpdate = (replace: boolean) => {
    const pushes = {
      ...(update.$push ?? {}),
      ...(outbox.length > 0 && !replace ? { outbox: { $each: outbox } } : {}),
    };
    return {
      ...update,
      // The sequence is the aggregate's version: every change moves it, also one without events (else
      // a concurrent change of facts no event announces would go unnoticed). Events carry the versions
      // their change produced, so a change without events leaves a gap that consumers skip over.
      $inc: { ...(update.$inc ?? {}), sequence: Math.max(outbox.length, 1) },
      ...(Object.keys(pushes).length > 0 ? { $push: pushes } : {}),
      $set: {
        ...(update.$set ?? {}),
        ...(outbox.length > 0 ? { outboxPending: true } : {}),
        ...(outbox.length > 0 && replace ? { outbox } : {}),
      },
    };
  };
  const dialect = await dialectOf(model.db);
  const options = { returnDocument: 'after' as const, runValidators: true };
  const updated = await withDocumentLock(model.collection.collectionName, input.id, async () => {
    if (dialect === 'mongodb') {
      return model
        .findOneAndUpdate(
          { _id: input.id, sequence: input.expectedSequence } as never,
          finalUpdate(false) as never,
          options,
        )
        .lean();
    }
    // FerretDB: read and write by `_id` alone (pushed down), the condition checked here under the lock
    // against the sequence this process last committed, or, when it has none, the stored one.
    const last = lastCommit(model, input.id);
    const current = await storedSequence(model, input.id, last);
    if (current !== input.expectedSequence) {
      forgetCommit(model, input.id); // the next attempt reads what is stored
      return null;
    }
    const published = last?.published === true;
    try {
      const after = await inWriteTurn(model, () =>
        model
          .findOneAndUpdate({ _id: input.id } as never, finalUpdate(published && outbox.length > 0) as never, options)
          .lean(),
      );
      if (after) {
        const sequence = (after as { sequence: number }).sequence;
        rememberCommit(model, input.id, { sequence, lastEventId: outbox.at(-1)?.id }, last);
      } else forgetCommit(model, input.id);
      return after;
    } catch (error) {
      forgetCommit(model, input.id);
      throw error;
    }
  });
  if (!updated) {
    const exists = await model.exists({ _id: input.id } as never);
    throw exists ? new ConcurrencyError(input.id, input.expectedSequence) : new AggregateNotFoundError(input.id);
  }
  if (outbox.length > 0) {
    // The document as this write left it (findOneAndUpdate, one atomic write): its whole outbox.
    const after = updated as unknown as OutboxFields;
    notifyCommitted(model, input.id, {
      _id: input.id,
      sequence: after.sequence,
      outbox: [...after.outbox],
    });
  }
  return updated as T;
}
