/**
 * A tiny aggregate for the bus's own tests: a counter that is created and incremented. Its event
 * definitions are made per test so each test has its own topic.
 */
import { defineEvent, defineTopic, draft, newEventId, toKafkaRecord } from '@tongxin/contracts';
import { testKafka, uniqueTopic } from '@tongxin/testkit';
import { Schema, type Connection, type Model } from 'mongoose';
import pMap from 'p-map';
import { z } from 'zod';

import {
  applyProjection,
  commit,
  commitNew,
  ConcurrencyError,
  ensureTopics,
  KafkaPublisher,
  outboxPlugin,
  type ConsumerOptions,
  type OutboxFields,
} from '../../src/index.js';

export function counterEvents(topic: string) {
  const Created = defineEvent({
    type: 'test.counter.created',
    version: 1,
    topic,
    data: z.object({ counterId: z.string(), value: z.number().int() }),
    description: 'a counter was created',
  });
  const Incremented = defineEvent({
    type: 'test.counter.incremented',
    version: 1,
    topic,
    data: z.object({ counterId: z.string(), by: z.number().int(), value: z.number().int() }),
    description: 'a counter was incremented; value is the new total',
  });
  const declaration = defineTopic({
    name: topic,
    producer: 'registry',
    key: 'counterId',
    partitions: 3,
    retentionMs: -1,
    description: 'test',
    events: [Created, Incremented],
  });
  return { Created, Incremented, declaration };
}
export type CounterEvents = ReturnType<typeof counterEvents>;

export interface CounterDoc extends OutboxFields {
  _id: string;
  value: number;
}

export function counterModel(connection: Connection): Model<CounterDoc> {
  const schema = new Schema<CounterDoc>(
    { _id: String, value: { type: Number, required: true } },
    { versionKey: false },
  );
  schema.plugin(outboxPlugin);
  return connection.model<CounterDoc>('Counter', schema);
}

const ctx = { source: 'test' };

export async function createCounter(Counter: Model<CounterDoc>, events: CounterEvents, id: string): Promise<void> {
  await commitNew(Counter, {
    id,
    state: { value: 0 },
    events: [draft(events.Created, { counterId: id, value: 0 })],
    context: ctx,
  });
}

/** A command: read, decide, commit; a lost race is retried (what a service does on 409). */
export async function incrementCounter(
  Counter: Model<CounterDoc>,
  events: CounterEvents,
  id: string,
  by = 1,
): Promise<number> {
  for (;;) {
    const current = await Counter.findById(id).lean();
    if (!current) throw new Error(`no counter ${id}`);
    const value = current.value + by;
    try {
      await commit(Counter, {
        id,
        expectedSequence: current.sequence,
        update: { $set: { value } },
        events: [draft(events.Incremented, { counterId: id, by, value })],
        context: ctx,
      });
      return value;
    } catch (error) {
      if (!(error instanceof ConcurrencyError)) throw error;
    }
  }
}

export interface CounterView {
  _id: string;
  value: number;
  sequence: number;
  applied: number[];
}

export function counterViewModel(connection: Connection): Model<CounterView> {
  return connection.model<CounterView>(
    'CounterView',
    new Schema<CounterView>({ _id: String, value: Number, sequence: Number, applied: [Number] }, { versionKey: false }),
  );
}

/** The second "service": an idempotent projection that also records each sequence it applied. */
export function counterProjectionHandlers(View: Model<CounterView>): ConsumerOptions['handlers'] {
  const apply = async (event: { subject: string; sequence: number; data: { value: number } }) => {
    await applyProjection(View as never, event, { value: event.data.value }, { push: { applied: event.sequence } });
  };
  return {
    'test.counter.created': (event) => apply(event as never),
    'test.counter.incremented': (event) => apply(event as never),
  };
}

/** A command on an aggregate whose sequence the caller knows: one conditional write, no read. */
export async function incrementKnown(
  Counter: Model<CounterDoc>,
  events: CounterEvents,
  id: string,
  state: { sequence: number; value: number },
  by = 1,
): Promise<void> {
  const value = state.value + by;
  await commit(Counter, {
    id,
    expectedSequence: state.sequence,
    update: { $set: { value } },
    events: [draft(events.Incremented, { counterId: id, by, value })],
    context: ctx,
  });
  state.sequence += 1;
  state.value = value;
}

/** Runs `task` over items with at most `limit` at once (the bench uses it too). */
export async function inParallel<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<unknown>,
): Promise<void> {
  await pMap(items, task, { concurrency: limit });
}

/** A counter event as the relay would publish it, ready for `KafkaPublisher.publish`. */
export function counterRecord(topic: string, counterId: string, sequence = 1) {
  return {
    topic,
    ...toKafkaRecord({
      id: newEventId(),
      type: sequence === 1 ? 'test.counter.created' : 'test.counter.incremented',
      version: 1,
      source: 'test',
      subject: counterId,
      sequence,
      time: new Date().toISOString(),
      data: sequence === 1 ? { counterId, value: 0 } : { counterId, by: 1, value: sequence - 1 },
    }),
  };
}

/**
 * A new topic of `partitions` holding the counter events of `records` (as [counterId, sequence]),
 * published; `cleanups` gets the publisher's disconnect.
 */
export async function publishedCounterTopic(
  name: string,
  partitions: number,
  records: [counterId: string, sequence: number][],
  cleanups: (() => Promise<unknown>)[],
) {
  const topic = uniqueTopic(name);
  const events = counterEvents(topic);
  const kafka = testKafka();
  await ensureTopics(kafka, [{ name: topic, partitions, retentionMs: -1 }]);
  const publisher = new KafkaPublisher(kafka);
  cleanups.push(() => publisher.disconnect());
  await publisher.publish(records.map(([counterId, sequence]) => counterRecord(topic, counterId, sequence)));
  return { topic, events, kafka };
}
