/**
 * Which MongoDB-API server a connection talks to, and how a conditional single-document write is
 * therefore best expressed.
 *
 * - **MongoDB**: the condition goes into the filter (`{ _id, sequence }`); the server applies it
 *   atomically, so it is a compare-and-set across processes.
 * - **FerretDB v1**: a filter other than exactly `{ _id }` is not pushed down to the backend: every
 *   document of the collection is decoded in Go and matched there (measured 3× slower than a
 *   pushed-down write at 100 documents and at 2,000). And the condition is no compare-and-set there
 *   anyway (read → apply → write back, no isolation; see document-lock.ts). So on FerretDB the
 *   condition is checked by reading the document by `_id` and writing it by `_id`, both under this
 *   process's per-document lock: the same guarantee FerretDB itself gives, at a third of the cost.
 *
 * Detection: FerretDB answers `buildInfo` with a `ferretdbVersion` field. `TONGXIN_BUS_DIALECT`
 * (`mongodb` | `ferretdb`) overrides it.
 */
import type { Connection } from 'mongoose';

export type Dialect = 'mongodb' | 'ferretdb';

const known = new WeakMap<object, Promise<Dialect>>();

export function dialectOf(connection: Connection): Promise<Dialect> {
  const forced = process.env.TONGXIN_BUS_DIALECT;
  if (forced === 'mongodb' || forced === 'ferretdb') return Promise.resolve(forced);
  let dialect = known.get(connection);
  if (!dialect) {
    dialect = detect(connection);
    known.set(connection, dialect);
    // A failed detection (server down) is retried on the next call instead of being remembered.
    dialect.catch(() => known.delete(connection));
  }
  return dialect;
}

async function detect(connection: Connection): Promise<Dialect> {
  await connection.asPromise();
  const db = connection.db;
  if (!db) throw new Error('dialectOf: the connection has no database');
  const info = await db.admin().command({ buildInfo: 1 });
  return 'ferretdbVersion' in info ? 'ferretdb' : 'mongodb';
}
