import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { Kafka, logLevel } from 'kafkajs';
import { MongoClient } from 'mongodb';

import { StackError } from './errors.js';
import { ensureFerretdb, ensureKafkaJars, requireTool } from './prerequisites.js';
import { isAlive, spawnDetached, stopProcess, tail } from './processes.js';

export type Say = (line: string) => void;

/** A server that did not come up is stopped again, so no half-started process is left behind. */
const stopAndRethrow =
  (pid: number) =>
  async (error: unknown): Promise<never> => {
    await stopProcess(pid, 5000);
    throw error;
  };
const quiet: Say = () => {};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A server process this module started: enough to find, probe and stop it again. */
export interface ServerProcess {
  pid: number;
  port: number;
  logFile: string;
}

export interface KafkaOptions {
  /** Folder for this broker's data, config and log (created when missing). */
  dir: string;
  port: number;
  controllerPort: number;
  /** JVM max heap, e.g. "384m". */
  heap?: string;
  say?: Say;
  /** How long to wait for the broker to answer an admin call. */
  readyTimeoutMs?: number;
  /** Environment for finding tools and the cache (default: this process's). */
  env?: NodeJS.ProcessEnv;
}

export interface KafkaProcess extends ServerProcess {
  controllerPort: number;
  brokers: string;
}

function kafkaProperties(options: KafkaOptions, dataDir: string): string {
  return [
    '# Written by infra/local: single-node KRaft broker+controller on loopback (static quorum).',
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${options.controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${options.port},CONTROLLER://127.0.0.1:${options.controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${options.port}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    `log.dirs=${dataDir}`,
    '# One node: internal topics must have replication factor 1, or __consumer_offsets is never created.',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=10',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'transaction.state.log.num.partitions=4',
    'group.initial.rebalance.delay.ms=0',
    '# Topics are declared by packages/contracts and created by ensureTopics(); never by accident.',
    'auto.create.topics.enable=false',
    'num.partitions=1',
    'log.retention.hours=168',
    '',
  ].join('\n');
}

/** Formats storage (first start only), launches `kafka.Kafka`, and waits until an admin call answers. */
export async function startKafka(options: KafkaOptions): Promise<KafkaProcess> {
  const say = options.say ?? quiet;
  const env = options.env ?? process.env;
  requireTool('java', env);
  const libs = await ensureKafkaJars(say, env);
  const dataDir = join(options.dir, 'data');
  mkdirSync(dataDir, { recursive: true });
  const config = join(options.dir, 'server.properties');
  writeFileSync(config, kafkaProperties(options, dataDir));
  const logFile = join(options.dir, 'kafka.log');
  const classpath = `${libs}/*`;
  const jvm = [
    `-Xmx${options.heap ?? '384m'}`,
    '-Xms128m',
    '-XX:+UseG1GC',
    '-XX:MaxGCPauseMillis=20',
    '-Djava.awt.headless=true',
    '-Dorg.slf4j.simpleLogger.showDateTime=true',
    '-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd HH:mm:ss.SSS',
    '-Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients=warn',
  ];
  if (!existsSync(join(dataDir, 'meta.properties'))) {
    const clusterId = kafkaClusterId();
    const format = spawnSync(
      'java',
      [...jvm, '-cp', classpath, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', config],
      {
        encoding: 'utf8',
        env,
      },
    );
    if (format.status !== 0) {
      throw new StackError('formatting the Kafka storage failed', `${format.stdout}\n${format.stderr}`);
    }
  }
  const pid = spawnDetached('java', [...jvm, '-cp', classpath, 'kafka.Kafka', config], logFile, env);
  const brokers = `127.0.0.1:${options.port}`;
  await waitForKafka(brokers, { timeoutMs: options.readyTimeoutMs ?? 90_000, pid, logFile }).catch(stopAndRethrow(pid));
  return { pid, port: options.port, controllerPort: options.controllerPort, logFile, brokers };
}

/**
 * Polls an admin call (describeCluster) until the broker answers. With `pid`, gives up as soon as
 * that process has died, quoting its log.
 */
export async function waitForKafka(
  brokers: string,
  options: { timeoutMs: number; pid?: number; logFile?: string },
): Promise<{ clusterId: string; brokers: number }> {
  const kafka = new Kafka({
    clientId: 'tongxin-stack-probe',
    brokers: brokers.split(','),
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1000,
    requestTimeout: 3000,
    retry: { retries: 0 },
  });
  const deadline = Date.now() + options.timeoutMs;
  let lastError = 'no answer';
  for (;;) {
    if (options.pid !== undefined && !isAlive(options.pid)) {
      throw new StackError(
        `the Kafka broker (pid ${options.pid}) exited while starting`,
        options.logFile ? tail(options.logFile) : undefined,
      );
    }
    const admin = kafka.admin();
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      return { clusterId: cluster.clusterId, brokers: cluster.brokers.length };
    } catch (error) {
      lastError = (error as Error).message;
    } finally {
      await admin.disconnect().catch(() => {});
    }
    if (Date.now() > deadline) {
      throw new StackError(
        `no Kafka broker answered at ${brokers} within ${Math.round(options.timeoutMs / 1000)} s (last error: ${lastError})`,
        options.logFile ? tail(options.logFile) : undefined,
      );
    }
    await sleep(300);
  }
}

export interface FerretdbOptions {
  dir: string;
  port: number;
  say?: Say;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  readyTimeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

export interface FerretdbProcess extends ServerProcess {
  uri: string;
}

/** Launches FerretDB with the SQLite backend on loopback and waits until it answers `ping`. */
/**
 * A Kafka cluster id: 16 random bytes in URL-safe base64, as `StorageTool random-uuid` prints —
 * and, as Kafka's own `Uuid.randomUuid()` does, never one starting with "-", which the storage
 * tool would read as an option ("argument --cluster-id/-t: expected one argument", 1 start in 64).
 */
export function kafkaClusterId(random: () => Buffer = () => randomBytes(16)): string {
  for (;;) {
    const id = random().toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

export async function startFerretdb(options: FerretdbOptions): Promise<FerretdbProcess> {
  const say = options.say ?? quiet;
  const env = options.env ?? process.env;
  const binary = await ensureFerretdb(say, env);
  const dataDir = join(options.dir, 'data');
  const stateDir = join(options.dir, 'state');
  mkdirSync(dataDir, { recursive: true });
  mkdirSync(stateDir, { recursive: true });
  const logFile = join(options.dir, 'ferretdb.log');
  const pid = spawnDetached(
    binary,
    [
      '--handler=sqlite',
      `--sqlite-url=file:${dataDir}/`,
      `--listen-addr=127.0.0.1:${options.port}`,
      '--debug-addr=-',
      `--state-dir=${stateDir}`,
      '--telemetry=disable',
      `--log-level=${options.logLevel ?? 'warn'}`,
    ],
    logFile,
    env,
  );
  const uri = `mongodb://127.0.0.1:${options.port}`;
  await waitForMongo(uri, { timeoutMs: options.readyTimeoutMs ?? 30_000, pid, logFile }).catch(stopAndRethrow(pid));
  return { pid, port: options.port, logFile, uri };
}

/** Polls `ping` until the MongoDB-protocol server answers; reports the server's version. */
export async function waitForMongo(
  uri: string,
  options: { timeoutMs: number; pid?: number; logFile?: string },
): Promise<{ version: string }> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError = 'no answer';
  for (;;) {
    if (options.pid !== undefined && !isAlive(options.pid)) {
      throw new StackError(
        `FerretDB (pid ${options.pid}) exited while starting`,
        options.logFile ? tail(options.logFile) : undefined,
      );
    }
    const client = new MongoClient(uri, { serverSelectionTimeoutMS: 1000, connectTimeoutMS: 1000 });
    try {
      await client.connect();
      await client.db('admin').command({ ping: 1 });
      const info = await client.db('admin').command({ buildInfo: 1 });
      const ferret = (info.ferretdbVersion as string | undefined) ?? undefined;
      return {
        version: ferret
          ? `FerretDB ${ferret} (MongoDB API ${String(info.version)})`
          : `MongoDB ${String(info.version)}`,
      };
    } catch (error) {
      lastError = (error as Error).message;
    } finally {
      await client.close().catch(() => {});
    }
    if (Date.now() > deadline) {
      throw new StackError(
        `no MongoDB-protocol server answered at ${redactUri(uri)} within ${Math.round(options.timeoutMs / 1000)} s (last error: ${lastError})`,
        options.logFile ? tail(options.logFile) : undefined,
      );
    }
    await sleep(200);
  }
}

/** Hides a password in a connection string before it is printed. */
export function redactUri(uri: string): string {
  return uri.replace(/\/\/([^:@/]+):([^@/]+)@/, '//$1:***@');
}
