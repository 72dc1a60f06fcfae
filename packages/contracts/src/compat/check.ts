/**
 * The contract check behind `npm run contracts:check`: current definitions against the committed
 * snapshots, plus every golden fixture against the current definitions.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { eventKey, type EventDefinition } from '../events.js';

import { compareCatalogues, type Change, type PublishedEvent } from './compare.js';
import { checkFixtures, forbiddenFieldsInSchema, readFixtures } from './fixtures.js';
import { dataJsonSchema, snapshotMeta, type JsonSchema } from './json-schema.js';

export interface CheckOptions {
  events: readonly EventDefinition[];
  schemasDir: string;
  fixturesDir: string;
}

export interface CheckReport {
  breaking: Change[];
  invalid: Change[];
  additive: Change[];
  /** True when nothing breaks and nothing is invalid. */
  ok: boolean;
}

export function readSnapshots(dir: string): PublishedEvent[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => {
      const schema = JSON.parse(readFileSync(join(dir, name), 'utf8')) as JsonSchema;
      const meta = snapshotMeta(schema);
      if (meta === undefined)
        throw new Error(`${join(dir, name)} is not a Tongxin event snapshot (no x-tongxin metadata)`);
      return { key: eventKey(meta.type, meta.version), topic: meta.topic, schema };
    });
}

export function currentSchemas(events: readonly EventDefinition[]): PublishedEvent[] {
  return events.map((event) => ({
    key: eventKey(event.type, event.version),
    topic: event.topic,
    schema: dataJsonSchema(event),
  }));
}

export function checkContracts(options: CheckOptions): CheckReport {
  const current = currentSchemas(options.events);
  const changes = [
    ...compareCatalogues(readSnapshots(options.schemasDir), current),
    ...checkFixtures(readFixtures(options.fixturesDir), options.events),
    ...current.flatMap((event) =>
      forbiddenFieldsInSchema(event.schema).map((path): Change => ({
        severity: 'invalid',
        event: event.key,
        path,
        message: 'schema declares a forbidden personal-data field',
      })),
    ),
  ];
  const of = (severity: Change['severity']): Change[] => changes.filter((change) => change.severity === severity);
  const report = { breaking: of('breaking'), invalid: of('invalid'), additive: of('additive') };
  return { ...report, ok: report.breaking.length === 0 && report.invalid.length === 0 };
}

export function formatChange(change: Change): string {
  return `${change.event}  ${change.path}: ${change.message}`;
}

/** The report as a person reads it in CI. */
export function formatReport(report: CheckReport): string {
  const lines: string[] = [];
  if (report.breaking.length > 0) {
    lines.push(`BREAKING (${report.breaking.length}) — a consumer of an already-published event would break:`);
    lines.push(...report.breaking.map((change) => `  ✗ ${formatChange(change)}`));
    lines.push(
      '  Keep the published version as it is; publish the change as a new version (type@version+1) or a new topic major.',
    );
  }
  if (report.invalid.length > 0) {
    lines.push(`INVALID (${report.invalid.length}):`);
    lines.push(...report.invalid.map((change) => `  ✗ ${formatChange(change)}`));
  }
  if (report.additive.length > 0) {
    lines.push(`ADDITIVE (${report.additive.length}) — compatible:`);
    lines.push(...report.additive.map((change) => `  + ${formatChange(change)}`));
    if (report.ok) lines.push('  Update the snapshots with `npm run contracts:generate` and commit them.');
  }
  if (lines.length === 0)
    lines.push('contracts: every published event version is unchanged and every golden fixture parses.');
  return lines.join('\n');
}
