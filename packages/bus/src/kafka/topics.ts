/** Creates the declared topics that are missing (the broker's auto-creation stays off). */
import type { Admin, Kafka } from 'kafkajs';

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
    let createError: unknown;
    try {
      await admin.createTopics({
        // kafkajs's own wait gives up on the first "does not host this topic-partition" (a KRaft
        // broker answers that until the new topic's metadata reaches it): waitForTopics waits for it.
        waitForLeaders: false,
        topics: missing.map((t) => ({
          topic: t.name,
          numPartitions: t.partitions,
          replicationFactor: -1, // the broker's default: 1 on the local stack, 3 on a cluster
          configEntries: [{ name: 'retention.ms', value: String(t.retentionMs) }],
        })),
      });
    } catch (error) {
      // Two services starting together may both create a topic; the loser's error is harmless
      // once the topic is there. Anything else (an invalid partition count or config entry) is
      // reported at once rather than after the wait.
      if (!isCreateRace(error)) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new Error(`could not create topics ${missing.map((t) => t.name).join(', ')}: ${reason}`, {
          cause: error,
        });
      }
      createError = error;
    }
    await waitForTopics(
      admin,
      missing.map((t) => t.name),
      createError,
    );
    return missing.map((t) => t.name);
  } finally {
    await admin.disconnect();
  }
}

const TOPIC_WAIT_MS = 30_000;

/** True when a create error only says another caller got there first, or may pass on a retry. */
function isCreateRace(error: unknown): boolean {
  const parts = (error as { errors?: unknown[] }).errors ?? [error];
  return parts.every((part) => {
    const { type, retriable } = part as { type?: string; retriable?: boolean };
    return type === 'TOPIC_ALREADY_EXISTS' || retriable === true;
  });
}

/** Waits until every partition of the topics has a leader; a topic still missing then is an error. */
async function waitForTopics(admin: Admin, names: string[], createError: unknown): Promise<void> {
  const deadline = Date.now() + TOPIC_WAIT_MS;
  let last: unknown = createError;
  for (;;) {
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: names });
      const ready = names.every((name) => {
        const topic = topics.find((t) => t.name === name);
        return topic !== undefined && topic.partitions.length > 0 && topic.partitions.every((p) => p.leader >= 0);
      });
      if (ready) return;
    } catch (error) {
      // UNKNOWN_TOPIC_OR_PARTITION, LEADER_NOT_AVAILABLE: retriable while the topic settles.
      if (!(error as { retriable?: boolean }).retriable) throw error;
      last = error;
    }
    if (Date.now() >= deadline) {
      const reason = last instanceof Error ? last.message : 'their partitions have no leader';
      throw new Error(`topics ${names.join(', ')} not ready after ${TOPIC_WAIT_MS} ms: ${reason}`, { cause: last });
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
