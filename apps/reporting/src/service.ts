/**
 * The reporting service, assembled: database, read models, queries, routes and the consumer of
 * every topic. Used by main.ts, by the rebuild command and by the tests (their own database, group,
 * clock and event filter).
 */
import { createKafkaClient, ensureTopics } from '@tongxin/bus';
import type { EventEnvelope } from '@tongxin/contracts';
import { donationsTopics } from '@tongxin/contracts/donations';
import { facilitiesTopics } from '@tongxin/contracts/facilities';
import { registryTopics } from '@tongxin/contracts/registry';
import { volunteersTopics } from '@tongxin/contracts/volunteers';
import {
  baseConfigSchema,
  createDatabase,
  createService,
  serviceDatabaseName,
  type Lifecycle,
  type ServiceConfig,
} from '@tongxin/service-kit';
import type { Kafka } from 'kafkajs';
import { z } from 'zod';

import { reportingRoutes } from './http/routes.js';
import { createReportingConsumer } from './messaging/projections.js';
import { readModels } from './read-models/models.js';
import { createQueries } from './read-models/queries.js';

export const reportingConfigSchema = baseConfigSchema.extend({
  /** Consumer group of the read models (the rebuild resets this group). */
  REPORTING_CONSUMER_GROUP: z.string().min(1).default('reporting.read-models'),
});
export type ReportingConfig = z.output<typeof reportingConfigSchema>;

export interface ReportingOptions {
  config: ReportingConfig;
  dbName?: string;
  now?: () => Date;
  kafka?: Kafka;
  /** Which events the read models take in (tests: only their own aggregates). */
  accept?: (event: EventEnvelope) => boolean;
}

/** Every topic the read models read (created when missing: their producers may not have run yet). */
export const READ_TOPICS = [...registryTopics, ...facilitiesTopics, ...donationsTopics, ...volunteersTopics];

export function createReportingDatabase(config: ReportingConfig, dbName?: string) {
  return createDatabase({
    uri: config.MONGODB_URI,
    dbName: dbName ?? config.MONGODB_DATABASE ?? serviceDatabaseName('reporting'),
    serverSelectionTimeoutMS: config.MONGODB_SERVER_SELECTION_TIMEOUT_MS,
  });
}

export function createReportingService(options: ReportingOptions) {
  const { config } = options;
  const now = options.now ?? (() => new Date());
  const db = createReportingDatabase(config, options.dbName);
  const models = readModels(db.connection);
  const queries = createQueries(models);
  const kafka = options.kafka ?? createKafkaClient({ clientId: 'reporting', brokers: config.KAFKA_BROKERS });
  const groupId = config.REPORTING_CONSUMER_GROUP;
  const consumer = createReportingConsumer({
    kafka,
    models,
    groupId,
    ...(options.accept ? { accept: options.accept } : {}),
  });

  const lifecycles: Lifecycle[] = [
    { name: 'kafka-topics', start: async () => void (await ensureTopics(kafka, READ_TOPICS)), stop: async () => {} },
    { name: 'read-models', start: () => consumer.start(), stop: () => consumer.stop(), ready: () => consumer.ready() },
  ];
  const service = createService({
    name: 'reporting',
    config: config as ServiceConfig,
    routes: reportingRoutes({ queries, now }),
    mongoose: db,
    lifecycles,
  });
  return { service, db, models, queries, consumer, kafka, groupId };
}
export type ReportingService = ReturnType<typeof createReportingService>;
