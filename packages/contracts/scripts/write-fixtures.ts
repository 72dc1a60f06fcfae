/**
 * Writes the golden fixtures of `fixture-sources.ts` that do not exist yet, each exactly as
 * `toKafkaRecord` produces it. Never overwrites: a committed fixture is what was published.
 *   npx tsx packages/contracts/scripts/write-fixtures.ts
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { fixtureOf } from '../src/compat/fixtures.js';
import { toKafkaRecord } from '../src/envelope.js';
import { eventKey } from '../src/events.js';

import { envelopeDefaults, FIXTURE_SOURCES } from './fixture-sources.js';
import { FIXTURES_DIR, writeJson } from './paths.js';

let written = 0;
for (const source of FIXTURE_SOURCES) {
  const id = envelopeDefaults.eventId();
  const { definition } = source;
  const parsed = definition.data.safeParse(source.data);
  if (!parsed.success) {
    console.error(`fixture ${source.name} of ${definition.type}: ${parsed.error.message}`);
    process.exitCode = 1;
    continue;
  }
  const path = join(FIXTURES_DIR, eventKey(definition.type, definition.version), `${source.name}.json`);
  if (existsSync(path)) continue;
  const record = toKafkaRecord({
    id,
    type: definition.type,
    version: definition.version,
    source: source.source,
    subject: source.subject,
    sequence: source.sequence,
    time: source.time,
    correlationId: envelopeDefaults.correlationId,
    traceparent: envelopeDefaults.traceparent,
    data: source.data,
  });
  await writeJson(path, fixtureOf(record));
  written += 1;
  console.log(`wrote ${path}`);
}
console.log(`${written} new fixture(s); existing ones left as they are.`);
