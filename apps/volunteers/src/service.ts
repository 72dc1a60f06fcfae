/**
 * The volunteers service, assembled: database, models, application services, routes, the outbox
 * relay and the projection consumer of the register's children and the children's homes. Used by
 * main.ts and by the tests (their own database, group and clock).
 */
import { createKafkaClient, createRelay, ensureTopics } from '@tongxin/bus';
import { facilitiesTopics } from '@tongxin/contracts/facilities';
import { registryTopics } from '@tongxin/contracts/registry';
import { volunteersTopics } from '@tongxin/contracts/volunteers';
import {
  baseConfigSchema,
  createDatabase,
  createSealer,
  createService,
  parseKey,
  serviceDatabaseName,
  type Lifecycle,
  type ServiceConfig,
} from '@tongxin/service-kit';
import type { Kafka } from 'kafkajs';
import { z } from 'zod';

import { volunteerRoutes, type VolunteersContext } from './http/routes.js';
import { createProjectionConsumer } from './messaging/projections.js';
import { volunteerModels } from './persistence/models.js';
import { createEvents } from './service/events.js';
import { createOrganisations } from './service/organisations.js';
import { createVolunteers } from './service/volunteers.js';

export const volunteersConfigSchema = baseConfigSchema.extend({
  /** AES-256-GCM key (32 bytes, base64) sealing volunteers' phone numbers and clearance certificate numbers. */
  VOLUNTEERS_SEAL_KEY: z.string().min(40, 'a base64 key of at least 32 bytes'),
  /** The renewals list: clearances expiring within this many days. */
  CLEARANCE_RENEWAL_DAYS: z.coerce.number().int().min(1).max(3650).default(60),
  /** Consumer group of the children and homes projections. */
  VOLUNTEERS_CONSUMER_GROUP: z.string().min(1).default('volunteers.projections'),
});
export type VolunteersConfig = z.output<typeof volunteersConfigSchema>;

export interface VolunteersOptions {
  config: VolunteersConfig;
  dbName?: string;
  now?: () => Date;
  kafka?: Kafka;
  relay?: { leaseMs?: number; pollMs?: number };
}

export function createVolunteersService(options: VolunteersOptions) {
  const { config } = options;
  const now = options.now ?? (() => new Date());
  const db = createDatabase({
    uri: config.MONGODB_URI,
    dbName: options.dbName ?? config.MONGODB_DATABASE ?? serviceDatabaseName('volunteers'),
    serverSelectionTimeoutMS: config.MONGODB_SERVER_SELECTION_TIMEOUT_MS,
  });
  const models = volunteerModels(db.connection);
  // The index key is unused here (nothing is looked up by a sealed value); a derived one satisfies the sealer.
  const sealKey = parseKey('VOLUNTEERS_SEAL_KEY', config.VOLUNTEERS_SEAL_KEY);
  const sealer = createSealer({ encryptionKey: sealKey, indexKey: Buffer.concat([sealKey, Buffer.from('index')]) });
  const organisations = createOrganisations({ models, now });
  const volunteers = createVolunteers({ models, organisations, sealer, now });
  const events = createEvents({ models, organisations, volunteers, now });
  const ctx: VolunteersContext = {
    models,
    organisations,
    volunteers,
    events,
    renewalDays: config.CLEARANCE_RENEWAL_DAYS,
    now,
  };

  const kafka = options.kafka ?? createKafkaClient({ clientId: 'volunteers', brokers: config.KAFKA_BROKERS });
  const relay = createRelay({
    kafka,
    models: [models.Volunteers, models.Events] as never,
    name: 'volunteers',
    ...(options.relay ?? {}),
  });
  const consumer = createProjectionConsumer({ kafka, models, groupId: config.VOLUNTEERS_CONSUMER_GROUP });

  const lifecycles: Lifecycle[] = [
    {
      name: 'kafka-topics',
      // Its own topics, and those it reads (which their producers may not have created yet).
      start: async () =>
        void (await ensureTopics(kafka, [...volunteersTopics, ...registryTopics, ...facilitiesTopics])),
      stop: async () => {},
    },
    { name: 'outbox-relay', start: () => relay.start(), stop: () => relay.stop(), ready: () => relay.ready() },
    { name: 'projections', start: () => consumer.start(), stop: () => consumer.stop(), ready: () => consumer.ready() },
  ];

  const service = createService({
    name: 'volunteers',
    config: config as ServiceConfig,
    routes: volunteerRoutes(ctx),
    mongoose: db,
    lifecycles,
  });
  return { service, db, models, organisations, volunteers, events, relay, consumer, kafka, ctx, sealer };
}
export type VolunteersService = ReturnType<typeof createVolunteersService>;
