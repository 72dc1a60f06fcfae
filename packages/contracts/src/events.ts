/**
 * How a producer declares an event it publishes. The producer owns the definition
 * (`src/<producer>/`); consumers import it and read tolerantly: unknown fields are stripped by the
 * zod object schemas (never `.strict()` in an event), unknown event types are counted and skipped.
 */
import type { z } from 'zod';

import type { EventEnvelope } from './envelope.js';

export interface EventDefinition<TType extends string = string, TSchema extends z.ZodType = z.ZodType> {
  /** `<producer>.<aggregate>.<past_tense_fact>`, e.g. `registry.child.registered`. */
  type: TType;
  /** Integer schema version. Adding an optional field keeps it; anything else is a new version. */
  version: number;
  /** The topic it is published on (the aggregate's topic). */
  topic: string;
  /** The data schema. Never holds a resident ID number, health detail or counselling note. */
  data: TSchema;
  description: string;
}

export function defineEvent<TType extends string, TSchema extends z.ZodType>(
  definition: EventDefinition<TType, TSchema>,
): EventDefinition<TType, TSchema> {
  return definition;
}

/** The key under which consumers look a definition up: `type@version`. */
export const eventKey = (type: string, version: number): string => `${type}@${version}`;

/** A typed event as a handler receives it. */
export type EventOf<D extends EventDefinition> = EventEnvelope<z.output<D['data']>> & { type: D['type'] };

/** A draft a domain function returns: the event's type and data; the bus adds the envelope. */
export interface DraftEvent<D extends EventDefinition = EventDefinition> {
  definition: D;
  data: z.input<D['data']>;
}

export const draft = <D extends EventDefinition>(definition: D, data: z.input<D['data']>): DraftEvent<D> => ({
  definition,
  data,
});
