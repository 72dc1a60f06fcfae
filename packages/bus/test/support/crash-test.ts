/**
 * The scaffold both child-process crash tests share: a scratch folder, the producer's database and
 * a second one (projection or effects), a Kafka admin, and cleanup of all of them and of any child
 * process still running. Call it inside `describe`; the fields are set once `beforeAll` has run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { connectTestDatabase, testKafka } from '@tongxin/testkit';
import type { Admin } from 'kafkajs';
import { afterAll, beforeAll } from 'vitest';

import { killAll, type TestProcess } from './processes.js';

type TestDatabase = Awaited<ReturnType<typeof connectTestDatabase>>;

export interface CrashTestEnvironment {
  scratch: string;
  processes: TestProcess[];
  cleanups: (() => Promise<unknown>)[];
  producerDb: TestDatabase;
  sideDb: TestDatabase;
  admin: Admin;
}

export function useCrashTestEnvironment(
  name: string,
  databases: { producer: string; side: string },
): CrashTestEnvironment {
  const env = {
    scratch: mkdtempSync(join(tmpdir(), `bus-${name}-`)),
    processes: [],
    cleanups: [],
  } as unknown as CrashTestEnvironment;
  afterAll(async () => {
    await killAll(env.processes);
    for (const cleanup of env.cleanups.reverse()) await cleanup().catch(() => {});
    rmSync(env.scratch, { recursive: true, force: true });
  });
  beforeAll(async () => {
    env.producerDb = await connectTestDatabase(databases.producer);
    env.sideDb = await connectTestDatabase(databases.side);
    env.cleanups.push(
      () => env.producerDb.closeAndDrop(),
      () => env.sideDb.closeAndDrop(),
    );
    env.admin = testKafka().admin();
    await env.admin.connect();
    env.cleanups.push(() => env.admin.disconnect());
  });
  return env;
}
