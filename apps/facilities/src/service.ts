/**
 * The facilities service, assembled: database, models, application services, routes, the outbox
 * relay and the projection consumer of the register's children (and of volunteers). Used by
 * main.ts and by the tests (their own database, group and clock).
 */
import { createKafkaClient, createRelay, ensureTopics } from '@tongxin/bus';
import { donationsTopics } from '@tongxin/contracts/donations';
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

import { createProjectionConsumer } from './messaging/projections.js';
import { evaluationRoutes } from './http/evaluation-routes.js';
import { facilityRoutes, type FacilitiesContext } from './http/routes.js';
import { facilityModels } from './persistence/models.js';
import { createActivities } from './service/activities.js';
import { createEvaluations } from './service/evaluations.js';
import { createHomes } from './service/homes.js';

export const facilitiesConfigSchema = baseConfigSchema.extend({
  /** AES-256-GCM key for counselling records (32 bytes, base64). */
  FACILITIES_NOTES_KEY: z.string().min(40, 'a base64 key of at least 32 bytes'),
  /** How far ahead of the server clock an activity may start (a phone's clock may run fast). */
  ACTIVITY_FUTURE_TOLERANCE_MINUTES: z.coerce.number().int().min(0).max(1440).default(60),
  /** Consumer group of the projections. */
  FACILITIES_CONSUMER_GROUP: z.string().min(1).default('facilities.projections'),
});
export type FacilitiesConfig = z.output<typeof facilitiesConfigSchema>;

export interface FacilitiesOptions {
  config: FacilitiesConfig;
  dbName?: string;
  now?: () => Date;
  kafka?: Kafka;
  relay?: { leaseMs?: number; pollMs?: number };
}

export function createFacilitiesService(options: FacilitiesOptions) {
  const { config } = options;
  const now = options.now ?? (() => new Date());
  const db = createDatabase({
    uri: config.MONGODB_URI,
    dbName: options.dbName ?? config.MONGODB_DATABASE ?? serviceDatabaseName('facilities'),
    serverSelectionTimeoutMS: config.MONGODB_SERVER_SELECTION_TIMEOUT_MS,
  });
  const models = facilityModels(db.connection);
  // The index key is unused here (nothing is looked up by a sealed value); a derived one satisfies the sealer.
  const notesKey = parseKey('FACILITIES_NOTES_KEY', config.FACILITIES_NOTES_KEY);
  const sealer = createSealer({ encryptionKey: notesKey, indexKey: Buffer.concat([notesKey, Buffer.from('index')]) });
  const homes = createHomes({ models, sealer, now });
  const activities = createActivities({
    models,
    homes,
    now,
    futureToleranceMs: config.ACTIVITY_FUTURE_TOLERANCE_MINUTES * 60_000,
  });
  const evaluations = createEvaluations({ models, homes, now });
  const ctx: FacilitiesContext = { models, homes, activities, evaluations, sealer, now };

  const kafka = options.kafka ?? createKafkaClient({ clientId: 'facilities', brokers: config.KAFKA_BROKERS });
  const relay = createRelay({
    kafka,
    models: [models.Facilities, models.Enrolments, models.Activities] as never,
    name: 'facilities',
    ...(options.relay ?? {}),
  });
  const consumer = createProjectionConsumer({
    kafka,
    models,
    groupId: config.FACILITIES_CONSUMER_GROUP,
    mirrorVolunteerEvent: activities.mirrorVolunteerEvent,
  });

  const lifecycles: Lifecycle[] = [
    {
      name: 'kafka-topics',
      // Its own topics, and the ones it reads (which their producers may not have created yet).
      start: async () =>
        void (await ensureTopics(kafka, [
          ...facilitiesTopics,
          ...registryTopics,
          ...volunteersTopics,
          ...donationsTopics,
        ])),
      stop: async () => {},
    },
    { name: 'outbox-relay', start: () => relay.start(), stop: () => relay.stop(), ready: () => relay.ready() },
    { name: 'projections', start: () => consumer.start(), stop: () => consumer.stop(), ready: () => consumer.ready() },
  ];

  const service = createService({
    name: 'facilities',
    config: config as ServiceConfig,
    routes: [...facilityRoutes(ctx), ...evaluationRoutes(ctx)],
    mongoose: db,
    lifecycles,
  });
  return { service, db, models, homes, activities, evaluations, relay, consumer, kafka, ctx };
}
export type FacilitiesService = ReturnType<typeof createFacilitiesService>;
