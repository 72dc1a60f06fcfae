/**
 * `npm run contracts:check`: fails (exit 1) when a change to an event schema could break a consumer
 * of an already-published event version, or a golden fixture no longer parses; passes (exit 0) on
 * additive changes and says how to update the snapshots.
 *
 * Options (for tests and experiments):
 *   --schemas <dir>    snapshots to compare with (default packages/contracts/schemas)
 *   --fixtures <dir>   golden fixtures (default packages/contracts/fixtures)
 *   --catalog <file>   a module exporting ALL_EVENTS to check instead of src/catalog.ts
 */
import { pathToFileURL } from 'node:url';

import { checkContracts, formatReport } from '../src/compat/check.js';
import type { EventDefinition } from '../src/events.js';

import { FIXTURES_DIR, option, SCHEMAS_DIR } from './paths.js';

const args = process.argv.slice(2);
try {
  const catalogPath = option(args, 'catalog');
  const catalog = (await import(catalogPath ? pathToFileURL(catalogPath).href : '../src/catalog.js')) as {
    ALL_EVENTS: EventDefinition[];
  };
  const report = checkContracts({
    events: catalog.ALL_EVENTS,
    schemasDir: option(args, 'schemas') ?? SCHEMAS_DIR,
    fixturesDir: option(args, 'fixtures') ?? FIXTURES_DIR,
  });
  const text = formatReport(report);
  if (report.ok) console.log(text);
  else console.error(text);
  process.exitCode = report.ok ? 0 : 1;
} catch (error) {
  console.error(`contracts:check could not run: ${(error as Error).message}`);
  process.exitCode = 2;
}
