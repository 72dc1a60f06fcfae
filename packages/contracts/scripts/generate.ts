/**
 * `npm run contracts:generate`: writes the JSON-Schema snapshots of every published event version
 * (`schemas/`), the published JSON Schemas (`generated/jsonschema/`) and the AsyncAPI 3 document
 * (`generated/asyncapi.json`). It refuses to overwrite snapshots when the change is breaking
 * (that would silently accept it): publish a new version instead, or pass `--accept-breaking`
 * when nothing was ever published with the old shape.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { ALL_EVENTS, ALL_TOPICS } from '../src/catalog.js';
import { buildAsyncApi } from '../src/compat/asyncapi.js';
import { checkContracts, formatReport, readSnapshots } from '../src/compat/check.js';
import { eventSnapshot, snapshotMeta } from '../src/compat/json-schema.js';
import { eventKey } from '../src/events.js';

import { FIXTURES_DIR, GENERATED_DIR, PACKAGE_DIR, SCHEMAS_DIR, writeJson } from './paths.js';

const args = process.argv.slice(2);
const acceptBreaking = args.includes('--accept-breaking');

const report = checkContracts({ events: ALL_EVENTS, schemasDir: SCHEMAS_DIR, fixturesDir: FIXTURES_DIR });
if (report.breaking.length > 0 && !acceptBreaking) {
  console.error(formatReport(report));
  console.error('\nNot writing snapshots over a breaking change.');
  process.exit(1);
}

const previous = new Map(readSnapshots(SCHEMAS_DIR).map((snapshot) => [snapshot.key, snapshot.schema]));
const changed = new Set(report.additive.map((change) => change.event));
const expected = new Set<string>();
for (const event of ALL_EVENTS) {
  const key = eventKey(event.type, event.version);
  expected.add(`${key}.json`);
  const before = previous.get(key);
  const minorBefore = before ? (snapshotMeta(before)?.minor ?? 0) : 0;
  // An additive change to a published version is a new minor schema of it.
  const minor = before && changed.has(key) ? minorBefore + 1 : minorBefore;
  const snapshot = eventSnapshot(event, minor);
  await writeJson(join(SCHEMAS_DIR, `${key}.json`), snapshot);
  await writeJson(join(GENERATED_DIR, 'jsonschema', `${key}.json`), snapshot);
}
for (const dir of [SCHEMAS_DIR, join(GENERATED_DIR, 'jsonschema')]) {
  for (const name of readdirSync(dir)) {
    // Only with --accept-breaking can a published version disappear from the snapshots.
    if (name.endsWith('.json') && !expected.has(name)) rmSync(join(dir, name));
  }
}
const { version } = JSON.parse(readFileSync(join(PACKAGE_DIR, 'package.json'), 'utf8')) as { version: string };
await writeJson(join(GENERATED_DIR, 'asyncapi.json'), buildAsyncApi(ALL_TOPICS, { version }));

if (!report.ok) console.error(formatReport(report));
console.log(
  `contracts: ${ALL_EVENTS.length} event versions on ${ALL_TOPICS.length} topics → schemas/, generated/jsonschema/, generated/asyncapi.json`,
);
