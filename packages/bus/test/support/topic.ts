/** Reading a test topic as it is on the broker: message counts, committed offsets, every event id. */
import { headersToStrings } from '@tongxin/contracts';
import { uniqueGroup, waitFor } from '@tongxin/testkit';
import type { Admin, Kafka } from 'kafkajs';

/** Messages on the topic (high minus low watermark, all partitions). */
export async function topicMessageCount(admin: Admin, topic: string): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
}

/** The group's committed offsets on the topic, summed (a partition without a commit counts 0). */
export async function committedMessageCount(admin: Admin, groupId: string, topic: string): Promise<number> {
  const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return entry?.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0) ?? 0;
}

/**
 * Reads the whole topic with a throwaway group and counts how often each event id (`ce_id`) is on
 * it. The group is deleted afterwards.
 */
export async function eventIdsOnTopic(kafka: Kafka, topic: string): Promise<Map<string, number>> {
  const admin = kafka.admin();
  await admin.connect();
  const groupId = uniqueGroup('read-topic');
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
  const counts = new Map<string, number>();
  let seen = 0;
  try {
    const expected = await topicMessageCount(admin, topic);
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ message }) => {
        const id = headersToStrings(message.headers).ce_id ?? '(no ce_id)';
        counts.set(id, (counts.get(id) ?? 0) + 1);
        seen += 1;
      },
    });
    await waitFor(() => seen >= expected, {
      timeoutMs: 60_000,
      intervalMs: 100,
      message: `all ${expected} messages of ${topic} read (read ${seen})`,
    });
  } finally {
    await consumer.disconnect();
    await admin.deleteGroups([groupId]).catch(() => {});
    await admin.disconnect();
  }
  return counts;
}
