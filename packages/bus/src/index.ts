export {
  AggregateExistsError,
  AggregateNotFoundError,
  BusError,
  ConcurrencyError,
  isInfrastructureUnavailable,
  isRetriable,
} from './errors.js';
export { createKafkaClient, silentLogger, type BusLogger, type KafkaClientOptions } from './kafka/client.js';
export {
  ConsumerRunner,
  createConsumer,
  listDeadLetters,
  type ConsumerOptions,
  type ConsumerStats,
  type DeadLetter,
  type EventHandler,
  type HandlerContext,
  type Subscription,
} from './kafka/consumer.js';
export { KafkaPublisher, type TopicRecord } from './kafka/publisher.js';
export { createRelay, entryToEnvelope, OutboxRelay, type RelayOptions, type RelayStats } from './kafka/relay.js';
export { ensureTopics, type TopicSpec } from './kafka/topics.js';
export { commit, commitNew, type CommitContext } from './outbox/commit.js';
export { dialectOf, type Dialect } from './outbox/dialect.js';
export { withDocumentLock } from './outbox/document-lock.js';
export { retryOnConflict, type RetryOptions } from './outbox/retry.js';
export { outboxPlugin, type OutboxEntry, type OutboxFields } from './outbox/plugin.js';
export { applyOnce, applyProjection, forgetProjectionSequences, type SequencedEvent } from './projection.js';
