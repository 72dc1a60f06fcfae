/**
 * Golden fixtures: `fixtures/<type>@<version>/<name>.json`, each `{ headers, key, body }` exactly as
 * `toKafkaRecord` produced it (body = the parsed JSON of the record's value). They are written once
 * and never regenerated: a fixture that stops parsing means a consumer would reject an event that
 * is already on a topic.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { fromKafkaRecord, type EventEnvelope, type KafkaRecord } from '../envelope.js';
import { eventKey, type EventDefinition } from '../events.js';

import type { Change } from './compare.js';
import type { JsonSchema } from './json-schema.js';

/** The committed golden fixtures (packages/contracts/fixtures), for consumers' contract tests. */
export const GOLDEN_FIXTURES_DIR = fileURLToPath(new URL('../../fixtures', import.meta.url));

export interface FixtureFile {
  /** The folder name: `type@version`. */
  key: string;
  name: string;
  path: string;
  record: { headers: Record<string, string>; key: string; body: unknown };
}

/** The JSON form of a Kafka record as a fixture stores it. */
export function fixtureOf(record: KafkaRecord): FixtureFile['record'] {
  return { headers: record.headers, key: record.key, body: JSON.parse(record.value.toString()) as unknown };
}

export function readFixtures(dir: string): FixtureFile[] {
  if (!existsSync(dir)) return [];
  const fixtures: FixtureFile[] = [];
  for (const key of readdirSync(dir).sort()) {
    const folder = join(dir, key);
    if (!statSync(folder).isDirectory()) continue;
    for (const name of readdirSync(folder).sort()) {
      if (!name.endsWith('.json')) continue;
      const path = join(folder, name);
      fixtures.push({ key, name, path, record: JSON.parse(readFileSync(path, 'utf8')) as FixtureFile['record'] });
    }
  }
  return fixtures;
}

/** Decodes a fixture the way a consumer decodes a Kafka message. Throws EnvelopeError. */
export function decodeFixture(fixture: FixtureFile): EventEnvelope {
  const { headers, key, body } = fixture.record;
  return fromKafkaRecord({ key, value: Buffer.from(JSON.stringify(body)), headers });
}

/**
 * Checks every fixture against the current definitions, and that every current definition has
 * one. Returns the problems: a fixture that no longer parses is breaking; a missing fixture, a
 * fixture filed under the wrong folder or a malformed one is invalid.
 */
export function checkFixtures(fixtures: readonly FixtureFile[], events: readonly EventDefinition[]): Change[] {
  const changes: Change[] = [];
  const byKey = new Map(events.map((event) => [eventKey(event.type, event.version), event]));
  const covered = new Set<string>();
  for (const fixture of fixtures) {
    const where = `fixture ${fixture.key}/${fixture.name}`;
    let envelope: EventEnvelope;
    try {
      envelope = decodeFixture(fixture);
    } catch (error) {
      changes.push({
        severity: 'invalid',
        event: fixture.key,
        path: '(envelope)',
        message: `${where} does not decode: ${(error as Error).message}`,
      });
      continue;
    }
    const actualKey = eventKey(envelope.type, envelope.version);
    if (actualKey !== fixture.key) {
      changes.push({
        severity: 'invalid',
        event: fixture.key,
        path: '(envelope)',
        message: `${where} holds a ${actualKey} event`,
      });
      continue;
    }
    if (fixture.record.key !== envelope.subject) {
      changes.push({
        severity: 'invalid',
        event: fixture.key,
        path: '(envelope)',
        message: `${where}: key "${fixture.record.key}" is not the subject "${envelope.subject}"`,
      });
    }
    const definition = byKey.get(fixture.key);
    if (definition === undefined) {
      changes.push({
        severity: 'breaking',
        event: fixture.key,
        path: '(event)',
        message: `${where}: no definition of ${fixture.key} any more`,
      });
      continue;
    }
    covered.add(fixture.key);
    const parsed = definition.data.safeParse(envelope.data);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        changes.push({
          severity: 'breaking',
          event: fixture.key,
          path: issue.path.map(String).join('.') || '(data)',
          message: `${where} no longer parses: ${issue.message}`,
        });
      }
    }
    for (const field of forbiddenFieldsInValue(envelope.data)) {
      changes.push({
        severity: 'invalid',
        event: fixture.key,
        path: field,
        message: `${where} carries a forbidden personal-data field`,
      });
    }
  }
  for (const key of byKey.keys()) {
    if (!covered.has(key)) {
      changes.push({
        severity: 'invalid',
        event: key,
        path: '(event)',
        message: `no golden fixture: add fixtures/${key}/<name>.json`,
      });
    }
  }
  return changes;
}

/**
 * Field names that must never appear in an event: resident ID numbers, phone numbers, health
 * detail, counselling content (ARCHITECTURE §3 and §5).
 */
export const FORBIDDEN_FIELD =
  /resident.?id|id.?(number|no|card)|identity|phone|mobile|diagnos|health|medical|illness|counsel+ing.?(note|content|record|detail)|^notes?$|^address$|password/i;

/** Paths of forbidden property names declared in a JSON Schema. */
export function forbiddenFieldsInSchema(schema: unknown, path = ''): string[] {
  if (typeof schema !== 'object' || schema === null) return [];
  if (Array.isArray(schema)) return schema.flatMap((item) => forbiddenFieldsInSchema(item, path));
  const found: string[] = [];
  for (const [keyword, value] of Object.entries(schema as JsonSchema)) {
    if (keyword === 'properties' && typeof value === 'object' && value !== null) {
      for (const [name, child] of Object.entries(value as JsonSchema)) {
        const at = path === '' ? name : `${path}.${name}`;
        if (FORBIDDEN_FIELD.test(name)) found.push(at);
        found.push(...forbiddenFieldsInSchema(child, at));
      }
    } else if (typeof value === 'object') {
      found.push(...forbiddenFieldsInSchema(value, keyword === 'items' ? `${path}[]` : path));
    }
  }
  return found;
}

/** Paths of forbidden property names present in a JSON value. */
export function forbiddenFieldsInValue(value: unknown, path = ''): string[] {
  if (typeof value !== 'object' || value === null) return [];
  if (Array.isArray(value)) return value.flatMap((item) => forbiddenFieldsInValue(item, `${path}[]`));
  return Object.entries(value).flatMap(([name, child]) => {
    const at = path === '' ? name : `${path}.${name}`;
    return [...(FORBIDDEN_FIELD.test(name) ? [at] : []), ...forbiddenFieldsInValue(child, at)];
  });
}
