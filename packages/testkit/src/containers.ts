/**
 * The testcontainers path (TONGXIN_TEST_INFRA=containers): Kafka and a MongoDB-API server as
 * containers. Image names come from configuration, since machines without registry access build
 * their images locally (infra/, issue "Operations"). Containers use host networking on free ports,
 * so all test traffic stays on 127.0.0.1 and no bridge address is ever used.
 */
import { freePort, waitForKafka, waitForMongo } from '@tongxin/local-stack';

export interface ContainerStack {
  kafkaBrokers: string;
  mongodbUri: string;
  stop(): Promise<void>;
}

export async function startContainerStack(env: NodeJS.ProcessEnv = process.env): Promise<ContainerStack> {
  // Loaded only on this path: a machine without a container engine never touches testcontainers.
  const { GenericContainer } = await import('testcontainers');
  const kafkaImage = env.TONGXIN_KAFKA_IMAGE ?? 'apache/kafka:3.9.1';
  const mongoImage = env.TONGXIN_MONGO_IMAGE ?? 'mongo:7';
  const [kafkaPort, controllerPort, mongoPort] = [await freePort(), await freePort(), await freePort()];

  const kafka = await new GenericContainer(kafkaImage)
    .withNetworkMode('host')
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

  const isFerret = /ferret/i.test(mongoImage);
  const mongoBuilder = new GenericContainer(mongoImage).withNetworkMode('host');
  const mongo = await (
    isFerret
      ? mongoBuilder.withEnvironment({
          FERRETDB_LISTEN_ADDR: `127.0.0.1:${mongoPort}`,
          FERRETDB_HANDLER: 'sqlite',
          FERRETDB_SQLITE_URL: 'file:/tmp/',
          FERRETDB_TELEMETRY: 'disable',
          FERRETDB_DEBUG_ADDR: '-',
        })
      : mongoBuilder.withCommand(['mongod', '--bind_ip', '127.0.0.1', '--port', String(mongoPort)])
  ).start();

  const kafkaBrokers = `127.0.0.1:${kafkaPort}`;
  const mongodbUri = `mongodb://127.0.0.1:${mongoPort}`;
  const stop = async () => {
    // Ryuk is disabled where images cannot be pulled, so we stop what we started ourselves.
    await Promise.allSettled([kafka.stop(), mongo.stop()]);
  };
  try {
    await waitForKafka(kafkaBrokers, { timeoutMs: 120_000 });
    await waitForMongo(mongodbUri, { timeoutMs: 60_000 });
  } catch (error) {
    await stop();
    throw error;
  }
  return { kafkaBrokers, mongodbUri, stop };
}
