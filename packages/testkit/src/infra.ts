/**
 * Where the tests' Kafka and MongoDB API are. The global setup puts them in the environment of
 * the test workers; a test that runs without it (an editor's single-test run) fails clearly.
 */
export function kafkaBrokers(): string[] {
  const brokers = process.env.KAFKA_BROKERS;
  if (!brokers)
    throw new Error('KAFKA_BROKERS is not set: run tests through vitest with @tongxin/testkit/global-setup (npm test)');
  return brokers.split(',').map((b) => b.trim());
}

export function mongodbUri(): string {
  const uri = process.env.MONGODB_URI;
  if (!uri)
    throw new Error('MONGODB_URI is not set: run tests through vitest with @tongxin/testkit/global-setup (npm test)');
  return uri;
}
