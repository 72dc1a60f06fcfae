/**
 * The projection of the register's children under replay: the consumer group's offsets are reset to
 * the beginning twice and every `registry.child.v1` event is delivered again; the projection stays
 * exactly as it was.
 */
import { CHILD_TOPIC } from '@tongxin/contracts/registry';
import { kafkaAdmin, waitFor } from '@tongxin/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createProjectionConsumer } from '../src/messaging/projections.js';
import { registryStandIn, startFacilities, type RunningFacilities } from './support/harness.js';

describe('children projection under replay', () => {
  let facilities: RunningFacilities;
  let registry: ReturnType<typeof registryStandIn>;

  beforeAll(async () => {
    facilities = await startFacilities();
    registry = registryStandIn();
  });
  afterAll(async () => {
    await registry?.close();
    await facilities?.close();
  });

  // Only this test's children: other test files publish on the same topic and may run alongside.
  const snapshot = async (ids: string[]) =>
    (
      await facilities.models.Children.find({ _id: { $in: ids } })
        .sort({ _id: 1 })
        .lean()
    ).map((doc) => JSON.stringify(doc));

  it('when the registry’s events are replayed twice from the beginning, then the projection is identical', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push(await registry.child({ name: `儿童${i}` }));
    // Later facts for some: a move, an exit. The newest sequence must win, whatever the replays.
    for (const id of ids.slice(0, 5))
      await registry.child({ childId: id, name: '改名', regionCode: '430626101202' }, 'registry.child.updated');
    for (const id of ids.slice(5, 8)) await registry.child({ childId: id, status: 'exited' }, 'registry.child.exited');
    await waitFor(
      async () => {
        const docs = await facilities.models.Children.find({ _id: { $in: ids } }).lean();
        return docs.length === 20 && docs.filter((d) => d.sequence === 2).length === 8;
      },
      { timeoutMs: 30_000, message: 'the projection to hold 20 children, 8 of them at sequence 2' },
    );
    await waitFor(async () => (await facilities.consumer.lag()) === 0, { timeoutMs: 30_000 });
    const before = await snapshot(ids);
    expect(before).toHaveLength(20);
    const moved = await facilities.models.Children.findById(ids[0]).lean();
    expect(moved).toMatchObject({ name: '改名', regionCode: '430626101202', sequence: 2 });

    await facilities.consumer.stop();
    for (let round = 1; round <= 2; round++) {
      const admin = await kafkaAdmin();
      try {
        await admin.resetOffsets({ groupId: facilities.groupId, topic: CHILD_TOPIC, earliest: true });
      } finally {
        await admin.disconnect();
      }
      const replay = createProjectionConsumer({
        kafka: facilities.kafka,
        models: facilities.models,
        groupId: facilities.groupId,
      });
      await replay.start();
      await waitFor(async () => replay.stats.processed > 0 && (await replay.lag()) === 0, {
        timeoutMs: 60_000,
        message: `replay ${round} to catch up`,
      });
      await replay.stop();
      expect(replay.stats.processed).toBeGreaterThanOrEqual(28);
      expect(await snapshot(ids)).toEqual(before);
    }
  }, 240_000);
});
