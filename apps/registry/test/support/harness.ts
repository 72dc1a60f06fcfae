/** The registry on its own fresh database and the real Kafka, with a test issuer and a settable clock. */
import { randomBytes } from 'node:crypto';

import { createConsumer, createKafkaClient, ensureTopics, type ConsumerRunner } from '@tongxin/bus';
import type { EventEnvelope } from '@tongxin/contracts';
import {
  CHILD_TOPIC,
  childEvents,
  CASE_TOPIC,
  caseEvents,
  registryTopics,
  REPORT_TOPIC,
  reportEvents,
} from '@tongxin/contracts/registry';
import { makeResidentId } from '@tongxin/contracts/values';
import { createTestIssuer, type TestIssuer } from '@tongxin/service-kit/testing';
import type { TongxinClaims } from '@tongxin/service-kit';
import { apiClient, kafkaBrokers, mongodbUri, uniqueDatabase, uniqueGroup, type Api } from '@tongxin/testkit';

import { createRegistryService, registryConfigSchema, type RegistryService } from '../../src/service.js';

export const PINGJIANG = '430626';
export const ANDING_TOWN = '430626101';
export const FUSHOU_VILLAGE = '430626101201';
export const CHANGFENG_VILLAGE = '430626101202';
export const LOUQU_COMMUNITY = '430602001001';

export interface Clock {
  now: () => Date;
  set(iso: string): void;
}

export function testClock(start = '2026-11-30T02:00:00.000Z'): Clock {
  let current = new Date(start);
  return { now: () => new Date(current), set: (iso) => (current = new Date(iso)) };
}

export type { Api } from '@tongxin/testkit';

export interface RunningRegistry extends RegistryService {
  issuer: TestIssuer;
  url: string;
  clock: Clock;
  as(claims: TongxinClaims): Promise<Api>;
  close(): Promise<void>;
}

export async function startRegistry(
  options: { clock?: Clock; env?: Record<string, string> } = {},
): Promise<RunningRegistry> {
  const issuer = await createTestIssuer();
  const clock = options.clock ?? testClock();
  const config = registryConfigSchema.parse({
    PORT: '0',
    LOG_LEVEL: 'silent',
    MONGODB_URI: mongodbUri(),
    KAFKA_BROKERS: kafkaBrokers().join(','),
    JWT_PUBLIC_JWK: JSON.stringify(issuer.jwks),
    JWT_ISSUER: issuer.issuer,
    JWT_AUDIENCE: issuer.audience,
    REGISTRY_ID_KEY: randomBytes(32).toString('base64'),
    REGISTRY_INDEX_KEY: randomBytes(32).toString('base64'),
    ...options.env,
  });
  const registry = createRegistryService({
    config,
    dbName: uniqueDatabase('registry'),
    now: clock.now,
    relay: { leaseMs: 3000, pollMs: 100 },
  });
  const { port } = await registry.service.start();
  // Lists read the index once its first reconcile is done; the tests exercise that path.
  await registry.childIndex.whenReady();
  const url = `http://127.0.0.1:${port}`;
  return {
    ...registry,
    issuer,
    url,
    clock,
    async as(claims) {
      return apiClient(url, await issuer.sign(claims));
    },
    async close() {
      await registry.db.connection.dropDatabase().catch(() => {});
      await registry.service.stop();
    },
  };
}

export const countyOfficer = (regions = [PINGJIANG]): TongxinClaims => ({
  sub: 'officer-pj-1',
  name: '李明',
  roles: ['county_officer'],
  regions,
  department: 'civil_affairs',
});
export const townshipOfficer = (regions = [ANDING_TOWN]): TongxinClaims => ({
  sub: 'officer-ad-1',
  name: '王芳',
  roles: ['township_officer'],
  regions,
  department: 'civil_affairs',
});

let idSequence = Math.floor(Math.random() * 500);
/** A valid resident ID number, distinct per call. */
export function residentId(birthDate: string, sex: 'male' | 'female', regionCode = PINGJIANG): string {
  idSequence = (idSequence + 1) % 500;
  return makeResidentId({ regionCode, birthDate, sequence: idSequence, sex });
}

/** A left-behind child of Fushou village: both parents work in Guangdong, grandmother looks after. */
export function leftBehindChild(overrides: Record<string, unknown> = {}) {
  const birthDate = (overrides.birthDate as string | undefined) ?? '2014-05-01';
  const sex = (overrides.sex as 'male' | 'female' | undefined) ?? 'female';
  return {
    name: '李小红',
    sex,
    birthDate,
    ethnicity: '汉族',
    idNumber: residentId(birthDate, sex),
    hukou: { status: 'registered', kind: 'rural' },
    regionCode: FUSHOU_VILLAGE,
    address: '平江县安定镇福寿村3组',
    schooling: { status: 'enrolled', school: '安定镇中心小学', grade: '五年级' },
    health: { status: 'healthy' },
    parents: [
      { relation: 'father', name: '李建国', status: 'migrant_worker', workPlace: '广东东莞', phone: '13812345678' },
      { relation: 'mother', name: '张丽', status: 'migrant_worker', workPlace: '广东深圳' },
    ],
    guardian: {
      kind: 'grandparent',
      name: '王秀英',
      relation: 'paternal_grandmother',
      capacity: 'capable',
      phone: '13987654321',
    },
    supervision: 'supervised',
    assistance: [],
    ...overrides,
  };
}

/** Collects registry events about given subjects with its own consumer group (a second "service"). */
export async function collectRegistryEvents(): Promise<{
  runner: ConsumerRunner;
  events: EventEnvelope[];
  about(subject: string): EventEnvelope[];
}> {
  const events: EventEnvelope[] = [];
  const kafka = createKafkaClient({ clientId: 'registry-test-observer', brokers: kafkaBrokers() });
  await ensureTopics(kafka, registryTopics);
  const collect = async (event: EventEnvelope) => {
    events.push(event);
  };
  const handlers = Object.fromEntries(
    [...childEvents, ...caseEvents, ...reportEvents].map((definition) => [definition.type, collect]),
  );
  const runner = createConsumer({
    kafka,
    groupId: uniqueGroup('registry-observer'),
    subscriptions: [
      { topic: CHILD_TOPIC, events: childEvents },
      { topic: CASE_TOPIC, events: caseEvents },
      { topic: REPORT_TOPIC, events: reportEvents },
    ],
    handlers,
    fromBeginning: true,
  });
  return { runner, events, about: (subject) => events.filter((e) => e.subject === subject) };
}
