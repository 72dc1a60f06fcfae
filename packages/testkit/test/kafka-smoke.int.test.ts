/**
 * Proves the broker is real and fit for the design: the primitives the outbox relay and the
 * idempotent consumers rely on, with kafkajs 2.2.4 against the Kafka version infra/local runs.
 */
import type { Consumer, EachMessagePayload } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';

import { createTestTopic, kafkaAdmin, testKafka, uniqueGroup, uniqueTopic, waitFor } from '../src/index.js';

interface Received {
  key: string;
  n: number;
  partition: number;
  offset: string;
}

const consumers: Consumer[] = [];
afterEach(async () => {
  await Promise.allSettled(consumers.splice(0).map((c) => c.disconnect()));
});

async function consumeInto(groupId: string, topic: string, sink: Received[]): Promise<Consumer> {
  const consumer = testKafka().consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 1000 });
  consumers.push(consumer);
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message, partition }: EachMessagePayload) => {
      sink.push({
        key: message.key!.toString(),
        n: Number(message.value!.toString()),
        partition,
        offset: message.offset,
      });
    },
  });
  return consumer;
}

describe('Kafka smoke (kafkajs against the real broker)', () => {
  it('when topics are created through the admin API, then they are listed with their partitions', async () => {
    const admin = await kafkaAdmin();
    try {
      const topic = uniqueTopic('admin');
      const created = await admin.createTopics({
        topics: [{ topic, numPartitions: 3, replicationFactor: 1 }],
        waitForLeaders: true,
      });
      expect(created).toBe(true);
      const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
      expect(metadata.topics[0]?.partitions).toHaveLength(3);
      expect(await admin.listTopics()).toContain(topic);
    } finally {
      await admin.disconnect();
    }
  });

  it('when an idempotent producer (acks=-1) sends keyed messages, then a consumer group receives each key in order', async () => {
    const topic = await createTestTopic({ prefix: 'order', partitions: 3 });
    const producer = testKafka().producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const keys = ['child-a', 'child-b', 'child-c', 'child-d', 'child-e'];
    const perKey = 40;
    try {
      // Interleave keys across many sends, as a relay publishing several aggregates would.
      for (let n = 1; n <= perKey; n += 10) {
        await producer.send({
          topic,
          acks: -1,
          messages: keys.flatMap((key) => Array.from({ length: 10 }, (_, i) => ({ key, value: String(n + i) }))),
        });
      }
    } finally {
      await producer.disconnect();
    }

    const received: Received[] = [];
    await consumeInto(uniqueGroup('order'), topic, received);
    await waitFor(() => received.length === keys.length * perKey, {
      message: `${keys.length * perKey} messages`,
      timeoutMs: 30_000,
    });

    for (const key of keys) {
      const sequence = received.filter((r) => r.key === key);
      expect(sequence.map((r) => r.n)).toEqual(Array.from({ length: perKey }, (_, i) => i + 1));
      // One key, one partition: that is what keeps an aggregate's events in order.
      expect(new Set(sequence.map((r) => r.partition)).size).toBe(1);
    }
  });

  it('when a consumer restarts in the same group, then it resumes after its committed offsets', async () => {
    const topic = await createTestTopic({ prefix: 'resume', partitions: 2 });
    const groupId = uniqueGroup('resume');
    const producer = testKafka().producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const send = (from: number, to: number) =>
      producer.send({
        topic,
        acks: -1,
        messages: Array.from({ length: to - from + 1 }, (_, i) => ({
          key: `k${(from + i) % 4}`,
          value: String(from + i),
        })),
      });

    try {
      await send(1, 50);
      const first: Received[] = [];
      const consumer = await consumeInto(groupId, topic, first);
      await waitFor(() => first.length === 50, { message: 'the first 50 messages', timeoutMs: 30_000 });
      await consumer.disconnect(); // commits what was processed, leaves the group

      const admin = await kafkaAdmin();
      try {
        const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
        const total = committed[0]!.partitions.reduce((sum, p) => sum + Number(p.offset), 0);
        expect(total).toBe(50);
      } finally {
        await admin.disconnect();
      }

      await send(51, 80);
      const second: Received[] = [];
      await consumeInto(groupId, topic, second);
      await waitFor(() => second.length >= 30, { message: 'the next 30 messages', timeoutMs: 30_000 });
      expect(second.map((r) => r.n).sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => 51 + i));
    } finally {
      await producer.disconnect();
    }
  });
});
