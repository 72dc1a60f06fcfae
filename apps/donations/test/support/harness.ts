/**
 * The donations service on its own database, consumer group and clock, against the real Kafka and
 * FerretDB; stand-ins for the facilities service's and the registry's side of the contract (they
 * publish `facilities.facility.v1` and `registry.child.v1` events exactly as those services do: same
 * schema, envelope and key), so homes and children become known through the events, as in
 * production; and an observer of what this service publishes, on its own consumer group.
 */
import { eventStandIn, observeTopics } from '@tongxin/bus/testing';
import { createKafkaClient, ensureTopics } from '@tongxin/bus';
import { newEventId } from '@tongxin/contracts';
import { DONATION_TOPIC, donationEvents, donationsTopics } from '@tongxin/contracts/donations';
import { FACILITY_TOPIC, facilitiesTopics, FacilityOpened, type FacilitySnapshot } from '@tongxin/contracts/facilities';
import { CHILD_TOPIC, ChildRegistered, type ChildSnapshot } from '@tongxin/contracts/registry';
import { isbn13CheckDigit } from '@tongxin/contracts/values';
import type { TongxinClaims } from '@tongxin/service-kit';
import { createTestIssuer, type TestIssuer } from '@tongxin/service-kit/testing';
import { apiClient, kafkaBrokers, mongodbUri, uniqueDatabase, uniqueGroup, type Api } from '@tongxin/testkit';

import { createDonationsService, donationsConfigSchema, type DonationsService } from '../../src/service.js';

export type { Api } from '@tongxin/testkit';

/** Real Yueyang codes from packages/contracts/src/values/regions/yueyang.ts. */
export const REGIONS = {
  luowangKangle: '430602010001', // 岳阳楼区 洛王街道 康乐社区
  rongjiawanTangchong: '430621101201', // 岳阳县 荣家湾镇 塘冲村
  baixiangPengjia: '430621104202', // 岳阳县 柏祥镇 彭家村
  luochengVillage: '430681101201', // 汨罗市 汨罗镇 罗城村
  sanheTownship: '430672202', // 经开区 三荷乡 (a township code, 9 digits)
  sanheSanhe: '430672202204', // 三荷乡 三合村
  pingjiangFushou: '430626101201',
  pingjiangChangfeng: '430626101202',
} as const;

/** A valid ISBN-13 from its first 12 digits. */
export const isbn = (first12: string) => first12 + isbn13CheckDigit(first12);

/** The body of `POST /donations` for money received from `donorId`; `extra` adds or overrides fields. */
export const moneyDonation = (donorId: string, amountYuan: string, extra: Record<string, unknown> = {}) => ({
  donorId,
  kind: 'money',
  purpose: 'restricted',
  receivedOn: '2026-06-01',
  amountYuan,
  ...extra,
});

export interface RunningDonations extends DonationsService {
  issuer: TestIssuer;
  groupId: string;
  clock: { now: () => Date; set(iso: string): void };
  as(claims: TongxinClaims): Promise<Api>;
  close(): Promise<void>;
}

export async function startDonations(
  start = '2026-07-01T10:00:00.000Z',
  env: Record<string, string> = {},
): Promise<RunningDonations> {
  let current = new Date(start);
  const clock = { now: () => new Date(current), set: (iso: string) => void (current = new Date(iso)) };
  const issuer = await createTestIssuer();
  const groupId = uniqueGroup('donations-projections');
  const config = donationsConfigSchema.parse({
    PORT: '0',
    LOG_LEVEL: 'silent',
    MONGODB_URI: mongodbUri(),
    KAFKA_BROKERS: kafkaBrokers().join(','),
    JWT_PUBLIC_JWK: JSON.stringify(issuer.jwks),
    JWT_ISSUER: issuer.issuer,
    JWT_AUDIENCE: issuer.audience,
    DONATIONS_CONSUMER_GROUP: groupId,
    ...env,
  });
  const donations = createDonationsService({
    config,
    dbName: uniqueDatabase('donations'),
    now: clock.now,
    relay: { leaseMs: 3000, pollMs: 100 },
  });
  const { port } = await donations.service.start();
  const url = `http://127.0.0.1:${port}`;
  return {
    ...donations,
    issuer,
    groupId,
    clock,
    async as(claims) {
      return apiClient(url, await issuer.sign(claims));
    },
    async close() {
      await donations.db.connection.dropDatabase().catch(() => {});
      await donations.service.stop();
    },
  };
}

export const cityAdmin: TongxinClaims = { sub: 'city-admin', name: '岳阳市民政局', roles: ['city_admin'] };
export const countyOfficer: TongxinClaims = {
  sub: 'officer-pj',
  name: '平江县民政局',
  roles: ['county_officer'],
  regions: ['430626'],
  department: 'civil_affairs',
};
export const charity = (donorId: string, sub = `charity-${donorId}`): TongxinClaims => ({
  sub,
  name: '慈善机构工作人员',
  roles: ['charity'],
  donorOrgs: [donorId],
});
export const manager = (facilityId: string): TongxinClaims => ({
  sub: `manager-${facilityId}`,
  name: '张老师',
  roles: ['facility_manager'],
  facilities: [facilityId],
});

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
          ? { ...data, previousStatus: 'open', reason: 'renovation', changedOn: '2026-06-01' }
          : data,
      );
      return facilityId;
    },
    close: () => standIn.close(),
  };
}

/** Publishes registry.child.v1 events as the registry would. */
export function registryStandIn() {
  const standIn = eventStandIn(createKafkaClient({ clientId: 'registry-stand-in', brokers: kafkaBrokers() }));
  return {
    async child(snapshot: Partial<ChildSnapshot> = {}, type = 'registry.child.registered') {
      const childId = snapshot.childId ?? newEventId();
      const data = ChildRegistered.data.parse({
        childId,
        name: '王梓涵',
        sex: 'female',
        birthDate: '2014-03-12',
        regionCode: REGIONS.pingjiangFushou,
        categories: ['left_behind', 'in_difficulty'],
        difficultyTypes: ['economic_hardship'],
        supervision: 'supervised',
        schooling: { status: 'enrolled' },
        status: 'active',
        ...snapshot,
      });
      await standIn.publish(
        CHILD_TOPIC,
        childId,
        type,
        type === 'registry.child.exited' ? { ...data, reason: 'moved_away', exitedOn: '2026-05-01' } : data,
      );
      return childId;
    },
    close: () => standIn.close(),
  };
}

/** Everything the donations service publishes, read back by a separate consumer group. */
export async function observeDonations() {
  const kafka = createKafkaClient({ clientId: 'donations-observer', brokers: kafkaBrokers() });
  await ensureTopics(kafka, [...donationsTopics, ...facilitiesTopics]);
  return observeTopics(kafka, uniqueGroup('donations-observer'), [{ topic: DONATION_TOPIC, events: donationEvents }]);
}
