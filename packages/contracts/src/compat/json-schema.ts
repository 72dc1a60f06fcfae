/**
 * JSON Schema of an event's data, as the compatibility snapshots and the generated documents hold
 * it.
 *
 * `io: 'input'`: the schema describes what `schema.parse()` ACCEPTS — and acceptance is the contract
 * between a producer and its consumers (a consumer parses every event with the producer's schema;
 * a golden fixture must parse). The output view would describe what parse returns instead: it marks
 * fields with defaults as required and adds `additionalProperties: false`, which misstates our
 * tolerant readers (zod objects strip unknown keys, they do not reject them).
 */
import { z } from 'zod';

import { eventKey, type EventDefinition } from '../events.js';

export type JsonSchema = { [keyword: string]: unknown };

/** Metadata kept beside the schema in a snapshot (ignored by JSON Schema validators). */
export interface SnapshotMeta {
  type: string;
  version: number;
  topic: string;
  /** Bumped by `contracts:generate` each time the snapshot takes an additive change. */
  minor: number;
}

export const META_KEYWORD = 'x-tongxin';

export function dataJsonSchema(
  definition: EventDefinition,
  target: 'draft-2020-12' | 'draft-7' = 'draft-2020-12',
): JsonSchema {
  // `unrepresentable: 'throw'` (the default) keeps event schemas honest: a type JSON Schema cannot
  // express (Date, bigint, a transform's output) fails here instead of being silently widened.
  return z.toJSONSchema(definition.data, { io: 'input', target, unrepresentable: 'throw' }) as JsonSchema;
}

/** The committed snapshot of one published event version. */
export function eventSnapshot(definition: EventDefinition, minor = 0): JsonSchema {
  const { $schema, ...schema } = dataJsonSchema(definition);
  const meta: SnapshotMeta = { type: definition.type, version: definition.version, topic: definition.topic, minor };
  return {
    $schema,
    $id: `urn:tongxin:event:${eventKey(definition.type, definition.version)}`,
    title: eventKey(definition.type, definition.version),
    description: definition.description,
    [META_KEYWORD]: meta,
    ...schema,
  };
}

export function snapshotMeta(snapshot: JsonSchema): SnapshotMeta | undefined {
  const meta = snapshot[META_KEYWORD];
  if (typeof meta !== 'object' || meta === null) return undefined;
  const { type, version, topic, minor } = meta as Partial<SnapshotMeta>;
  if (typeof type !== 'string' || typeof version !== 'number' || typeof topic !== 'string') return undefined;
  return { type, version, topic, minor: typeof minor === 'number' ? minor : 0 };
}
