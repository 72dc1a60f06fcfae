import mongoose, { type ConnectOptions, type Connection } from 'mongoose';

import type { Logger } from './logging.js';

export interface DatabaseOptions {
  /** The server (MONGODB_URI). The database name is set separately, never taken from the URI. */
  uri: string;
  /** `tongxin_<service>` in production; tests pass a unique name. */
  dbName: string;
  /** How long an operation waits for a reachable server before failing (→ 503). Default 5000. */
  serverSelectionTimeoutMS?: number;
  /** How long mongoose holds an operation while disconnected before failing (→ 503). Default = serverSelectionTimeoutMS. */
  bufferTimeoutMS?: number;
  /** How often the driver re-checks the server; lower notices a returning server sooner. Default 2000. */
  heartbeatFrequencyMS?: number;
}

/** The service's own mongoose connection. Models are declared on `connection` before `open()`. */
export interface Database {
  readonly connection: Connection;
  readonly name: string;
  open(): Promise<void>;
  close(): Promise<void>;
  /** True while the driver holds a usable connection (`readyState === 1`). */
  isReady(): boolean;
}

export const serviceDatabaseName = (service: string): string => `tongxin_${service.replace(/[^A-Za-z0-9_]/g, '_')}`;

/**
 * A dedicated connection (not mongoose's global one, so several services or tests can share a
 * process). After the first successful `open()` the driver reconnects by itself: a database
 * restart needs no service restart.
 */
export function createDatabase(options: DatabaseOptions, logger?: Logger): Database {
  const connection = mongoose.createConnection();
  const selection = options.serverSelectionTimeoutMS ?? 5000;
  // An 'error' event without a listener would crash the process; log it instead.
  connection.on('error', (error: unknown) => logger?.warn({ err: error }, 'database connection error'));
  connection.on('disconnected', () => logger?.warn({ db: options.dbName }, 'database disconnected'));
  connection.on('reconnected', () => logger?.info({ db: options.dbName }, 'database reconnected'));
  return {
    connection,
    name: options.dbName,
    async open() {
      // bufferTimeoutMS is a mongoose connection option its typings miss.
      await connection.openUri(options.uri, {
        dbName: options.dbName,
        serverSelectionTimeoutMS: selection,
        bufferTimeoutMS: options.bufferTimeoutMS ?? selection,
        heartbeatFrequencyMS: options.heartbeatFrequencyMS ?? 2000,
        // Index builds are explicit (FerretDB supports only some index kinds).
        autoIndex: false,
        autoCreate: false,
      } as ConnectOptions);
    },
    async close() {
      await connection.close();
    },
    isReady: () => connection.readyState === 1,
  };
}
