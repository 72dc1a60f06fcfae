/**
 * The projections of the register's children and of the children's homes under replay: the
 * consumer group's offsets are reset to the beginning twice and every `registry.child.v1` and
 * `facilities.facility.v1` event is delivered again; both projections stay exactly as they were.
 */
import { FACILITY_TOPIC } from '@tongxin/contracts/facilities';
import { CHILD_TOPIC } from '@tongxin/contracts/registry';
import { kafkaAdmin, waitFor } from '@tongxin/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createProjectionConsumer } from '../src/messaging/projections.js';
import {
  facilitiesStandIn,
  REGIONS,
  registryStandIn,
  startVolunteers,
  type RunningVolunteers,
} from './support/harness.js';

describe('children and homes projections under replay', () => {
  let service: RunningVolunteers;
  let registry: ReturnType<typeof registryStandIn>;
  let facilities: ReturnType<typeof facilitiesStandIn>;

  beforeAll(async () => {
    service = await startVolunteers();
    registry = registryStandIn();
    facilities = facilitiesStandIn();
  });
  afterAll(async () => {
    await registry?.close();
    await facilities?.close();
    await service?.close();
  });

  // Only this test's children and homes: other test files publish on the same topics and may run
  // alongside.
  const snapshot = async (ids: string[], homes: string[]) => ({
    children: (
      await service.models.Children.find({ _id: { $in: ids } })
        .sort({ _id: 1 })
        .lean()
    ).map((d) => JSON.stringify(d)),
    homes: (
      await service.models.Homes.find({ _id: { $in: homes } })
        .sort({ _id: 1 })
        .lean()
    ).map((d) => JSON.stringify(d)),
  });

  it('when the registry’s and facilities’ events are replayed twice from the beginning, then both projections are identical', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push(await registry.child({ name: `儿童${i}` }));
    // Later facts for some: a move, an exit. The newest sequence must win, whatever the replays.
    for (const id of ids.slice(0, 5))
      await registry.child(
        { childId: id, name: '改名', regionCode: REGIONS.rongjiawanTangchong },
        'registry.child.updated',
      );
    for (const id of ids.slice(5, 8)) await registry.child({ childId: id, status: 'exited' }, 'registry.child.exited');
    const homes: string[] = [];
    for (let i = 0; i < 4; i++) homes.push(await facilities.home({ name: `儿童之家${i}` }));
    await facilities.home({ facilityId: homes[0], status: 'suspended' }, 'facilities.facility.status_changed');

    await waitFor(
      async () => {
        const children = await service.models.Children.find({ _id: { $in: ids } }).lean();
        const known = await service.models.Homes.find({ _id: { $in: homes } }).lean();
        return (
          children.length === 20 &&
          children.filter((d) => d.sequence === 2).length === 8 &&
          known.length === 4 &&
          known.some((h) => h.status === 'suspended')
        );
      },
      {
        timeoutMs: 60_000,
        message: 'the projections to hold 20 children (8 at sequence 2) and 4 homes (one suspended)',
      },
    );
    await waitFor(async () => (await service.consumer.lag()) === 0, { timeoutMs: 60_000 });
    const before = await snapshot(ids, homes);
    expect(before.children).toHaveLength(20);
    expect(before.homes).toHaveLength(4);
    expect(await service.models.Children.findById(ids[0]).lean()).toMatchObject({
      name: '改名',
      regionCode: REGIONS.rongjiawanTangchong,
      sequence: 2,
    });
    expect(await service.models.Homes.findById(homes[0]).lean()).toMatchObject({ status: 'suspended', sequence: 2 });

    await service.consumer.stop();
    for (let round = 1; round <= 2; round++) {
      const admin = await kafkaAdmin();
      try {
        for (const topic of [CHILD_TOPIC, FACILITY_TOPIC])
          await admin.resetOffsets({ groupId: service.groupId, topic, earliest: true });
      } finally {
        await admin.disconnect();
      }
      const replay = createProjectionConsumer({
        kafka: service.kafka,
        models: service.models,
        groupId: service.groupId,
      });
      await replay.start();
      await waitFor(async () => replay.stats.processed > 0 && (await replay.lag()) === 0, {
        timeoutMs: 120_000,
        message: `replay ${round} to catch up`,
      });
      await replay.stop();
      expect(replay.stats.processed).toBeGreaterThanOrEqual(33);
      expect(await snapshot(ids, homes)).toEqual(before);
    }
  }, 240_000);
});
