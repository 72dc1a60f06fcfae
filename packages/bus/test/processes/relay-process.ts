/**
 * A relay "service" as its own process, for crash tests. Environment:
 *   MONGODB_URI, BUS_TEST_DATABASE   the aggregates' database (the Counter model of support/counter)
 *   KAFKA_BROKERS
 *   BUS_TEST_RELAY_NAME              the relay (lease) name; a restart uses the same name
 *   BUS_TEST_BATCH_SIZE, BUS_TEST_LEASE_MS   optional RelayOptions
 *   BUS_TEST_KILL_AFTER_PUBLISH=<file>       fault injection: after the first publish the broker
 *       acknowledged, write the published event ids to <file> and SIGKILL this process, before the
 *       relay could remove those entries from the outboxes.
 * Reports `{ event: 'ready' }` and `{ event: 'published', count }` on stdout.
 */
import { writeFileSync } from 'node:fs';

import { createRelay, KafkaPublisher, type TopicRecord } from '../../src/index.js';
import { counterModel } from '../support/counter.js';
import { childLifecycle, connectChild, report, requiredEnv } from '../support/processes.js';

const { connection, kafka, logger } = await connectChild('relay-process');
const Counter = counterModel(connection);

const kafkaPublisher = new KafkaPublisher(kafka);
const killAfterPublish = process.env.BUS_TEST_KILL_AFTER_PUBLISH;
const publisher = {
  async publish(records: readonly TopicRecord[]): Promise<void> {
    await kafkaPublisher.publish(records);
    if (killAfterPublish) {
      // Synchronous write: on disk before the signal, which cannot be caught or delayed.
      writeFileSync(killAfterPublish, JSON.stringify(records.map((r) => r.headers.ce_id)));
      process.kill(process.pid, 'SIGKILL');
    }
    report({ event: 'published', count: records.length });
  },
  disconnect: () => kafkaPublisher.disconnect(),
};

const relay = createRelay({
  kafka,
  models: [Counter as never],
  name: requiredEnv('BUS_TEST_RELAY_NAME'),
  publisher,
  logger,
  ...(process.env.BUS_TEST_BATCH_SIZE ? { batchSize: Number(process.env.BUS_TEST_BATCH_SIZE) } : {}),
  ...(process.env.BUS_TEST_LEASE_MS ? { leaseMs: Number(process.env.BUS_TEST_LEASE_MS) } : {}),
});
childLifecycle(async () => {
  await relay.stop();
  await connection.close();
});
await relay.start();
report({ event: 'ready', pid: process.pid });
