/**
 * The registry service, assembled: database, models, application services, routes, the outbox
 * relay and the daily age review. `createRegistryService` is used by main.ts and by the tests
 * (which pass their own database name and clock).
 */
import { createKafkaClient, createRelay, ensureTopics, type OutboxRelay } from '@tongxin/bus';
import { registryTopics, ZCaseType } from '@tongxin/contracts/registry';
import {
  baseConfigSchema,
  createDatabase,
  createService,
  serviceDatabaseName,
  type Lifecycle,
  type Logger,
  type ServiceConfig,
} from '@tongxin/service-kit';
import type { Kafka } from 'kafkajs';
import { z } from 'zod';

import { createSealer, parseKey } from '@tongxin/service-kit';
import { caseRoutes } from './http/cases-routes.js';
import { childRoutes } from './http/children-routes.js';
import type { RegistryContext } from './http/context.js';
import { childIndex as createChildIndex } from './persistence/child-index.js';
import { registryModels } from './persistence/models.js';
import { createCases } from './service/cases.js';
import { createChildren } from './service/children.js';
import { createReconciliations, reconciliationModel } from './service/reconciliations.js';
import { createSubmissions, submissionModels } from './service/submissions.js';
import { submissionRoutes, type SubmissionContext } from './http/submission-routes.js';

const ZKey = z.string().min(40, 'a base64 key of at least 32 bytes');

/** `guardian_assignment=7,return_to_school=30`: days per case type. */
const ZCaseLimits = z
  .string()
  .default('')
  .transform((text, ctx) => {
    const limits: Partial<Record<z.infer<typeof ZCaseType>, number>> = {};
    for (const part of text
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean)) {
      const [type, days] = part.split('=');
      const parsedType = ZCaseType.safeParse(type);
      const parsedDays = Number(days);
      if (!parsedType.success || !Number.isInteger(parsedDays) || parsedDays < 1) {
        ctx.addIssue({ code: 'custom', message: `"${part}" is not <case type>=<days>` });
        return z.NEVER;
      }
      limits[parsedType.data] = parsedDays;
    }
    return limits;
  });

export const registryConfigSchema = baseConfigSchema.extend({
  /** AES-256-GCM key for resident ID numbers and phones (32 bytes, base64). */
  REGISTRY_ID_KEY: ZKey,
  /** HMAC key of the ID blind index (≥ 32 bytes, base64), different from REGISTRY_ID_KEY. */
  REGISTRY_INDEX_KEY: ZKey,
  CASE_TIME_LIMITS: ZCaseLimits,
  REPORT_ACK_HOURS: z.coerce.number().int().min(1).max(720).default(24),
  /** Largest department list accepted for upload. */
  UPLOAD_LIMIT: z
    .string()
    .regex(/^\d+(kb|mb)$/i)
    .default('20mb'),
  /** Hour (local server time) of the daily age review. */
  AGE_REVIEW_HOUR: z.coerce.number().int().min(0).max(23).default(1),
});
export type RegistryConfig = z.output<typeof registryConfigSchema>;

export interface RegistryOptions {
  config: RegistryConfig;
  /** Database name; default `tongxin_registry`. */
  dbName?: string;
  now?: () => Date;
  logger?: Logger;
  kafka?: Kafka;
  /** Relay settings (tests shorten the lease). */
  relay?: { leaseMs?: number; pollMs?: number };
}

export function createRegistryService(options: RegistryOptions) {
  const { config } = options;
  const now = options.now ?? (() => new Date());
  const db = createDatabase({
    uri: config.MONGODB_URI,
    dbName: options.dbName ?? config.MONGODB_DATABASE ?? serviceDatabaseName('registry'),
    serverSelectionTimeoutMS: config.MONGODB_SERVER_SELECTION_TIMEOUT_MS,
  });
  const models = registryModels(db.connection);
  const sealer = createSealer({
    encryptionKey: parseKey('REGISTRY_ID_KEY', config.REGISTRY_ID_KEY),
    indexKey: parseKey('REGISTRY_INDEX_KEY', config.REGISTRY_INDEX_KEY),
  });
  const childIndex = createChildIndex(db.connection, models, (error, what) =>
    service.logger.error({ err: error.message }, `${what} failed`),
  );
  const children = createChildren({ models, sealer, now, index: childIndex });
  const cases = createCases({
    models,
    sealer,
    children,
    now,
    caseDays: config.CASE_TIME_LIMITS,
    reportAckHours: config.REPORT_ACK_HOURS,
  });
  const ctx: RegistryContext = { models, sealer, children, childIndex, cases, now };
  const listModels = submissionModels(db.connection);
  const Reconciliations = reconciliationModel(db.connection);
  const submissions = createSubmissions({
    models: listModels,
    sealer,
    now,
    onError: (error, id) => service.logger.error({ err: error.message, submission: id }, 'list upload failed'),
  });
  const reconciliations = createReconciliations({
    models,
    submissionModels: listModels,
    Reconciliations,
    submissions,
    children,
    sealer,
    now,
  });
  const submissionContext: SubmissionContext = {
    ...ctx,
    submissionModels: listModels,
    submissions,
    reconciliations,
    reconciliationModel: Reconciliations,
    uploadLimit: config.UPLOAD_LIMIT,
  };

  const kafka = options.kafka ?? createKafkaClient({ clientId: 'registry', brokers: config.KAFKA_BROKERS });
  const relay: OutboxRelay = createRelay({
    kafka,
    models: [models.Children, models.Cases, models.Reports] as never,
    name: 'registry',
    ...(options.relay ?? {}),
  });

  const topics: Lifecycle = {
    name: 'kafka-topics',
    start: async () => {
      await ensureTopics(kafka, registryTopics);
    },
    stop: async () => {},
  };
  const relayLifecycle: Lifecycle = {
    name: 'outbox-relay',
    start: () => relay.start(),
    stop: () => relay.stop(),
    ready: () => relay.ready(),
  };
  // The lists' index is reconciled with the children in the background; lists scan until it is.
  const indexLifecycle: Lifecycle = {
    name: 'child-index',
    start: async () => childIndex.start(),
    stop: () => childIndex.stop(),
  };
  // Effects of resolved cases interrupted by a crash are finished at start; ages are reviewed daily.
  let timer: NodeJS.Timeout | undefined;
  let lastReview = '';
  const maintenance: Lifecycle = {
    name: 'maintenance',
    start: async () => {
      await cases.settlePendingEffects();
      timer = setInterval(() => {
        const at = now();
        const today = at.toISOString().slice(0, 10);
        if (at.getHours() >= config.AGE_REVIEW_HOUR && lastReview !== today) {
          lastReview = today;
          children
            .reviewAges(today)
            .catch((error: Error) => service.logger.error({ err: error.message }, 'age review failed'));
        }
      }, 60_000);
      timer.unref();
    },
    stop: async () => {
      if (timer) clearInterval(timer);
      await submissions.idle();
    },
  };

  const service = createService({
    name: 'registry',
    config: config as ServiceConfig,
    routes: [...childRoutes(ctx), ...caseRoutes(ctx), ...submissionRoutes(submissionContext)],
    mongoose: db,
    lifecycles: [topics, relayLifecycle, indexLifecycle, maintenance],
    ...(options.logger ? { logger: options.logger } : {}),
  });

  return {
    service,
    db,
    models,
    sealer,
    children,
    childIndex,
    cases,
    submissions,
    reconciliations,
    listModels,
    relay,
    kafka,
    ctx,
  };
}
export type RegistryService = ReturnType<typeof createRegistryService>;
