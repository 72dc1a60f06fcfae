/**
 * What this service keeps of other services' data: the children's homes (name, region, status) from
 * `facilities.facility.v1`, so a home can receive an allocation. Every facility event carries the
 * home's snapshot; `applyProjection` applies it only when its sequence is newer, so redelivery and
 * replays change nothing.
 */
import { applyProjection, createConsumer, type BusLogger, type ConsumerRunner } from '@tongxin/bus';
import type { EventEnvelope } from '@tongxin/contracts';
import { facilityEvents, type FacilitySnapshot } from '@tongxin/contracts/facilities';
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

export function createProjectionConsumer(options: {
  kafka: Kafka;
  models: DonationModels;
  groupId: string;
  logger?: BusLogger;
}): ConsumerRunner {
  const onHome = homeProjection(options.models);
  return createConsumer({
    kafka: options.kafka,
    groupId: options.groupId,
    subscriptions: CONSUMES.subscriptions,
    handlers: Object.fromEntries(facilityEvents.map((e) => [e.type, onHome])),
    ...(options.logger ? { logger: options.logger } : {}),
  });
}
