/**
 * The volunteers service on its own database, consumer group and clock, against the real Kafka and
 * FerretDB; stand-ins for the registry's and the facilities service's side of the contracts (they
 * publish `registry.child.v1` and `facilities.facility.v1` events exactly as those services do: same
 * schemas, envelope and key), so children and homes become known through the events, as in
 * production; and an observer of what this service publishes, on its own consumer group.
 */
import { eventStandIn, observeTopics } from '@tongxin/bus/testing';
import { randomBytes } from 'node:crypto';

import { createKafkaClient, ensureTopics } from '@tongxin/bus';
import { newEventId } from '@tongxin/contracts';
import { FACILITY_TOPIC, facilitiesTopics, FacilityOpened, type FacilitySnapshot } from '@tongxin/contracts/facilities';
import { CHILD_TOPIC, ChildRegistered, registryTopics, type ChildSnapshot } from '@tongxin/contracts/registry';
import {
  VOLUNTEER_EVENT_TOPIC,
  VOLUNTEER_TOPIC,
  volunteerEventEvents,
  volunteerEvents,
  volunteersTopics,
} from '@tongxin/contracts/volunteers';
import type { TongxinClaims } from '@tongxin/service-kit';
import { createTestIssuer, type TestIssuer } from '@tongxin/service-kit/testing';
import { apiClient, kafkaBrokers, mongodbUri, uniqueDatabase, uniqueGroup, type Api } from '@tongxin/testkit';

import { createVolunteersService, volunteersConfigSchema, type VolunteersService } from '../../src/service.js';

export type { Api } from '@tongxin/testkit';

/** Real Yueyang codes from packages/contracts/src/values/regions/yueyang.ts. */
export const REGIONS = {
  pingjiang: '430626', // 平江县
  yueyangCounty: '430621', // 岳阳县
  pingjiangFushou: '430626101201', // 平江县 安定镇
  pingjiangChangfeng: '430626101202',
  rongjiawanTangchong: '430621101201', // 岳阳县 荣家湾镇 塘冲村
  rongjiawanHeping: '430621101202', // 岳阳县 荣家湾镇 和平村
  luochengVillage: '430681101201', // 汨罗市 汨罗镇 罗城村 (another county)
} as const;

export interface RunningVolunteers extends VolunteersService {
  issuer: TestIssuer;
  groupId: string;
  url: string;
  clock: { now: () => Date; set(iso: string): void };
  as(claims: TongxinClaims): Promise<Api>;
  close(): Promise<void>;
}

export async function startVolunteers(
  start = '2026-06-01T02:00:00.000Z',
  env: Record<string, string> = {},
): Promise<RunningVolunteers> {
  let current = new Date(start);
  const clock = { now: () => new Date(current), set: (iso: string) => void (current = new Date(iso)) };
  const issuer = await createTestIssuer();
  const groupId = uniqueGroup('volunteers-projections');
  const config = volunteersConfigSchema.parse({
    PORT: '0',
    LOG_LEVEL: 'silent',
    MONGODB_URI: mongodbUri(),
    KAFKA_BROKERS: kafkaBrokers().join(','),
    JWT_PUBLIC_JWK: JSON.stringify(issuer.jwks),
    JWT_ISSUER: issuer.issuer,
    JWT_AUDIENCE: issuer.audience,
    VOLUNTEERS_SEAL_KEY: randomBytes(32).toString('base64'),
    VOLUNTEERS_CONSUMER_GROUP: groupId,
    ...env,
  });
  const volunteers = createVolunteersService({
    config,
    dbName: uniqueDatabase('volunteers'),
    now: clock.now,
    relay: { leaseMs: 3000, pollMs: 100 },
  });
  const { port } = await volunteers.service.start();
  const url = `http://127.0.0.1:${port}`;
  return {
    ...volunteers,
    issuer,
    groupId,
    url,
    clock,
    async as(claims) {
      return apiClient(url, await issuer.sign(claims));
    },
    async close() {
      await volunteers.db.connection.dropDatabase().catch(() => {});
      await volunteers.service.stop();
    },
  };
}

export const cityAdmin: TongxinClaims = { sub: 'city-admin', name: '岳阳市民政局', roles: ['city_admin'] };
export const countyOfficer: TongxinClaims = {
  sub: 'officer-pj',
  name: '平江县民政局',
  roles: ['county_officer'],
  regions: [REGIONS.pingjiang],
  department: 'civil_affairs',
};
export const coordinator = (organisationId: string, sub = `coordinator-${organisationId}`): TongxinClaims => ({
  sub,
  name: '协调员',
  roles: ['volunteer_coordinator'],
  volunteerOrgs: [organisationId],
});
export const manager = (facilityId: string): TongxinClaims => ({
  sub: `manager-${facilityId}`,
  name: '张老师',
  roles: ['facility_manager'],
  facilities: [facilityId],
});

/** Publishes registry.child.v1 events as the registry would. */
export function registryStandIn() {
  const standIn = eventStandIn(createKafkaClient({ clientId: 'registry-stand-in', brokers: kafkaBrokers() }));
  const publish = async (snapshot: Partial<ChildSnapshot>, type: string) => {
    const childId = snapshot.childId ?? newEventId();
    const data = ChildRegistered.data.parse({
      childId,
      name: '李小红',
      sex: 'female',
      birthDate: '2015-05-01',
      regionCode: REGIONS.pingjiangFushou,
      categories: ['left_behind'],
      difficultyTypes: [],
      supervision: 'supervised',
      schooling: { status: 'enrolled' },
      status: 'active',
      ...snapshot,
    });
    await standIn.publish(
      CHILD_TOPIC,
      childId,
      type,
      type === 'registry.child.exited'
        ? { ...data, reason: 'moved_away', exitedOn: '2026-05-01' }
        : type === 'registry.child.updated'
          ? { ...data, changedFields: Object.keys(snapshot).filter((k) => k !== 'childId') }
          : data,
    );
    return childId;
  };
  return {
    child: (snapshot: Partial<ChildSnapshot> = {}, type = 'registry.child.registered') => publish(snapshot, type),
    /** Many children, each registered. */
    async children(snapshots: Partial<ChildSnapshot>[]) {
      const ids: string[] = [];
      for (const snapshot of snapshots) ids.push(await publish(snapshot, 'registry.child.registered'));
      return ids;
    },
    close: () => standIn.close(),
  };
}

/** Publishes facilities.facility.v1 events as the facilities service would. */
export function facilitiesStandIn() {
  const standIn = eventStandIn(createKafkaClient({ clientId: 'facilities-stand-in', brokers: kafkaBrokers() }));
  return {
    async home(snapshot: Partial<FacilitySnapshot> = {}, type = 'facilities.facility.opened') {
      const facilityId = snapshot.facilityId ?? newEventId();
      const data = FacilityOpened.data.parse({
        facilityId,
        code: `PJ-${facilityId.slice(-4)}`,
        name: '长丰村留守儿童之家',
        kind: 'village_based',
        regionCode: REGIONS.pingjiangChangfeng,
        status: 'open',
        openedOn: '2018-03-01',
        capacity: 40,
        ...snapshot,
      });
      await standIn.publish(
        FACILITY_TOPIC,
        facilityId,
        type,
        type === 'facilities.facility.status_changed'
          ? { ...data, previousStatus: 'open', reason: 'renovation', changedOn: '2026-05-01' }
          : data,
      );
      return facilityId;
    },
    close: () => standIn.close(),
  };
}

/** Everything the volunteers service publishes, read back by a separate consumer group. */
export async function observeVolunteers() {
  const kafka = createKafkaClient({ clientId: 'volunteers-observer', brokers: kafkaBrokers() });
  await ensureTopics(kafka, [...volunteersTopics, ...registryTopics, ...facilitiesTopics]);
  return observeTopics(kafka, uniqueGroup('volunteers-observer'), [
    { topic: VOLUNTEER_TOPIC, events: volunteerEvents },
    { topic: VOLUNTEER_EVENT_TOPIC, events: volunteerEventEvents },
  ]);
}
