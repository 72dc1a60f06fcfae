/**
 * What this service keeps of other services' data: the children's homes (name, region, status) from
 * `facilities.facility.v1`, so a home can receive an allocation; the register's children (masked
 * name, village, status) from `registry.child.v1`, so one child can receive a bursary. Every event
 * carries its aggregate's snapshot; `applyProjection` applies it only when its sequence is newer, so
 * redelivery and replays change nothing.
 */
import { applyProjection, createConsumer, type BusLogger, type ConsumerRunner } from '@tongxin/bus';
import type { EventEnvelope } from '@tongxin/contracts';
import { facilityEvents, type FacilitySnapshot } from '@tongxin/contracts/facilities';
import { childEvents, type ChildSnapshot } from '@tongxin/contracts/registry';
import { maskPersonName } from '@tongxin/contracts/values';
import type { Kafka } from 'kafkajs';

import { CONSUMES } from '../../consumes.js';
import type { DonationModels } from '../persistence/models.js';

export function homeProjection(models: DonationModels) {
  return async (event: EventEnvelope) => {
    const home = event.data as FacilitySnapshot;
    await applyProjection(models.Homes as never, event, {
      name: home.name,
      regionCode: home.regionCode,
      status: home.status,
    });
  };
}

/** Only what an allocation to a child needs: the full name, birth date and categories are not kept. */
export function childProjection(models: DonationModels) {
  return async (event: EventEnvelope) => {
    const child = event.data as ChildSnapshot;
    await applyProjection(models.Children as never, event, {
      maskedName: maskPersonName(child.name),
      regionCode: child.regionCode,
      status: child.status,
    });
  };
}

/**
 * One consumer per topic it reads (`topic`), each its own group: the register's child topic is far
 * larger than the homes' and is replayed from the start by a new group, and a home must not wait
 * behind thousands of children to become a recipient. Both subscribe with the declaration's entry.
 */
export function createProjectionConsumer(options: {
  kafka: Kafka;
  models: DonationModels;
  groupId: string;
  topic: (typeof CONSUMES.subscriptions)[number]['topic'];
  logger?: BusLogger;
}): ConsumerRunner {
  const onHome = homeProjection(options.models);
  const onChild = childProjection(options.models);
  return createConsumer({
    kafka: options.kafka,
    groupId: options.groupId,
    subscriptions: CONSUMES.subscriptions.filter((s) => s.topic === options.topic),
    handlers: {
      ...Object.fromEntries(facilityEvents.map((e) => [e.type, onHome])),
      ...Object.fromEntries(childEvents.map((e) => [e.type, onChild])),
    },
    // Every handler is an applyProjection: the topics' partitions are applied side by side, and a
    // batch's events of one document are written as one write (nothing here reads them back).
    partitionsConcurrently: 'all',
    deferProjections: true,
    ...(options.logger ? { logger: options.logger } : {}),
  });
}
