/**
 * The `_id` index FerretDB's own queries can use, added from outside.
 *
 * FerretDB v1.24's SQLite backend stores each collection as a table with one JSON column and gives it
 * the unique index `(_ferretdb_sjson->"_id")`, but it looks documents up (find, update and delete by
 * `_id`) with `WHERE _ferretdb_sjson->'$._id' = ?`. SQLite matches an index on an expression only
 * when the query's expression is written the same way, so that index is never used: every lookup by
 * `_id` scans and parses the whole table (`EXPLAIN QUERY PLAN`: `SCAN`). At 11,000 documents an
 * `updateOne({ _id })` took 91 ms and a `findOne({ _id })` 27 ms here; at the full Yueyang register
 * (38,000 children) every write of every service would cost a quarter of a second.
 *
 * The indexer is a small process beside the local FerretDB. About once a second it looks at the
 * database files that changed and gives every collection table that lacks it the index
 * `tongxin_id_<table>` on exactly FerretDB's expression (with the same lookups: 1.8 ms and 1.0 ms).
 * FerretDB keeps it up to date itself (it is an ordinary SQLite index of the table), drops it with
 * the collection, and never lists it (its own catalogue is `_ferretdb_collections`). The writes it
 * makes wait for FerretDB's (`busy_timeout`), as FerretDB's wait for them. It changes speed only,
 * never an answer: without it (no `sqlite3` program, or FerretDB in a container) everything works,
 * slower. It uses Debian's `sqlite3` command-line program: no SQLite binding is installed from npm.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { repoRoot } from './paths.js';
import { commandLineOf, isAlive, spawnDetached } from './processes.js';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const MAIN = 'id-index-main.ts';

export const INDEX_PREFIX = 'tongxin_id_';

/** FerretDB's own lookup expression (internal/backends/sqlite/metadata: `IDColumn`). */
const LOOKUP = `_ferretdb_sjson->'$._id'`;

/** Table names as FerretDB makes them (collection name, `_`, hash): never quoted wrongly. */
const TABLE = /^[A-Za-z0-9_]+$/;

/**
 * Opens an existing database file only (`mode=rw`): a file FerretDB has just dropped must not be
 * created again, empty, by us (FerretDB lists its databases by their files).
 */
const uri = (file: string) => `file:${encodeURI(file)}?mode=rw`;

async function sqlite(file: string, sql: string): Promise<string> {
  const { stdout } = await run('sqlite3', ['-batch', '-noheader', '-cmd', '.timeout 10000', uri(file), sql], {
    timeout: 60_000,
  });
  return stdout;
}

/** Tables of FerretDB collections in one database file that lack our index. */
export async function missingIndexes(file: string): Promise<string[]> {
  const out = await sqlite(
    file,
    `SELECT c.table_name FROM _ferretdb_collections c WHERE NOT EXISTS (` +
      `SELECT 1 FROM sqlite_master m WHERE m.type = 'index' AND m.name = '${INDEX_PREFIX}' || c.table_name);`,
  );
  return out
    .split('\n')
    .map((line) => line.trim())
    .filter((name) => TABLE.test(name));
}

/** Adds the missing indexes to one database file; returns the tables it indexed. */
export async function indexDatabase(file: string): Promise<string[]> {
  const tables = await missingIndexes(file);
  if (tables.length === 0) return [];
  await sqlite(
    file,
    tables.map((t) => `CREATE INDEX IF NOT EXISTS "${INDEX_PREFIX}${t}" ON "${t}" (${LOOKUP});`).join('\n'),
  );
  return tables;
}

/** Whether FerretDB's `_id` lookups on this table can use an index (for tests and `stack status`). */
export async function lookupUsesIndex(file: string, table: string): Promise<boolean> {
  if (!TABLE.test(table)) throw new Error(`not a FerretDB table name: ${table}`);
  const plan = await sqlite(file, `EXPLAIN QUERY PLAN SELECT 1 FROM "${table}" WHERE ${LOOKUP} = '"x"';`);
  return /USING INDEX/.test(plan);
}

export async function hasSqlite3(): Promise<boolean> {
  try {
    await run('sqlite3', ['-version']);
    return true;
  } catch {
    return false;
  }
}

/**
 * Sweeps a FerretDB data folder. A new database file is checked at once (services create their
 * collections when they start); a file that changed since its last check (the file or its
 * write-ahead log) is checked again after a wait that doubles, up to 8 s, while nothing is missing
 * there, and drops back to the next sweep once something was — so a busy database costs one
 * `sqlite3` run every 8 s, not one a second. Errors on one file (dropped meanwhile, busy past the
 * timeout, not a FerretDB database yet) leave it to a later sweep.
 */
export function createSweeper(dataDir: string, log: (line: string) => void = () => {}) {
  const files = new Map<string, { stamp: number; next: number; waitMs: number }>();
  const stamp = (file: string) => {
    let ms = 0;
    for (const f of [file, `${file}-wal`]) {
      try {
        ms = Math.max(ms, statSync(f).mtimeMs);
      } catch {
        // no write-ahead log right now
      }
    }
    return ms;
  };
  return async function sweep(now = Date.now()): Promise<number> {
    let indexed = 0;
    const names = existsSync(dataDir) ? readdirSync(dataDir).filter((f) => f.endsWith('.sqlite')) : [];
    for (const name of [...files.keys()]) if (!names.includes(name)) files.delete(name);
    for (const name of names) {
      const file = join(dataDir, name);
      const current = stamp(file);
      const known = files.get(name);
      if (known && (known.stamp === current || now < known.next)) continue;
      try {
        const tables = await indexDatabase(file);
        indexed += tables.length;
        if (tables.length) log(`${name}: indexed ${tables.join(', ')}`);
        const waitMs = tables.length || !known ? 1000 : Math.min(known.waitMs * 2, 8000);
        files.set(name, { stamp: current, next: now + waitMs, waitMs });
      } catch (error) {
        const message = (error as { stderr?: string; message: string }).stderr?.trim() || (error as Error).message;
        if (!/no such table: _ferretdb_collections|unable to open/.test(message)) log(`${name}: ${message}`);
      }
    }
    return indexed;
  };
}

/**
 * Starts the indexer beside a running FerretDB (`dir` is FerretDB's stack folder: `data/` inside),
 * unless one already runs for it. Without `sqlite3` it says so once and starts nothing.
 */
export async function ensureIndexer(dir: string, ferretPid: number, say: (line: string) => void): Promise<void> {
  const pidFile = join(dir, 'id-index.pid');
  const running = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8')) : NaN;
  if (Number.isInteger(running) && isAlive(running) && (commandLineOf(running) ?? '').includes(MAIN)) return;
  if (!(await hasSqlite3())) {
    say(
      "FerretDB: `sqlite3` not found, so its lookups by _id scan whole collections (slow past a few thousand documents). Install Debian's sqlite3.",
    );
    return;
  }
  const pid = spawnDetached(
    process.execPath,
    ['--import', 'tsx', join(here, MAIN), join(dir, 'data'), String(ferretPid)],
    join(dir, 'id-index.log'),
    process.env,
    repoRoot,
  );
  writeFileSync(pidFile, `${pid}\n`);
}
