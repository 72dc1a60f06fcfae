/** Creates the declared topics that are missing (the broker's auto-creation stays off). */
import type { Kafka } from 'kafkajs';

export interface TopicSpec {
  name: string;
  partitions: number;
  /** -1 = keep for ever. */
  retentionMs: number;
}

export async function ensureTopics(kafka: Kafka, topics: readonly TopicSpec[]): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t.name));
    if (missing.length === 0) return [];
    try {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((t) => ({
          topic: t.name,
          numPartitions: t.partitions,
          replicationFactor: -1, // the broker's default: 1 on the local stack, 3 on a cluster
          configEntries: [{ name: 'retention.ms', value: String(t.retentionMs) }],
        })),
      });
    } catch (error) {
      // Two services starting together may both create a topic; the loser's error is harmless.
      const after = new Set(await admin.listTopics());
      if (!missing.every((t) => after.has(t.name))) throw error;
    }
    return missing.map((t) => t.name);
  } finally {
    await admin.disconnect();
  }
}
