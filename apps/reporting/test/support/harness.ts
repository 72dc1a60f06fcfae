/**
 * The reporting service on its own database, consumer group and clock, against the real Kafka and
 * FerretDB, taking in only the aggregates of one test (ids with the test's prefix: the topics hold
 * every other test's history). And a stand-in for the other services: it publishes their events
 * exactly as they do (their schemas, envelope, key and per-aggregate sequences).
 */
import { eventStandIn } from '@tongxin/bus/testing';
import { randomBytes } from 'node:crypto';

import { createKafkaClient } from '@tongxin/bus';
import { type EventEnvelope } from '@tongxin/contracts';
import type { TongxinClaims } from '@tongxin/service-kit';
import { createTestIssuer, type TestIssuer } from '@tongxin/service-kit/testing';
import { apiClient, kafkaBrokers, mongodbUri, uniqueDatabase, uniqueGroup, type Api } from '@tongxin/testkit';

import { createReportingService, reportingConfigSchema, type ReportingService } from '../../src/service.js';

export type { Api } from '@tongxin/testkit';

export interface RunningReporting extends ReportingService {
  issuer: TestIssuer;
  prefix: string;
  accept: (event: EventEnvelope) => boolean;
  as(claims: TongxinClaims): Promise<Api>;
  close(): Promise<void>;
}

/** A prefix for this test's aggregate ids: letters and digits, unique per run. */
export const uniquePrefix = () => `rp${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;

export async function startReporting(prefix: string, now = '2019-01-15T10:00:00.000Z'): Promise<RunningReporting> {
  const issuer = await createTestIssuer();
  const config = reportingConfigSchema.parse({
    PORT: '0',
    LOG_LEVEL: 'silent',
    MONGODB_URI: mongodbUri(),
    KAFKA_BROKERS: kafkaBrokers().join(','),
    JWT_PUBLIC_JWK: JSON.stringify(issuer.jwks),
    JWT_ISSUER: issuer.issuer,
    JWT_AUDIENCE: issuer.audience,
    REPORTING_CONSUMER_GROUP: uniqueGroup('reporting'),
  });
  const accept = (event: EventEnvelope) => event.subject.startsWith(prefix);
  const reporting = createReportingService({
    config,
    dbName: uniqueDatabase('reporting'),
    now: () => new Date(now),
    accept,
  });
  const { port } = await reporting.service.start();
  const url = `http://127.0.0.1:${port}`;
  return {
    ...reporting,
    issuer,
    prefix,
    accept,
    async as(claims) {
      return apiClient(url, await issuer.sign(claims));
    },
    async close() {
      await reporting.db.connection.dropDatabase().catch(() => {});
      await reporting.service.stop();
    },
  };
}

/** Publishes other services' events as they would (`@tongxin/bus/testing`); the source is the type's producer. */
export function eventsStandIn() {
  const standIn = eventStandIn(createKafkaClient({ clientId: 'reporting-stand-in', brokers: kafkaBrokers() }));
  return {
    /** `version`: the event's schema version (default 1). */
    publish: (
      topic: string,
      subject: string,
      type: string,
      data: Record<string, unknown>,
      time?: string,
      version?: number,
    ) => standIn.publish(topic, subject, type, data, { ...(time ? { time } : {}), ...(version ? { version } : {}) }),
    close: () => standIn.close(),
  };
}

export const cityAdmin: TongxinClaims = { sub: 'city-1', name: '市民政局', roles: ['city_admin'], regions: ['4306'] };
export const auditor: TongxinClaims = { sub: 'auditor-1', name: '审计', roles: ['auditor'], regions: ['4306'] };
export const countyOfficer = (region: string): TongxinClaims => ({
  sub: `officer-${region}`,
  name: '县民政局',
  roles: ['county_officer'],
  regions: [region],
  department: 'civil_affairs',
});
