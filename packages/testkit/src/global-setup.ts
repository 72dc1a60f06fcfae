/**
 * Vitest global setup: finds the stack, in this order —
 *   1. KAFKA_BROKERS + MONGODB_URI in the environment (checked, never started or stopped);
 *   2. TONGXIN_TEST_INFRA=containers: Kafka and MongoDB API as containers via testcontainers;
 *   3. the suite's own local stack (infra/local, `testStackSettings`: `.data/test-stack`, Kafka 19192,
 *      FerretDB 27127 — never `npm start`'s, whose platform would consume the tests' events): reused
 *      when already up, else started — and stopped again at the end unless TONGXIN_KEEP_STACK=1.
 * The addresses reach the test workers through their environment.
 */
import { down, StackError, testStackSettings, up } from '@tongxin/local-stack';

import { startContainerStack } from './containers.js';

const say = (line: string) => console.log(`[tongxin stack] ${line}`);

export default async function setup(): Promise<() => Promise<void>> {
  const mode = process.env.TONGXIN_TEST_INFRA ?? 'local';
  if (mode !== 'local' && mode !== 'containers') {
    throw new Error(`TONGXIN_TEST_INFRA=${mode} is not known: use "local" (default) or "containers"`);
  }
  if (mode === 'containers' && !(process.env.KAFKA_BROKERS && process.env.MONGODB_URI)) {
    say('starting Kafka and the MongoDB API as containers (TONGXIN_TEST_INFRA=containers)…');
    const stack = await startContainerStack();
    process.env.KAFKA_BROKERS = stack.kafkaBrokers;
    process.env.MONGODB_URI = stack.mongodbUri;
    return () => stack.stop();
  }
  // The suite's own stack (testStackSettings: its own folder and ports), never the one `npm start` uses.
  const settings = testStackSettings(process.env);
  const env = { ...process.env, ...settings };
  let endpoints;
  try {
    endpoints = await up({ say, env });
  } catch (error) {
    if (error instanceof StackError) {
      // Shown once, plainly, instead of a stack trace from deep inside the setup.
      throw new Error(`${error.message}${error.detail ? `\n--- last lines of the log ---\n${error.detail}` : ''}`);
    }
    throw error;
  }
  process.env.KAFKA_BROKERS = endpoints.kafkaBrokers;
  process.env.MONGODB_URI = endpoints.mongodbUri;
  if (endpoints.external.length < 2) {
    // Tests that look at the local stack itself (its folder, its FerretDB port) see the suite's.
    Object.assign(process.env, settings);
  }
  const started = endpoints.started;
  return async () => {
    if (started.length > 0 && process.env.TONGXIN_KEEP_STACK !== '1') {
      await down({ say, only: started, env });
    }
  };
}
