/**
 * The indexer process (./id-index.ts): `node --import tsx infra/local/src/id-index-main.ts <data dir>
 * <FerretDB pid>`. Sweeps once a second and exits when FerretDB does (so `stack down` needs no
 * extra step) or on SIGTERM.
 */
import { isAlive } from './processes.js';
import { createSweeper } from './id-index.js';

const [dataDir, pidText] = process.argv.slice(2);
const ferretPid = Number(pidText);
if (!dataDir || !Number.isInteger(ferretPid)) {
  console.error('usage: id-index-main.ts <FerretDB data dir> <FerretDB pid>');
  process.exit(2);
}
const log = (line: string) => console.log(`${new Date().toISOString()} ${line}`);
const sweep = createSweeper(dataDir, log);
let stopping = false;
process.on('SIGTERM', () => {
  stopping = true;
});
log(`indexing FerretDB ${dataDir} while pid ${ferretPid} runs`);
while (!stopping && isAlive(ferretPid)) {
  await sweep().catch((error: unknown) => log(`sweep failed: ${(error as Error).message}`));
  await new Promise((r) => setTimeout(r, 1000));
}
log('FerretDB stopped; indexer exits');
