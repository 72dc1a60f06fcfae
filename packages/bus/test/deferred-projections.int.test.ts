/**
 * `deferProjections`: within a consumer batch, the events of one projection document are decided as
 * they come and written as one merged write per document before any offset is marked done.
 */
import { mongodbUri, uniqueDatabase, uniqueGroup, waitFor } from '@tongxin/testkit';
import mongoose from 'mongoose';
import { afterAll, describe, expect, it } from 'vitest';

import { applyProjection, createConsumer } from '../src/index.js';
import { counterViewModel, publishedCounterTopic } from './support/counter.js';

describe('consumer runner: deferred projection writes', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  });

  const COUNTERS = 20;
  const EVENTS = 6;

  /** Projects 20 counters × 6 events; counts the outcomes and the writes the view database received. */
  async function project(name: string, deferProjections: boolean, failWrites = 0) {
    const ids = Array.from({ length: COUNTERS }, (_, i) => `${name}${i}`);
    const records = ids.flatMap((id) => Array.from({ length: EVENTS }, (_, k): [string, number] => [id, k + 1]));
    const { topic, events, kafka } = await publishedCounterTopic(name, 2, records, cleanups);
    const db = mongoose.createConnection(mongodbUri(), { dbName: uniqueDatabase(name), monitorCommands: true });
    await db.asPromise();
    cleanups.push(async () => {
      await db.dropDatabase().catch(() => {});
      await db.close();
    });
    const writes: string[] = [];
    db.getClient().on('commandStarted', (e) => {
      if (e.commandName === 'update' || e.commandName === 'insert') writes.push(e.commandName);
    });
    const View = counterViewModel(db);
    await View.createCollection();
    const collection = View.collection;
    const updateOne = collection.updateOne.bind(collection);
    let failures = failWrites;
    collection.updateOne = (async (...args: Parameters<typeof updateOne>) => {
      if (failures > 0) {
        failures -= 1;
        throw Object.assign(new Error('connection reset'), { name: 'MongoNetworkError' });
      }
      return updateOne(...args);
    }) as typeof collection.updateOne;

    const outcomes = { applied: 0, stale: 0 };
    const handle = async (event: { subject: string; sequence: number; data: { value: number } }) => {
      outcomes[await applyProjection(View as never, event, { value: event.data.value })] += 1;
    };
    const consumer = createConsumer({
      kafka,
      groupId: uniqueGroup(name),
      fromBeginning: true,
      subscriptions: [{ topic, events: [events.Created, events.Incremented] }],
      handlers: { 'test.counter.created': handle as never, 'test.counter.incremented': handle as never },
      deferProjections,
      backoff: { initialMs: 50, maxMs: 200 },
    });
    cleanups.push(() => consumer.stop());
    await consumer.start();
    const done = async () => (await View.countDocuments({ sequence: EVENTS })) === COUNTERS;
    await waitFor(done, { timeoutMs: 90_000, message: 'every counter at its last event' });
    await consumer.stop();
    const views = await View.find().lean();
    return { outcomes, writes, views, ids, failuresLeft: failures };
  }

  it('when a batch holds several events of one document, then they are written as one merged write, and the result is the same', async () => {
    const deferred = await project('deferred', true);
    const immediate = await project('immediate', false);
    for (const run of [deferred, immediate]) {
      expect(run.views).toHaveLength(COUNTERS);
      for (const view of run.views) expect(view).toMatchObject({ sequence: EVENTS, value: EVENTS - 1 });
      expect(run.outcomes).toEqual({ applied: COUNTERS * EVENTS, stale: 0 });
    }
    // Immediate: one write per event. Deferred: the first event of each counter is applied at once
    // (this process knows nothing of the document yet), the other five are merged into one write.
    expect(immediate.writes).toHaveLength(COUNTERS * EVENTS);
    expect(deferred.writes.length).toBeLessThanOrEqual(COUNTERS * 3);
    expect(deferred.writes.length).toBeGreaterThanOrEqual(COUNTERS * 2);
  });

  it('when the merged writes fail, then no offset is marked done before they are stored: the events come again and the projection is exact', async () => {
    const run = await project('failing', true, 3);
    expect(run.failuresLeft).toBe(0);
    expect(run.views).toHaveLength(COUNTERS);
    for (const view of run.views) expect(view).toMatchObject({ sequence: EVENTS, value: EVENTS - 1 });
  });
});
