/**
 * What this service keeps of other services' data, as idempotent projections:
 * - the register's children (name, sex, birth date, region, categories, status) from
 *   `registry.child.v1`, to check a child's eligibility for an event and show the organiser's list;
 * - the children's homes (code, name, region, status) from `facilities.facility.v1`, as venues.
 * Each event carries its aggregate's snapshot; `applyProjection` applies it only when its sequence is
 * newer, so redelivery and replays change nothing.
 */
import { applyProjection, createConsumer, type BusLogger, type ConsumerRunner } from '@tongxin/bus';
import type { EventEnvelope } from '@tongxin/contracts';
import { facilityEvents, type FacilitySnapshot } from '@tongxin/contracts/facilities';
import { childEvents, type ChildSnapshot } from '@tongxin/contracts/registry';
import type { Kafka } from 'kafkajs';

import { CONSUMES } from '../../consumes.js';
import type { VolunteerModels } from '../persistence/models.js';

export function childProjection(models: VolunteerModels) {
  return async (event: EventEnvelope) => {
    const child = event.data as ChildSnapshot;
    await applyProjection(models.Children as never, event, {
      name: child.name,
      sex: child.sex,
      birthDate: child.birthDate,
      regionCode: child.regionCode,
      categories: child.categories,
      status: child.status,
    });
  };
}

export function homeProjection(models: VolunteerModels) {
  return async (event: EventEnvelope) => {
    const home = event.data as FacilitySnapshot;
    await applyProjection(models.Homes as never, event, {
      code: home.code,
      name: home.name,
      regionCode: home.regionCode,
      status: home.status,
    });
  };
}

export function createProjectionConsumer(options: {
  kafka: Kafka;
  models: VolunteerModels;
  groupId: string;
  logger?: BusLogger;
}): ConsumerRunner {
  const onChild = childProjection(options.models);
  const onHome = homeProjection(options.models);
  return createConsumer({
    kafka: options.kafka,
    groupId: options.groupId,
    subscriptions: CONSUMES.subscriptions,
    handlers: {
      ...Object.fromEntries(childEvents.map((e) => [e.type, onChild])),
      ...Object.fromEntries(facilityEvents.map((e) => [e.type, onHome])),
    },
    // Every handler is an applyProjection: the topics' partitions are applied side by side, and a
    // batch's events of one document are written as one write (nothing here reads them back).
    partitionsConcurrently: 'all',
    deferProjections: true,
    ...(options.logger ? { logger: options.logger } : {}),
  });
}
