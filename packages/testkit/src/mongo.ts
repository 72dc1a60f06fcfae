import mongoose, { type Connection } from 'mongoose';

import { mongodbUri } from './infra.js';
import { uniqueDatabase } from './names.js';

/**
 * A mongoose connection to a fresh, uniquely named database on the test server. Each test makes
 * its own data; `close({ drop: true })` removes the database afterwards.
 */
export async function connectTestDatabase(
  prefix = 'test',
  /** `exact: true`: `prefix` is the database's name itself (one made elsewhere, to clean it up). */
  options: { exact?: boolean } = {},
): Promise<Connection & { closeAndDrop(): Promise<void> }> {
  const dbName = options.exact ? prefix : uniqueDatabase(prefix);
  const connection = mongoose.createConnection(mongodbUri(), {
    dbName,
    serverSelectionTimeoutMS: 5000,
  });
  await connection.asPromise();
  return Object.assign(connection, {
    async closeAndDrop() {
      await connection.dropDatabase().catch(() => {});
      await connection.close();
    },
  });
}
