/**
 * The `_id` index beside the suite's own local FerretDB (src/id-index.ts): every new collection gets
 * an index SQLite uses for FerretDB's lookups by `_id`, answers stay the same, FerretDB does not list
 * it, and a dropped database is not brought back by the indexer.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { lookupUsesIndex, missingIndexes } from '../src/id-index.js';
import { stackConfig } from '../src/index.js';

// Only the local stack runs the indexer (containers, or a server of your own: not indexed).
const local =
  (process.env.TONGXIN_TEST_INFRA ?? 'local') === 'local' &&
  new URL(process.env.MONGODB_URI ?? 'mongodb://x').port === String(stackConfig().mongoPort);
const dataDir = join(stackConfig().dir, 'ferretdb', 'data');

describe.skipIf(!local)('FerretDB _id index (local stack)', () => {
  const dbName = `idx_${randomUUID().slice(0, 8)}`;
  const file = join(dataDir, `${dbName}.sqlite`);
  let client: MongoClient;

  beforeAll(async () => {
    client = await new MongoClient(process.env.MONGODB_URI!).connect();
  });
  afterAll(async () => {
    await client.close();
  });

  const tableOf = (collection: string) =>
    execFileSync('sqlite3', [
      '-batch',
      '-noheader',
      `file:${file}?mode=ro`,
      `SELECT table_name FROM _ferretdb_collections WHERE name = '${collection}'`,
    ])
      .toString()
      .trim();

  it('indexes a new collection within seconds, and lookups by _id use it with the same answers', async () => {
    const kids = client.db(dbName).collection<{ _id: string; n: number; pad: string }>('kids');
    await kids.insertMany(Array.from({ length: 2000 }, (_, n) => ({ _id: `c${n}`, n, pad: 'x'.repeat(200) })));
    expect(existsSync(file)).toBe(true);
    const table = tableOf('kids');
    expect(table).toMatch(/^kids_/);

    const deadline = Date.now() + 20_000;
    while (!(await lookupUsesIndex(file, table)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    expect(await lookupUsesIndex(file, table)).toBe(true);
    expect(await missingIndexes(file)).toEqual([]);

    expect(await kids.findOne({ _id: 'c1234' })).toMatchObject({ n: 1234 });
    expect(await kids.findOne({ _id: 'nobody' })).toBeNull();
    expect((await kids.updateOne({ _id: 'c7' }, { $set: { n: -7 } })).modifiedCount).toBe(1);
    expect(await kids.findOne({ _id: 'c7' })).toMatchObject({ n: -7 });
    expect((await kids.deleteOne({ _id: 'c8' })).deletedCount).toBe(1);
    expect(await kids.countDocuments()).toBe(1999);
    // A duplicate _id is still refused by FerretDB's own unique index.
    await expect(kids.insertOne({ _id: 'c9', n: 9, pad: '' })).rejects.toMatchObject({ code: 11000 });
    // FerretDB lists only its own indexes.
    expect((await kids.listIndexes().toArray()).map((i) => i.name)).toEqual(['_id_']);
  });

  it('does not bring back a database that was dropped', async () => {
    await client.db(dbName).dropDatabase();
    await new Promise((r) => setTimeout(r, 2500)); // more than two sweeps
    expect(existsSync(file)).toBe(false);
    expect((await client.db('admin').admin().listDatabases()).databases.map((d) => d.name)).not.toContain(dbName);
  });
});
