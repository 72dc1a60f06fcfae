/**
 * What this service keeps of other services' data, as idempotent projections:
 * - the register's children (only what enrolment needs: name, sex, birth date, region, categories,
 *   status), from `registry.child.v1`;
 * - volunteers (display name, organisation, cleared for children), from `volunteers.volunteer.v1`,
 *   so an activity can name the volunteers present;
 * - the books and funds each home received, from `donations.donation.v1` (./donations.ts).
 * Each event carries its aggregate's snapshot; `applyProjection` applies it only when its sequence is
 * newer, so redelivery and replays change nothing.
 */
import { applyProjection, createConsumer, type BusLogger, type ConsumerRunner } from '@tongxin/bus';
import type { EventEnvelope } from '@tongxin/contracts';
import { childEvents, type ChildSnapshot } from '@tongxin/contracts/registry';
import {
  VOLUNTEER_EVENT_TOPIC,
  volunteerEventEvents,
  volunteerEvents,
  type VolunteerEventSnapshot,
  type VolunteerSnapshot,
} from '@tongxin/contracts/volunteers';
import type { Kafka } from 'kafkajs';

import { CONSUMES } from '../../consumes.js';
import type { FacilityModels } from '../persistence/models.js';
import type { Activities } from '../service/activities.js';
import { donationHandlers } from './donations.js';

export function childProjection(models: FacilityModels) {
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

export function volunteerProjection(models: FacilityModels) {
  return async (event: EventEnvelope) => {
    const volunteer = event.data as VolunteerSnapshot;
    await applyProjection(models.Volunteers as never, event, {
      name: volunteer.displayName,
      organisationId: volunteer.organisationId,
      cleared: volunteer.clearedForChildren,
    });
  };
}

function volunteerEventHandlers(mirror: Activities['mirrorVolunteerEvent']) {
  const handle = async (event: EventEnvelope) => {
    const data = event.data as VolunteerEventSnapshot & { outcome?: 'completed' | 'cancelled' };
    await mirror(data, { sequence: event.sequence, ...(data.outcome ? { closed: data.outcome } : {}) });
  };
  return Object.fromEntries(volunteerEventEvents.map((e) => [e.type, handle]));
}

export function createProjectionConsumer(options: {
  kafka: Kafka;
  models: FacilityModels;
  /** Mirrors volunteer organisations' events held at a home into its activity log. */
  mirrorVolunteerEvent?: Activities['mirrorVolunteerEvent'];
  groupId: string;
  logger?: BusLogger;
}): ConsumerRunner {
  const onChild = childProjection(options.models);
  const onVolunteer = volunteerProjection(options.models);
  return createConsumer({
    kafka: options.kafka,
    groupId: options.groupId,
    // What ../../consumes.ts declares (volunteer organisations' events only when they are mirrored).
    subscriptions: CONSUMES.subscriptions.filter(
      (s) => options.mirrorVolunteerEvent !== undefined || s.topic !== VOLUNTEER_EVENT_TOPIC,
    ),
    handlers: {
      ...(options.mirrorVolunteerEvent ? volunteerEventHandlers(options.mirrorVolunteerEvent) : {}),
      ...donationHandlers(options.models),
      ...Object.fromEntries(childEvents.map((e) => [e.type, onChild])),
      ...Object.fromEntries(volunteerEvents.map((e) => [e.type, onVolunteer])),
    },
    // Each handler writes only documents of its own event's aggregate (a child, a volunteer, a
    // donation and its allocations, the activity mirroring one volunteer event), and an aggregate's
    // events share a partition: the partitions are applied side by side.
    partitionsConcurrently: 'all',
    ...(options.logger ? { logger: options.logger } : {}),
  });
}
