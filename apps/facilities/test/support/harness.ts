/**
 * The facilities service on its own database, consumer group and clock, against the real Kafka and
 * FerretDB; and a stand-in for the registry's side of the contract: it publishes `registry.child.v1`
 * events exactly as the registry does (same schemas, envelope and key), so children become known
 * through the events, as in production.
 */
import { eventStandIn, observeTopics } from '@tongxin/bus/testing';
import { randomBytes } from 'node:crypto';

import { createKafkaClient, ensureTopics } from '@tongxin/bus';
import { newEventId } from '@tongxin/contracts';
import {
  ACTIVITY_TOPIC,
  activityEvents,
  ENROLMENT_TOPIC,
  enrolmentEvents,
  FACILITY_TOPIC,
  facilitiesTopics,
  facilityEvents,
} from '@tongxin/contracts/facilities';
import { DONATION_TOPIC } from '@tongxin/contracts/donations';
import { VOLUNTEER_EVENT_TOPIC } from '@tongxin/contracts/volunteers';
import { CHILD_TOPIC, registryTopics, type ChildSnapshot } from '@tongxin/contracts/registry';
import type { TongxinClaims } from '@tongxin/service-kit';
import { createTestIssuer, type TestIssuer } from '@tongxin/service-kit/testing';
import { apiClient, kafkaBrokers, mongodbUri, uniqueDatabase, uniqueGroup, type Api } from '@tongxin/testkit';

import { createFacilitiesService, facilitiesConfigSchema, type FacilitiesService } from '../../src/service.js';

export const PINGJIANG = '430626';
export const FUSHOU_VILLAGE = '430626101201';
export const CHANGFENG_VILLAGE = '430626101202';
export const LOUQU_COMMUNITY = '430602001001';

export type { Api } from '@tongxin/testkit';

export interface RunningFacilities extends FacilitiesService {
  issuer: TestIssuer;
  groupId: string;
  clock: { now: () => Date; set(iso: string): void };
  as(claims: TongxinClaims): Promise<Api>;
  close(): Promise<void>;
}

export async function startFacilities(start = '2026-06-30T10:00:00.000Z'): Promise<RunningFacilities> {
  let current = new Date(start);
  const clock = { now: () => new Date(current), set: (iso: string) => void (current = new Date(iso)) };
  const issuer = await createTestIssuer();
  const groupId = uniqueGroup('facilities-projections');
  const config = facilitiesConfigSchema.parse({
    PORT: '0',
    LOG_LEVEL: 'silent',
    MONGODB_URI: mongodbUri(),
    KAFKA_BROKERS: kafkaBrokers().join(','),
    JWT_PUBLIC_JWK: JSON.stringify(issuer.jwks),
    JWT_ISSUER: issuer.issuer,
    JWT_AUDIENCE: issuer.audience,
    FACILITIES_NOTES_KEY: randomBytes(32).toString('base64'),
    FACILITIES_CONSUMER_GROUP: groupId,
  });
  const facilities = createFacilitiesService({
    config,
    dbName: uniqueDatabase('facilities'),
    now: clock.now,
    relay: { leaseMs: 3000, pollMs: 100 },
  });
  const { port } = await facilities.service.start();
  const url = `http://127.0.0.1:${port}`;
  return {
    ...facilities,
    issuer,
    groupId,
    clock,
    async as(claims) {
      return apiClient(url, await issuer.sign(claims));
    },
    async close() {
      await facilities.db.connection.dropDatabase().catch(() => {});
      await facilities.service.stop();
    },
  };
}

export const countyOfficer: TongxinClaims = {
  sub: 'officer-pj',
  name: '平江县民政局',
  roles: ['county_officer'],
  regions: [PINGJIANG],
  department: 'civil_affairs',
};
export const manager = (facilityId: string, sub = 'manager-1'): TongxinClaims => ({
  sub,
  name: '张老师',
  roles: ['facility_manager'],
  facilities: [facilityId],
});

/** Publishes registry.child.v1 events as the registry would. */
export function registryStandIn() {
  const standIn = eventStandIn(createKafkaClient({ clientId: 'registry-stand-in', brokers: kafkaBrokers() }));
  return {
    async child(snapshot: Partial<ChildSnapshot> & { childId?: string }, type = 'registry.child.registered') {
      const childId = snapshot.childId ?? newEventId();
      const data: ChildSnapshot = {
        childId,
        name: '李小红',
        sex: 'female',
        birthDate: '2014-05-01',
        regionCode: FUSHOU_VILLAGE,
        categories: ['left_behind'],
        difficultyTypes: [],
        supervision: 'supervised',
        schooling: { status: 'enrolled' },
        status: 'active',
        ...snapshot,
      };
      await standIn.publish(
        CHILD_TOPIC,
        childId,
        type,
        type === 'registry.child.exited'
          ? { ...data, reason: 'moved_away', exitedOn: '2026-06-01' }
          : type === 'registry.child.updated'
            ? { ...data, changedFields: Object.keys(snapshot).filter((k) => k !== 'childId') }
            : data,
      );
      return childId;
    },
    close: () => standIn.close(),
  };
}

/** Publishes another service's events on one topic as it would (`@tongxin/bus/testing`). */
export function eventsStandIn(source: string, topic: string) {
  const standIn = eventStandIn(createKafkaClient({ clientId: `${source}-stand-in`, brokers: kafkaBrokers() }));
  return {
    publish: (subject: string, type: string, data: Record<string, unknown>) =>
      standIn.publish(topic, subject, type, data, { source }),
    close: () => standIn.close(),
  };
}

/** Publishes donations.donation.v1 events as the donations service would. */
export const donationsStandIn = () => eventsStandIn('donations', DONATION_TOPIC);
/** Publishes volunteers.event.v1 events as the volunteers service would. */
export const volunteersStandIn = () => eventsStandIn('volunteers', VOLUNTEER_EVENT_TOPIC);

/** Everything the facilities service publishes, read back by a separate consumer group. */
export async function observeFacilities() {
  const kafka = createKafkaClient({ clientId: 'facilities-observer', brokers: kafkaBrokers() });
  await ensureTopics(kafka, [...facilitiesTopics, ...registryTopics]);
  return observeTopics(kafka, uniqueGroup('facilities-observer'), [
    { topic: FACILITY_TOPIC, events: facilityEvents },
    { topic: ENROLMENT_TOPIC, events: enrolmentEvents },
    { topic: ACTIVITY_TOPIC, events: activityEvents },
  ]);
}
