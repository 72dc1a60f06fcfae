/**
 * Acceptance 1: 10,000 commands on 200 aggregates, consumed into a projection by a second
 * "service" (its own consumer group and database): every event applied exactly once, each
 * aggregate's events in order.
 */
import { connectTestDatabase, testKafka, uniqueGroup, uniqueTopic, waitFor } from '@tongxin/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createConsumer, createRelay, ensureTopics } from '../src/index.js';
import {
  counterEvents,
  counterModel,
  counterProjectionHandlers,
  counterViewModel,
  createCounter,
  incrementKnown,
  inParallel,
} from './support/counter.js';

const AGGREGATES = 200;
const COMMANDS = 10_000;

describe('outbox → relay → Kafka → consumer → idempotent projection', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  });

  let producerDb: Awaited<ReturnType<typeof connectTestDatabase>>;
  let consumerDb: Awaited<ReturnType<typeof connectTestDatabase>>;
  beforeAll(async () => {
    producerDb = await connectTestDatabase('bus_producer');
    consumerDb = await connectTestDatabase('bus_consumer');
    cleanups.push(
      () => producerDb.closeAndDrop(),
      () => consumerDb.closeAndDrop(),
    );
  });

  it(`when ${COMMANDS} commands hit ${AGGREGATES} aggregates, then the projection applies every event once and in order`, async () => {
    const topic = uniqueTopic('counter');
    const events = counterEvents(topic);
    const kafka = testKafka();
    await ensureTopics(kafka, [events.declaration]);
    const Counter = counterModel(producerDb);
    await Counter.init();
    const View = counterViewModel(consumerDb);

    const relay = createRelay({ kafka, models: [Counter as never], name: `relay-${topic}` });
    await relay.start();
    cleanups.push(() => relay.stop());
    const consumer = createConsumer({
      kafka,
      groupId: uniqueGroup('projection'),
      subscriptions: [{ topic, events: [events.Created, events.Incremented] }],
      handlers: counterProjectionHandlers(View),
    });
    await consumer.start();
    cleanups.push(() => consumer.stop());

    const t0 = Date.now();
    const ids = Array.from({ length: AGGREGATES }, (_, i) => `counter-${String(i).padStart(3, '0')}`);
    await inParallel(ids, 2, (id) => createCounter(Counter, events, id));
    // The remaining commands: 2 writers (FerretDB's SQLite has one writer per database; more
    // parallel writers only add contention), each owning 100 aggregates and taking them in turn,
    // so the relay sees every aggregate changing while it publishes.
    const states = new Map(ids.map((id) => [id, { sequence: 1, value: 0 }]));
    const WRITERS = 2;
    const perWriter = AGGREGATES / WRITERS;
    let done = AGGREGATES;
    await inParallel(
      Array.from({ length: WRITERS }, (_, w) => w),
      WRITERS,
      async (w) => {
        const mine = ids.slice(w * perWriter, (w + 1) * perWriter);
        for (let round = 0; round < COMMANDS / AGGREGATES - 1; round += 1) {
          for (const id of mine) {
            await incrementKnown(Counter, events, id, states.get(id)!);
            if (++done % 1000 === 0)
              console.log(`${done} commands after ${Date.now() - t0} ms; relay published ${relay.stats.published}`);
          }
        }
      },
    );

    const t1 = Date.now();
    const perAggregate = COMMANDS / AGGREGATES;
    await waitFor(async () => (await View.countDocuments({ sequence: perAggregate })) === AGGREGATES, {
      timeoutMs: 240_000,
      intervalMs: 500,
      message: `all ${AGGREGATES} projections at sequence ${perAggregate}`,
    });

    console.log(`${COMMANDS} commands in ${t1 - t0} ms; projection complete after ${Date.now() - t0} ms`);
    const views = await View.find().lean();
    expect(views).toHaveLength(AGGREGATES);
    const expectedSequences = Array.from({ length: perAggregate }, (_, i) => i + 1);
    for (const view of views) {
      expect(view.applied, `events applied to ${view._id}`).toEqual(expectedSequences);
      expect(view.value).toBe(perAggregate - 1);
    }
    const totalApplied = views.reduce((sum, v) => sum + v.applied.length, 0);
    expect(totalApplied).toBe(COMMANDS);
    // Nothing left behind in the producer's outboxes. The relay may defer a removal (by
    // `removeAfterMs`, 1 s) while the document is in use, so the last ones go a moment later.
    await waitFor(async () => (await Counter.countDocuments({ 'outbox.0': { $exists: true } })) === 0, {
      timeoutMs: 30_000,
      message: 'every outbox emptied by the relay',
    });
    expect(consumer.stats.deadLettered).toBe(0);
  }, 600_000);
});
