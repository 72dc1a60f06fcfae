/**
 * `npm run contracts:check`: fails (exit 1) when a change to an event schema could break a consumer
 * of an already-published event version, or a golden fixture no longer parses; passes (exit 0) on
 * additive changes and says how to update the snapshots. Every consumer's declaration
 * (`apps/<service>/consumes.ts`) is loaded, and each breaking change names the consumers it breaks.
 *
 * Options (for tests and experiments):
 *   --schemas <dir>    snapshots to compare with (default packages/contracts/schemas)
 *   --fixtures <dir>   golden fixtures (default packages/contracts/fixtures)
 *   --catalog <file>   a module exporting ALL_EVENTS to check instead of src/catalog.ts
 *   --apps <dir>       where the consumers' `<service>/consumes.ts` are (default apps/)
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

import { checkContracts, formatReport } from '../src/compat/check.js';
import type { EventDefinition } from '../src/events.js';

import { consumerImpacts, formatConsumers, formatImpacts, loadConsumers } from './consumers.js';
import { FIXTURES_DIR, option, PACKAGE_DIR, SCHEMAS_DIR } from './paths.js';

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
  const consumers = await loadConsumers(option(args, 'apps') ?? resolve(PACKAGE_DIR, '..', '..', 'apps'));
  const impacts = consumerImpacts(report, consumers, catalog.ALL_EVENTS);
  const ok = report.ok && impacts.length === 0;
  const text = [formatReport(report), formatImpacts(impacts), formatConsumers(consumers)].filter(Boolean).join('\n');
  if (ok) console.log(text);
  else console.error(text);
  process.exitCode = ok ? 0 : 1;
} catch (error) {
  console.error(`contracts:check could not run: ${(error as Error).message}`);
  process.exitCode = 2;
}
