/**
 * `npm test` runs on a stack of its own (testStackEnv): its own folder and ports, whatever `npm
 * start`'s stack is set to, so the suite's events never reach a platform running beside it.
 */
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { repoRoot, stackConfig, testStackEnv } from '../src/index.js';

describe('the stack npm test uses', () => {
  it('has its own folder and ports by default, not those of npm start', () => {
    const ours = stackConfig(testStackEnv({}));
    const platform = stackConfig({});
    expect(ours).toMatchObject({
      dir: join(repoRoot, '.data', 'test-stack'),
      kafkaPort: 19192,
      kafkaControllerPort: 19193,
      mongoPort: 27127,
    });
    expect(platform).toMatchObject({ dir: join(repoRoot, '.data', 'stack'), kafkaPort: 19092, mongoPort: 27027 });
  });

  it('stays apart when npm start’s stack is moved through TONGXIN_* (it does not follow it)', () => {
    const moved = { TONGXIN_KAFKA_PORT: '20092', TONGXIN_MONGO_PORT: '20027', TONGXIN_STACK_DIR: '/tmp/platform' };
    expect(stackConfig(testStackEnv(moved))).toMatchObject({
      dir: join(repoRoot, '.data', 'test-stack'),
      kafkaPort: 19192,
      mongoPort: 27127,
    });
  });

  it('takes TONGXIN_TEST_* and passes everything else through', () => {
    const env = testStackEnv({
      TONGXIN_TEST_STACK_DIR: '/tmp/suite-stack',
      TONGXIN_TEST_KAFKA_PORT: '29092',
      TONGXIN_TEST_KAFKA_CONTROLLER_PORT: '29093',
      TONGXIN_TEST_MONGO_PORT: '27037',
      TONGXIN_KAFKA_HEAP: '512m',
      KAFKA_BROKERS: '10.0.0.1:9092',
    });
    expect(stackConfig(env)).toEqual({
      dir: '/tmp/suite-stack',
      kafkaPort: 29092,
      kafkaControllerPort: 29093,
      mongoPort: 27037,
      kafkaHeap: '512m',
    });
    expect(env.KAFKA_BROKERS).toBe('10.0.0.1:9092');
  });

  it('names a bad TONGXIN_TEST_* port like any other', () => {
    expect(() => stackConfig(testStackEnv({ TONGXIN_TEST_MONGO_PORT: 'abc' }))).toThrow(
      'TONGXIN_MONGO_PORT=abc is not a TCP port',
    );
  });
});
