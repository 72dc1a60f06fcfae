/**
 * Acceptance 5: a poison message (invalid schema), a message that is no event at all, and a handler
 * that always throws all land in `<topic>.dlq.<group>` with their error; the messages after them are
 * still processed; dead letters can be listed and, once the handler is fixed, replayed.
 */
import { newEventId, toKafkaRecord, type EventEnvelope } from '@tongxin/contracts';
import { testKafka, uniqueGroup, uniqueTopic, waitFor } from '@tongxin/testkit';
import { afterAll, describe, expect, it } from 'vitest';

import { createConsumer, ensureTopics, KafkaPublisher, listDeadLetters } from '../src/index.js';
import { counterEvents } from './support/counter.js';

const envelope = (subject: string, sequence: number, type: string, data: unknown): EventEnvelope => ({
  id: newEventId(),
  type,
  version: 1,
  source: 'test',
  subject,
  sequence,
  time: new Date().toISOString(),
  data,
});

describe('consumer runner: dead letters', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  });

  it('when a poison message, a non-event and an always-failing handler arrive, then each is dead-lettered with its error, later messages are processed, and replay works after a fix', async () => {
    const topic = uniqueTopic('dlq');
    const groupId = uniqueGroup('dlq');
    const events = counterEvents(topic);
    const kafka = testKafka();
    await ensureTopics(kafka, [{ name: topic, partitions: 1, retentionMs: -1 }]);

    const applied: string[] = [];
    let boomFixed = false;
    const consumer = createConsumer({
      kafka,
      groupId,
      subscriptions: [{ topic, events: [events.Created, events.Incremented] }],
      maxAttempts: 3,
      backoff: { initialMs: 10, maxMs: 20 },
      handlers: {
        'test.counter.created': async (event) => {
          const data = event.data as { counterId: string };
          if (data.counterId === 'boom' && !boomFixed) throw new Error('the registry of booms is on fire');
          applied.push(`${data.counterId}#${event.sequence}`);
        },
        'test.counter.incremented': async (event) => {
          applied.push(`${(event.data as { counterId: string }).counterId}#${event.sequence}`);
        },
      },
    });
    await consumer.start();
    cleanups.push(() => consumer.stop());

    const publisher = new KafkaPublisher(kafka);
    cleanups.push(() => publisher.disconnect());
    const record = (e: EventEnvelope) => ({ topic, ...toKafkaRecord(e) });
    await publisher.publish([
      record(envelope('a', 1, 'test.counter.created', { counterId: 'a', value: 0 })),
      // Poison: the schema wants a string counterId and an integer value.
      record(envelope('p', 1, 'test.counter.created', { counterId: 5, value: 'lots' })),
      // Not an event: no CloudEvents headers, body not JSON.
      { topic, key: 'junk', value: Buffer.from('<xml>not json</xml>'), headers: {} },
      record(envelope('boom', 1, 'test.counter.created', { counterId: 'boom', value: 0 })),
      // Unknown to this consumer: counted and skipped, never dead-lettered.
      record(envelope('a', 2, 'test.counter.renamed', { counterId: 'a' })),
      record(envelope('a', 3, 'test.counter.incremented', { counterId: 'a', by: 1, value: 1 })),
      record(envelope('b', 1, 'test.counter.created', { counterId: 'b', value: 0 })),
    ]);

    await waitFor(() => applied.includes('b#1'), { timeoutMs: 30_000, message: 'the message after the bad ones' });
    expect(applied).toEqual(['a#1', 'a#3', 'b#1']);
    expect(consumer.stats).toMatchObject({ deadLettered: 3, skippedUnknown: 1, processed: 3 });

    const letters = await listDeadLetters(kafka, topic, groupId);
    expect(letters).toHaveLength(3);
    const [poison, junk, boom] = letters;
    expect(poison).toMatchObject({
      key: 'p',
      errorCode: 'schema_validation',
      attempts: 1,
      originalTopic: topic,
      eventType: 'test.counter.created',
    });
    expect(poison!.error).toMatch(/counterId: .*expected string/i);
    expect(junk).toMatchObject({ key: 'junk', errorCode: 'invalid_envelope' });
    expect(junk!.error).toMatch(/header ce_specversion must be "1.0"/);
    expect(junk!.error).toMatch(/the body is not JSON/);
    expect(boom).toMatchObject({ key: 'boom', attempts: 3, error: 'the registry of booms is on fire' });
    expect(Number(boom!.originalOffset)).toBe(3);

    // Listing moved no consumer group: listing again shows the same letters.
    expect(await listDeadLetters(kafka, topic, groupId)).toHaveLength(3);

    // After the fix, a replay applies what now succeeds; the poison ones fail again and stay.
    boomFixed = true;
    const replay = await consumer.replayDeadLetters();
    expect(replay).toEqual({ replayed: 1, failedAgain: 2 });
    expect(applied).toContain('boom#1');
    const after = await listDeadLetters(kafka, topic, groupId);
    expect(after.map((l) => l.key)).toEqual(['p', 'junk', 'boom', 'p', 'junk']);
    // A second replay starts after what the first one handled.
    expect(await consumer.replayDeadLetters()).toEqual({ replayed: 0, failedAgain: 2 });
  }, 120_000);
});
