/**
 * The donations service, assembled: database, models, application services, routes, the outbox
 * relay and the projection consumer of the children's homes and the register's children. Used by main.ts and by the tests
 * (their own database, group and clock).
 */
import { createKafkaClient, createRelay, ensureTopics } from '@tongxin/bus';
import { donationsTopics } from '@tongxin/contracts/donations';
import { FACILITY_TOPIC, facilitiesTopics } from '@tongxin/contracts/facilities';
import { CHILD_TOPIC, registryTopics } from '@tongxin/contracts/registry';
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

import { donationRoutes, type DonationsContext } from './http/routes.js';
import { createProjectionConsumer } from './messaging/projections.js';
import { donationModels } from './persistence/models.js';
import { createDonations } from './service/donations.js';
import { checkReceiptFormat, createReceipts, DEFAULT_RECEIPT_FORMAT } from './service/receipts.js';
import { createRegisters } from './service/registers.js';
import { createReports } from './service/reports.js';

export const donationsConfigSchema = baseConfigSchema.extend({
  /** Receipt numbers: `{YYYY}` (year, Beijing time) and `{seq}` or `{seq:N}` (zero-padded to N digits). */
  DONATIONS_RECEIPT_FORMAT: z
    .string()
    .default(DEFAULT_RECEIPT_FORMAT)
    .superRefine((format, ctx) => {
      const problem = checkReceiptFormat(format);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
  /** Consumer group of the homes projection; the children's is this + `.children`. */
  DONATIONS_CONSUMER_GROUP: z.string().min(1).default('donations.projections'),
});
export type DonationsConfig = z.output<typeof donationsConfigSchema>;

export interface DonationsOptions {
  config: DonationsConfig;
  dbName?: string;
  now?: () => Date;
  kafka?: Kafka;
  relay?: { leaseMs?: number; pollMs?: number };
}

export function createDonationsService(options: DonationsOptions) {
  const { config } = options;
  const now = options.now ?? (() => new Date());
  const db = createDatabase({
    uri: config.MONGODB_URI,
    dbName: options.dbName ?? config.MONGODB_DATABASE ?? serviceDatabaseName('donations'),
    serverSelectionTimeoutMS: config.MONGODB_SERVER_SELECTION_TIMEOUT_MS,
  });
  const models = donationModels(db.connection);
  const registers = createRegisters({ models, now });
  const receipts = createReceipts({ models, now, format: config.DONATIONS_RECEIPT_FORMAT });
  const donations = createDonations({ models, registers, receipts, now });
  const reports = createReports({ models });
  const ctx: DonationsContext = { models, donations, registers, reports, now };

  const kafka = options.kafka ?? createKafkaClient({ clientId: 'donations', brokers: config.KAFKA_BROKERS });
  const relay = createRelay({
    kafka,
    models: [models.Donations] as never,
    name: 'donations',
    ...(options.relay ?? {}),
  });
  const consumer = createProjectionConsumer({
    kafka,
    models,
    groupId: config.DONATIONS_CONSUMER_GROUP,
    topic: FACILITY_TOPIC,
  });
  const childConsumer = createProjectionConsumer({
    kafka,
    models,
    groupId: `${config.DONATIONS_CONSUMER_GROUP}.children`,
    topic: CHILD_TOPIC,
  });

  const lifecycles: Lifecycle[] = [
    {
      name: 'kafka-topics',
      // Its own topic, and the ones it reads (which their producers may not have created yet).
      start: async () =>
        void (await ensureTopics(kafka, [
          ...donationsTopics,
          ...facilitiesTopics,
          ...registryTopics.filter((t) => t.name === CHILD_TOPIC),
        ])),
      stop: async () => {},
    },
    { name: 'outbox-relay', start: () => relay.start(), stop: () => relay.stop(), ready: () => relay.ready() },
    { name: 'projections', start: () => consumer.start(), stop: () => consumer.stop(), ready: () => consumer.ready() },
    {
      name: 'child-projection',
      start: () => childConsumer.start(),
      stop: () => childConsumer.stop(),
      ready: () => childConsumer.ready(),
    },
  ];

  const service = createService({
    name: 'donations',
    config: config as ServiceConfig,
    routes: donationRoutes(ctx),
    mongoose: db,
    lifecycles,
  });
  return { service, db, models, donations, registers, receipts, reports, relay, consumer, childConsumer, kafka, ctx };
}
export type DonationsService = ReturnType<typeof createDonationsService>;
