/**
 * `partitionsConcurrently`: batches of different partitions are handled at the same moment, while
 * each partition's messages — each aggregate's events — stay in order.
 */
import { uniqueGroup, waitFor } from '@tongxin/testkit';
import { afterAll, describe, expect, it } from 'vitest';

import { createConsumer } from '../src/index.js';
import { publishedCounterTopic } from './support/counter.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('consumer runner: partitionsConcurrently', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  });

  /** `partitions` partitions (3), 30 counters, 4 events each; handled with a 20 ms handler. */
  async function run(partitionsConcurrently: number | 'all' | undefined, partitionCount = 3) {
    const ids = Array.from({ length: 30 }, (_, i) => `c${i}`);
    const records = ids.flatMap((id) => [1, 2, 3, 4].map((sequence): [string, number] => [id, sequence]));
    const { topic, events, kafka } = await publishedCounterTopic(
      'partitions-concurrently',
      partitionCount,
      records,
      cleanups,
    );

    const seen = new Map<string, number[]>();
    const partitions = new Map<string, Set<number>>();
    let inFlight = 0;
    let mostAtOnce = 0;
    const handle = async (event: { subject: string; sequence: number }, ctx: { partition: number }) => {
      inFlight += 1;
      mostAtOnce = Math.max(mostAtOnce, inFlight);
      await sleep(20);
      seen.set(event.subject, [...(seen.get(event.subject) ?? []), event.sequence]);
      partitions.set(event.subject, (partitions.get(event.subject) ?? new Set()).add(ctx.partition));
      inFlight -= 1;
    };
    const consumer = createConsumer({
      kafka,
      groupId: uniqueGroup('partitions-concurrently'),
      fromBeginning: true,
      subscriptions: [{ topic, events: [events.Created, events.Incremented] }],
      handlers: { 'test.counter.created': handle, 'test.counter.incremented': handle },
      ...(partitionsConcurrently ? { partitionsConcurrently } : {}),
    });
    cleanups.push(() => consumer.stop());
    await consumer.start();
    await waitFor(() => [...seen.values()].reduce((n, s) => n + s.length, 0) === records.length, {
      timeoutMs: 60_000,
      message: 'every event handled',
    });
    await consumer.stop();
    return { seen, partitions, mostAtOnce, ids };
  }

  it('when three partitions are consumed concurrently, then up to three handlers run at once and each aggregate’s events stay in order', async () => {
    const { seen, partitions, mostAtOnce, ids } = await run(3);
    expect(mostAtOnce).toBeGreaterThan(1);
    expect(mostAtOnce).toBeLessThanOrEqual(3);
    for (const id of ids) {
      expect(seen.get(id)).toEqual([1, 2, 3, 4]);
      expect(partitions.get(id)!.size).toBe(1);
    }
    // The keys really are spread over the partitions.
    expect(new Set([...partitions.values()].map((p) => [...p][0])).size).toBe(3);
  });

  it('when asked for all, then as many handlers run at once as the topic has partitions on the broker', async () => {
    const { seen, mostAtOnce, ids } = await run('all', 5);
    expect(mostAtOnce).toBeGreaterThan(3);
    expect(mostAtOnce).toBeLessThanOrEqual(5);
    for (const id of ids) expect(seen.get(id)).toEqual([1, 2, 3, 4]);
  });

  it('when a consumer asks to prefetch, then it is told every key of a batch before the batch’s events are handled', async () => {
    const ids = Array.from({ length: 20 }, (_, i) => `k${i}`);
    const records = ids.flatMap((id) => [1, 2].map((sequence): [string, number] => [id, sequence]));
    const { topic, events, kafka } = await publishedCounterTopic('prefetch', 2, records, cleanups);
    const hinted = new Set<string>();
    const hintedTopics = new Set<string>();
    const unhinted: string[] = [];
    let handled = 0;
    const handle = async (event: { subject: string }) => {
      if (!hinted.has(event.subject)) unhinted.push(event.subject);
      handled += 1;
    };
    const consumer = createConsumer({
      kafka,
      groupId: uniqueGroup('prefetch'),
      fromBeginning: true,
      subscriptions: [{ topic, events: [events.Created, events.Incremented] }],
      handlers: { 'test.counter.created': handle, 'test.counter.incremented': handle },
      prefetch: (batchTopic, keys) => {
        hintedTopics.add(batchTopic);
        for (const key of keys) hinted.add(key);
      },
    });
    cleanups.push(() => consumer.stop());
    await consumer.start();
    await waitFor(() => handled === records.length, { timeoutMs: 60_000, message: 'every event handled' });
    await consumer.stop();
    expect(unhinted).toEqual([]);
    expect([...hinted].sort()).toEqual([...ids].sort());
    expect([...hintedTopics]).toEqual([topic]);
  });

  it('when not asked for, then one handler runs at a time', async () => {
    const { mostAtOnce, seen } = await run(undefined);
    expect(mostAtOnce).toBe(1);
    expect([...seen.values()].every((s) => s.join() === '1,2,3,4')).toBe(true);
  });
});
