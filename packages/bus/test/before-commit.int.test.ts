/**
 * `beforeCommit`: a consumer that defers its writes makes them durable there, and the runner marks
 * offsets done only after it succeeded — so while it fails nothing is committed, and the next member
 * of the group gets the same messages again.
 */
import { uniqueGroup, waitFor } from '@tongxin/testkit';
import { afterAll, describe, expect, it } from 'vitest';

import { createConsumer, type ConsumerRunner } from '../src/index.js';
import { publishedCounterTopic } from './support/counter.js';

describe('consumer runner: beforeCommit', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  });

  it('when beforeCommit fails, then no offset is committed and the messages come again; once it succeeds they are committed', async () => {
    const groupId = uniqueGroup('before-commit');
    const ids = Array.from({ length: 20 }, (_, i) => `k${i}`);
    const { topic, events, kafka } = await publishedCounterTopic(
      'before-commit',
      1,
      ids.map((id) => [id, 1]),
      cleanups,
    );
    const member = (beforeCommit: (pending: Set<string>) => Promise<void>) => {
      const pending = new Set<string>();
      const consumer: ConsumerRunner = createConsumer({
        kafka,
        groupId,
        fromBeginning: true,
        subscriptions: [{ topic, events: [events.Created] }],
        handlers: {
          'test.counter.created': async (event) => {
            pending.add((event.data as { counterId: string }).counterId);
          },
        },
        beforeCommit: () => beforeCommit(pending),
      });
      return { consumer, pending };
    };
    const committed = async () => {
      const admin = kafka.admin();
      await admin.connect();
      try {
        const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
        return Number(offsets!.partitions[0]!.offset);
      } finally {
        await admin.disconnect();
      }
    };

    // The first member's writes never become durable.
    let refused = 0;
    const failing = member(async () => {
      refused += 1;
      throw new Error('the database is away');
    });
    await failing.consumer.start();
    await waitFor(() => failing.pending.size === ids.length && refused > 0, {
      timeoutMs: 60_000,
      message: 'the first member handled every message and was refused',
    });
    await failing.consumer.stop();
    expect(await committed()).toBe(-1);

    // The next member gets them all again, writes them, and only then are they committed.
    const durable = new Set<string>();
    let committedWhenWritten = -2;
    const working = member(async (pending) => {
      committedWhenWritten = Math.max(committedWhenWritten, await committed());
      for (const id of pending) durable.add(id);
      pending.clear();
    });
    await working.consumer.start();
    cleanups.push(() => working.consumer.stop());
    await waitFor(() => durable.size === ids.length, { timeoutMs: 60_000, message: 'every message written' });
    await working.consumer.stop();
    expect([...durable].sort()).toEqual([...ids].sort());
    expect(committedWhenWritten).toBe(-1); // nothing committed before the writes
    expect(await committed()).toBe(ids.length);
  }, 180_000);
});
