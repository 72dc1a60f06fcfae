/**
 * The testcontainers path (TONGXIN_TEST_INFRA=containers): Kafka and a MongoDB-API server as
 * containers. Image names come from configuration, since machines without registry access build
 * their images locally (infra/, issue "Operations"). Containers use host networking on free ports,
 * so all test traffic stays on 127.0.0.1 and no bridge address is ever used.
 *
 * Without a Docker engine (podman, images built offline by infra/images):
 *   eval "$(infra/images/setup-podman.sh --env)"      # DOCKER_HOST, Ryuk off, host override 127.0.0.1
 *   npm run images -- --only kafka,ferretdb
 *   TONGXIN_TEST_INFRA=containers TONGXIN_KAFKA_IMAGE=localhost/tongxin-kafka:3.9.1 \
 *     TONGXIN_MONGO_IMAGE=localhost/tongxin-ferretdb:1.24.2 npx vitest run --configLoader runner --project bus …
 * With Ryuk disabled nothing reaps the containers for us: stop() removes both, and a failed start
 * removes whatever did start.
 */
import { existsSync } from 'node:fs';

import { freePort, waitForKafka, waitForMongo } from '@tongxin/local-stack';
import { Kafka, logLevel } from 'kafkajs';
import type { StartedTestContainer } from 'testcontainers';

export interface ContainerStack {
  kafkaBrokers: string;
  mongodbUri: string;
  stop(): Promise<void>;
}

export async function startContainerStack(env: NodeJS.ProcessEnv = process.env): Promise<ContainerStack> {
  usePodmanSocketWhenNoEngineIsSet(env);
  // Loaded only on this path: a machine without a container engine never touches testcontainers.
  const { GenericContainer } = await import('testcontainers');
  const kafkaImage = env.TONGXIN_KAFKA_IMAGE ?? 'apache/kafka:3.9.1';
  const mongoImage = env.TONGXIN_MONGO_IMAGE ?? 'mongo:7';
  const [kafkaPort, controllerPort, mongoPort] = [await freePort(), await freePort(), await freePort()];

  const started: StartedTestContainer[] = [];
  const stop = async () => {
    // Ryuk is disabled where images cannot be pulled, so we stop what we started ourselves.
    await Promise.allSettled(started.map((container) => container.stop({ timeout: 10_000 })));
  };
  const label = { 'org.tongxin.testkit': 'containers' };
  try {
    const kafka = await new GenericContainer(kafkaImage)
      .withNetworkMode('host')
      .withLabels(label)
      .withStartupTimeout(120_000)
      .withEnvironment({
        KAFKA_NODE_ID: '1',
        KAFKA_PROCESS_ROLES: 'broker,controller',
        KAFKA_LISTENERS: `PLAINTEXT://127.0.0.1:${kafkaPort},CONTROLLER://127.0.0.1:${controllerPort}`,
        KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://127.0.0.1:${kafkaPort}`,
        KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
        KAFKA_INTER_BROKER_LISTENER_NAME: 'PLAINTEXT',
        KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
        KAFKA_CONTROLLER_QUORUM_VOTERS: `1@127.0.0.1:${controllerPort}`,
        KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
        KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
        KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
        KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
        KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
        KAFKA_HEAP_OPTS: '-Xmx384m -Xms128m',
      })
      .start();
    started.push(kafka);

    const isFerret = /ferret/i.test(mongoImage);
    const mongoBuilder = new GenericContainer(mongoImage)
      .withNetworkMode('host')
      .withLabels(label)
      .withStartupTimeout(60_000);
    const mongo = await (
      isFerret
        ? mongoBuilder.withEnvironment({
            FERRETDB_LISTEN_ADDR: `127.0.0.1:${mongoPort}`,
            FERRETDB_HANDLER: 'sqlite',
            // /state exists and is writable in both ghcr.io/ferretdb/ferretdb and localhost/tongxin-ferretdb.
            FERRETDB_SQLITE_URL: 'file:/state/',
            FERRETDB_STATE_DIR: '/state',
            FERRETDB_TELEMETRY: 'disable',
            FERRETDB_DEBUG_ADDR: '-',
          })
        : mongoBuilder.withCommand(['mongod', '--bind_ip', '127.0.0.1', '--port', String(mongoPort)])
    ).start();
    started.push(mongo);
  } catch (error) {
    await stop();
    throw error;
  }

  const kafkaBrokers = `127.0.0.1:${kafkaPort}`;
  const mongodbUri = `mongodb://127.0.0.1:${mongoPort}`;
  try {
    await waitForKafka(kafkaBrokers, { timeoutMs: 120_000 });
    await warmUpKafka(kafkaBrokers, 120_000);
    await waitForMongo(mongodbUri, { timeoutMs: 60_000 });
  } catch (error) {
    await stop();
    throw error;
  }
  return { kafkaBrokers, mongodbUri, stop };
}

/**
 * A broker that has just answered its first admin call may still answer "This server does not host
 * this topic-partition" for a topic created a moment later (its metadata cache lags the KRaft
 * controller on a busy machine); the first test to create a topic would fail on that. So a probe
 * topic is created, read back until its partition has a leader, and deleted before the tests start.
 */
async function warmUpKafka(brokers: string, timeoutMs: number): Promise<void> {
  const kafka = new Kafka({ clientId: 'tongxin-warm-up', brokers: [brokers], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const topic = `tongxin-warm-up-${Date.now().toString(36)}`;
  const deadline = Date.now() + timeoutMs;
  await admin.connect();
  try {
    let created = false;
    let lastError = 'no answer';
    for (;;) {
      try {
        if (!created) created = await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
        created = true;
        const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
        if (metadata.topics[0]?.partitions.every((p) => p.leader >= 0)) break;
        lastError = 'no leader yet';
      } catch (error) {
        lastError = (error as Error).message;
      }
      if (Date.now() > deadline) throw new Error(`the Kafka container did not serve a new topic in time: ${lastError}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    await admin.deleteTopics({ topics: [topic] }).catch(() => {});
  } finally {
    await admin.disconnect();
  }
}

/**
 * No DOCKER_HOST but podman's API socket from infra/images/setup-podman.sh is there: use it, with
 * Ryuk off (its image cannot be pulled; stop() cleans up) and 127.0.0.1 as the host. Read by
 * testcontainers when it is first imported, so this runs before that import.
 */
function usePodmanSocketWhenNoEngineIsSet(env: NodeJS.ProcessEnv): void {
  const socket = env.TONGXIN_PODMAN_SOCKET ?? '/run/tongxin-podman.sock';
  if (process.env.DOCKER_HOST || !existsSync(socket)) return;
  process.env.DOCKER_HOST = `unix://${socket}`;
  process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
  process.env.TESTCONTAINERS_HOST_OVERRIDE ??= '127.0.0.1';
}
