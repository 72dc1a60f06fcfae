import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

import { StackError } from './errors.js';
import { FERRETDB_VERSION, KAFKA_VERSION, repoRoot, stackDir } from './paths.js';
import { commandLineOf, describePortOwner, isAlive, isPortFree, stopProcess, tail } from './processes.js';
import { ensureIndexer } from './id-index.js';
import { redactUri, startFerretdb, startKafka, waitForKafka, waitForMongo, type Say } from './servers.js';

/** Ports and folders of the default stack; every value can be changed through the environment. */
export interface StackConfig {
  dir: string;
  kafkaPort: number;
  kafkaControllerPort: number;
  mongoPort: number;
  kafkaHeap: string;
}

function portFromEnv(env: NodeJS.ProcessEnv, key: string, fallback: number): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new StackError(`${key}=${raw} is not a TCP port (a whole number from 1 to 65535)`);
  }
  return port;
}

export function stackConfig(env: NodeJS.ProcessEnv = process.env): StackConfig {
  return {
    dir: stackDir(env),
    kafkaPort: portFromEnv(env, 'TONGXIN_KAFKA_PORT', 19092),
    kafkaControllerPort: portFromEnv(env, 'TONGXIN_KAFKA_CONTROLLER_PORT', 19093),
    mongoPort: portFromEnv(env, 'TONGXIN_MONGO_PORT', 27027),
    kafkaHeap: env.TONGXIN_KAFKA_HEAP ?? '384m',
  };
}

/**
 * The environment of the stack `npm test` starts: a folder and ports of its own (`.data/test-stack`,
 * Kafka 19192/19193, FerretDB 27127; `TONGXIN_TEST_STACK_DIR`, `TONGXIN_TEST_KAFKA_PORT`,
 * `TONGXIN_TEST_KAFKA_CONTROLLER_PORT`, `TONGXIN_TEST_MONGO_PORT` change them), never those of
 * `npm start`'s stack: tests publish on the platform's topics, and a platform running on the same
 * Kafka would take their children and homes into its registers and reports.
 */
export function testStackEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...env, ...testStackSettings(env) };
}

/** Only the settings `testStackEnv` puts over the environment (the folder and the three ports). */
export function testStackSettings(env: NodeJS.ProcessEnv = process.env) {
  return {
    TONGXIN_STACK_DIR: env.TONGXIN_TEST_STACK_DIR || join(repoRoot, '.data', 'test-stack'),
    TONGXIN_KAFKA_PORT: env.TONGXIN_TEST_KAFKA_PORT || '19192',
    TONGXIN_KAFKA_CONTROLLER_PORT: env.TONGXIN_TEST_KAFKA_CONTROLLER_PORT || '19193',
    TONGXIN_MONGO_PORT: env.TONGXIN_TEST_MONGO_PORT || '27127',
  };
}

type ServerName = 'kafka' | 'ferretdb';

/** The PID file of one server, with what is needed to reach and stop it. */
interface ServerRecord {
  pid: number;
  port: number;
  controllerPort?: number;
  version: string;
  startedAt: string;
  logFile: string;
}

const SIGNATURE: Record<ServerName, string> = { kafka: 'kafka.Kafka', ferretdb: 'ferretdb' };
const LABEL: Record<ServerName, string> = { kafka: 'Kafka', ferretdb: 'FerretDB' };

const recordFile = (config: StackConfig, name: ServerName) => join(config.dir, name, `${name}.pid.json`);

function readRecord(config: StackConfig, name: ServerName): ServerRecord | undefined {
  const file = recordFile(config, name);
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as ServerRecord;
  } catch {
    return undefined;
  }
}

function writeRecord(config: StackConfig, name: ServerName, record: ServerRecord): void {
  mkdirSync(join(config.dir, name), { recursive: true });
  writeFileSync(recordFile(config, name), `${JSON.stringify(record, null, 2)}\n`);
}

/** Is the recorded process still ours? A recycled pid running something else does not count. */
function isOurs(record: ServerRecord, name: ServerName): boolean {
  return isAlive(record.pid) && (commandLineOf(record.pid) ?? '').includes(SIGNATURE[name]);
}

/** What the caller connects to, and whether this call started anything. */
export interface StackEndpoints {
  kafkaBrokers: string;
  mongodbUri: string;
  /** Servers this call started (to stop them again when done). */
  started: ServerName[];
  /** Servers given through KAFKA_BROKERS / MONGODB_URI, which are never started or stopped here. */
  external: ServerName[];
}

/** Serialises concurrent `up`/`down` calls on one stack folder (e.g. two test runs at once). */
async function withLock<T>(config: StackConfig, work: () => Promise<T>): Promise<T> {
  mkdirSync(config.dir, { recursive: true });
  const lock = join(config.dir, '.lock');
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    try {
      const fd = openSync(lock, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(lock, 'utf8').trim());
      if (!Number.isInteger(holder) || !isAlive(holder)) {
        rmSync(lock, { force: true }); // left by a process that died
        continue;
      }
      if (Date.now() > deadline) throw new StackError(`the stack folder ${config.dir} is locked by pid ${holder}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    return await work();
  } finally {
    rmSync(lock, { force: true });
  }
}

/**
 * Brings the stack up, idempotently. A server given by KAFKA_BROKERS / MONGODB_URI is only checked,
 * never started. A server already running from this folder is reused. A stale PID file is cleared.
 */
export async function up(options: { say?: Say; env?: NodeJS.ProcessEnv } = {}): Promise<StackEndpoints> {
  const say = options.say ?? (() => {});
  const env = options.env ?? process.env;
  const config = stackConfig(env);
  const result: StackEndpoints = { kafkaBrokers: '', mongodbUri: '', started: [], external: [] };

  if (env.KAFKA_BROKERS) {
    await checkExternal('kafka', env.KAFKA_BROKERS, say);
    result.kafkaBrokers = env.KAFKA_BROKERS;
    result.external.push('kafka');
  }
  if (env.MONGODB_URI) {
    await checkExternal('ferretdb', env.MONGODB_URI, say);
    result.mongodbUri = env.MONGODB_URI;
    result.external.push('ferretdb');
  }
  if (result.external.length === 2) return result;

  return withLock(config, async () => {
    if (!env.KAFKA_BROKERS) {
      result.kafkaBrokers = await ensureServer(config, 'kafka', say, result, env);
    }
    if (!env.MONGODB_URI) {
      result.mongodbUri = await ensureServer(config, 'ferretdb', say, result, env);
    }
    return result;
  });
}

async function checkExternal(name: ServerName, address: string, say: Say): Promise<void> {
  const variable = name === 'kafka' ? 'KAFKA_BROKERS' : 'MONGODB_URI';
  try {
    if (name === 'kafka') await waitForKafka(address, { timeoutMs: 10_000 });
    else await waitForMongo(address, { timeoutMs: 10_000 });
  } catch (error) {
    throw new StackError(
      `${variable}=${name === 'kafka' ? address : redactUri(address)} is set, but ${(error as Error).message}.\n` +
        `  Check the address, or unset ${variable} to let Tongxin start its own local ${LABEL[name]}.`,
    );
  }
  say(`${LABEL[name]}: using ${variable} (${name === 'kafka' ? address : redactUri(address)}); nothing started.`);
}

async function ensureServer(
  config: StackConfig,
  name: ServerName,
  say: Say,
  result: StackEndpoints,
  env: NodeJS.ProcessEnv,
): Promise<string> {
  const record = readRecord(config, name);
  const address = (port: number) => (name === 'kafka' ? `127.0.0.1:${port}` : `mongodb://127.0.0.1:${port}`);
  if (record) {
    if (isOurs(record, name)) {
      // Running: make sure it answers (it may still be starting after a crash of the caller).
      if (name === 'kafka')
        await waitForKafka(address(record.port), { timeoutMs: 90_000, pid: record.pid, logFile: record.logFile });
      else {
        await waitForMongo(address(record.port), { timeoutMs: 30_000, pid: record.pid, logFile: record.logFile });
        await ensureIndexer(join(config.dir, name), record.pid, say);
      }
      say(`${LABEL[name]} is already up (pid ${record.pid}, ${address(record.port)}).`);
      return address(record.port);
    }
    say(
      `${LABEL[name]}: stale PID file (pid ${record.pid} is not running ${SIGNATURE[name]}); clearing it and starting afresh.`,
    );
    rmSync(recordFile(config, name), { force: true });
  }

  const port = name === 'kafka' ? config.kafkaPort : config.mongoPort;
  const ports = name === 'kafka' ? [port, config.kafkaControllerPort] : [port];
  for (const p of ports) {
    if (!(await isPortFree(p))) {
      const variable =
        p === config.kafkaControllerPort && name === 'kafka' && p !== port
          ? 'TONGXIN_KAFKA_CONTROLLER_PORT'
          : name === 'kafka'
            ? 'TONGXIN_KAFKA_PORT'
            : 'TONGXIN_MONGO_PORT';
      throw new StackError(
        `port ${p} on 127.0.0.1, which the local ${LABEL[name]} needs, is already taken by ${describePortOwner(p)}.\n` +
          `  Stop that process, or choose another port: ${variable}=<port> npm start`,
      );
    }
  }

  const dir = join(config.dir, name);
  mkdirSync(dir, { recursive: true });
  say(`Starting ${LABEL[name]} on 127.0.0.1:${port}…`);
  const started = Date.now();
  if (name === 'kafka') {
    const kafka = await startKafka({
      dir,
      port,
      controllerPort: config.kafkaControllerPort,
      heap: config.kafkaHeap,
      say,
      env,
    }).catch((error: unknown) => failStart(error, dir, 'kafka.log'));
    writeRecord(config, name, {
      pid: kafka.pid,
      port,
      controllerPort: config.kafkaControllerPort,
      version: KAFKA_VERSION,
      startedAt: new Date().toISOString(),
      logFile: kafka.logFile,
    });
  } else {
    const ferret = await startFerretdb({ dir, port, say, env }).catch((error: unknown) =>
      failStart(error, dir, 'ferretdb.log'),
    );
    writeRecord(config, name, {
      pid: ferret.pid,
      port,
      version: FERRETDB_VERSION,
      startedAt: new Date().toISOString(),
      logFile: ferret.logFile,
    });
    await ensureIndexer(dir, ferret.pid, say);
  }
  say(`${LABEL[name]} is up on ${address(port)} (${((Date.now() - started) / 1000).toFixed(1)} s).`);
  result.started.push(name);
  return address(port);
}

function failStart(error: unknown, dir: string, log: string): never {
  if (error instanceof StackError) throw error;
  throw new StackError((error as Error).message, tail(join(dir, log)));
}

/** Stops the servers this folder's stack started (never external ones). */
export async function down(options: { say?: Say; only?: ServerName[]; env?: NodeJS.ProcessEnv } = {}): Promise<void> {
  const say = options.say ?? (() => {});
  const config = stackConfig(options.env);
  await withLock(config, async () => {
    for (const name of options.only ?? (['ferretdb', 'kafka'] as ServerName[])) {
      const record = readRecord(config, name);
      if (!record) {
        say(`${LABEL[name]} is not running.`);
        continue;
      }
      if (!isOurs(record, name)) {
        say(`${LABEL[name]}: stale PID file (pid ${record.pid} is not running ${SIGNATURE[name]}); cleared.`);
      } else {
        const how = await stopProcess(record.pid, 30_000);
        say(
          `${LABEL[name]} (pid ${record.pid}) ${how === 'killed' ? 'did not stop within 30 s and was killed' : 'stopped'}.`,
        );
      }
      rmSync(recordFile(config, name), { force: true });
    }
  });
}

export interface ServerStatus {
  name: ServerName;
  state: 'up' | 'not answering' | 'down' | 'stale pid file' | 'external';
  pid?: number;
  address?: string;
  version?: string;
  logFile?: string;
}

export async function status(env: NodeJS.ProcessEnv = process.env): Promise<ServerStatus[]> {
  const config = stackConfig(env);
  const out: ServerStatus[] = [];
  for (const name of ['kafka', 'ferretdb'] as ServerName[]) {
    const externalAddress = name === 'kafka' ? env.KAFKA_BROKERS : env.MONGODB_URI;
    if (externalAddress) {
      out.push({ name, state: 'external', address: name === 'kafka' ? externalAddress : redactUri(externalAddress) });
      continue;
    }
    const record = readRecord(config, name);
    if (!record) {
      out.push({ name, state: 'down' });
      continue;
    }
    const address = name === 'kafka' ? `127.0.0.1:${record.port}` : `mongodb://127.0.0.1:${record.port}`;
    if (!isOurs(record, name)) {
      out.push({ name, state: 'stale pid file', pid: record.pid, address });
      continue;
    }
    let version = name === 'kafka' ? `Apache Kafka ${record.version} (KRaft)` : `FerretDB ${record.version}`;
    let state: ServerStatus['state'] = 'up';
    try {
      if (name === 'kafka') await waitForKafka(address, { timeoutMs: 3000 });
      else version = (await waitForMongo(address, { timeoutMs: 3000 })).version;
    } catch {
      state = 'not answering';
    }
    out.push({ name, state, pid: record.pid, address, version, logFile: record.logFile });
  }
  return out;
}

/** The last lines of each server's log. */
export function logs(
  lines = 40,
  env: NodeJS.ProcessEnv = process.env,
): { name: ServerName; file: string; text: string }[] {
  const config = stackConfig(env);
  return (['kafka', 'ferretdb'] as ServerName[]).map((name) => {
    const file = join(config.dir, name, `${name}.log`);
    return { name, file, text: tail(file, lines) };
  });
}
