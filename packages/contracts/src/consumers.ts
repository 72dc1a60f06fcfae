/**
 * What a consumer service reads: each topic it subscribes to and the producer's event definitions
 * (type@version) its runner decodes and validates there. Every consumer declares it once, in
 * `apps/<service>/consumes.ts`, and builds its Kafka subscriptions FROM that declaration, so what
 * the declaration says is what the consumer does. `npm run contracts:check` loads every
 * declaration and names the consumers that a producer's breaking change would break.
 */
import { eventKey, type EventDefinition } from './events.js';

export interface ConsumedTopic {
  topic: string;
  /** Every definition the consumer's runner validates on that topic (all of them, handled or not). */
  events: readonly EventDefinition[];
}

export interface ConsumerDeclaration<S extends readonly ConsumedTopic[] = readonly ConsumedTopic[]> {
  /** The consuming service, e.g. `reporting`. */
  service: string;
  subscriptions: S;
}

export function declareConsumer<const S extends readonly ConsumedTopic[]>(
  service: string,
  subscriptions: S,
): ConsumerDeclaration<S> {
  return { service, subscriptions };
}

/** `type@version` keys a declaration consumes, sorted. */
export function consumedKeys(declaration: ConsumerDeclaration): string[] {
  return [
    ...new Set(declaration.subscriptions.flatMap((s) => s.events.map((event) => eventKey(event.type, event.version)))),
  ].sort();
}

/** The topic each consumed key is read from, as the consumer declared it. */
export function consumedTopics(declaration: ConsumerDeclaration): Map<string, string> {
  return new Map(
    declaration.subscriptions.flatMap((s) => s.events.map((event) => [eventKey(event.type, event.version), s.topic])),
  );
}
