import { Kafka, logLevel, type Admin, type KafkaConfig } from 'kafkajs';

import { kafkaBrokers } from './infra.js';
import { uniqueTopic } from './names.js';

process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';

/** A kafkajs client on the test stack, quiet unless something is wrong. */
export function testKafka(config: Partial<KafkaConfig> = {}): Kafka {
  return new Kafka({ clientId: 'tongxin-test', brokers: kafkaBrokers(), logLevel: logLevel.ERROR, ...config });
}

/** An admin client, connected; call `disconnect()` when done. */
export async function kafkaAdmin(kafka: Kafka = testKafka()): Promise<Admin> {
  const admin = kafka.admin();
  await admin.connect();
  return admin;
}

/**
 * Creates a topic with a unique name (the broker's auto-creation is off) and waits until it has a
 * leader for every partition. Returns the name.
 */
export async function createTestTopic(
  options: { prefix?: string; partitions?: number; kafka?: Kafka } = {},
): Promise<string> {
  const topic = uniqueTopic(options.prefix);
  const admin = await kafkaAdmin(options.kafka);
  try {
    await admin.createTopics({
      topics: [{ topic, numPartitions: options.partitions ?? 1, replicationFactor: 1 }],
      waitForLeaders: true,
    });
  } finally {
    await admin.disconnect();
  }
  return topic;
}
