/**
 * Real child processes for fault-injection tests: a TypeScript file run by node with tsx's loader
 * (`node --import tsx file.ts`). Not the tsx CLI: it runs the file in a grandchild and only relays
 * catchable signals, so a SIGKILL to the CLI would leave the real process running as an orphan.
 *
 * A child reports over stdout, one JSON object a line (`report()`), and reads its configuration
 * from the environment (`requiredEnv()`).
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { Kafka } from 'kafkajs';
import mongoose, { type Connection } from 'mongoose';

import { createKafkaClient, type BusLogger } from '../../src/index.js';

const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface TestProcess {
  readonly name: string;
  readonly pid: number;
  /** Undefined while the process runs. */
  exitStatus(): ExitStatus | undefined;
  readonly exited: Promise<ExitStatus>;
  /** The JSON lines the child reported so far. */
  reports(): Record<string, unknown>[];
  /** The last lines of its stdout and stderr, for failure messages. */
  output(lines?: number): string;
  /** SIGKILL (fault injection); resolves once the process is gone. */
  kill(): Promise<ExitStatus>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
  stop(graceMs?: number): Promise<ExitStatus>;
}

export function startTestProcess(name: string, file: string, env: Record<string, string>): TestProcess {
  const child = spawn(process.execPath, ['--import', tsxLoader, file], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`could not start ${name} (${file})`);
  const pid = child.pid;
  const reports: Record<string, unknown>[] = [];
  const lines: string[] = [];
  let status: ExitStatus | undefined;
  const exited = new Promise<ExitStatus>((resolve) => {
    child.once('exit', (code, signal) => {
      status = { code, signal };
      resolve(status);
    });
  });
  const collect = (stream: NodeJS.ReadableStream, label: string) => {
    let partial = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(`[${name} ${label}] ${line}`);
        if (lines.length > 500) lines.shift();
        if (label === 'out' && line.startsWith('{')) {
          try {
            reports.push(JSON.parse(line) as Record<string, unknown>);
          } catch {
            /* not a report */
          }
        }
      }
    });
  };
  collect(child.stdout, 'out');
  collect(child.stderr, 'err');

  const signal = (sig: NodeJS.Signals) => {
    if (status) return;
    try {
      process.kill(pid, sig);
    } catch {
      /* already gone */
    }
  };
  return {
    name,
    pid,
    exited,
    exitStatus: () => status,
    reports: () => reports,
    output: (n = 40) => lines.slice(-n).join('\n'),
    async kill() {
      signal('SIGKILL');
      return exited;
    },
    async stop(graceMs = 15_000) {
      signal('SIGTERM');
      const timer = setTimeout(() => signal('SIGKILL'), graceMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** Kills whatever of `processes` still runs (afterAll). */
export async function killAll(processes: Iterable<TestProcess>): Promise<void> {
  await Promise.all([...processes].map((p) => p.kill()));
}

// --- the child's side ---

export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

/** One JSON line on stdout for the parent. */
export function report(message: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

/** Fails loudly (exit 1) on anything unhandled, and runs `stop` then exits 0 on SIGTERM/SIGINT. */
export function childLifecycle(stop: () => Promise<void>): void {
  const fail = (error: unknown) => {
    process.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
    process.exit(1);
  };
  process.on('uncaughtException', fail);
  process.on('unhandledRejection', fail);
  let stopping = false;
  const onSignal = () => {
    if (stopping) return;
    stopping = true;
    stop().then(() => {
      report({ event: 'stopped' });
      process.exit(0);
    }, fail);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

/**
 * What every crash-test child process needs: a mongoose connection to BUS_TEST_DATABASE on
 * MONGODB_URI, a Kafka client on KAFKA_BROKERS, and a logger that writes warnings to stderr.
 */
export async function connectChild(role: string): Promise<{ connection: Connection; kafka: Kafka; logger: BusLogger }> {
  const connection = await mongoose
    .createConnection(requiredEnv('MONGODB_URI'), {
      dbName: requiredEnv('BUS_TEST_DATABASE'),
      serverSelectionTimeoutMS: 5000,
    })
    .asPromise();
  const logger: BusLogger = {
    info() {},
    warn: (obj: object, msg?: string) => process.stderr.write(`WARN ${msg ?? ''} ${JSON.stringify(obj)}\n`),
    error: (obj: object, msg?: string) => process.stderr.write(`ERROR ${msg ?? ''} ${JSON.stringify(obj)}\n`),
  };
  const kafka = createKafkaClient({
    brokers: requiredEnv('KAFKA_BROKERS'),
    clientId: `${role}-${process.pid}`,
    logger,
  });
  return { connection, kafka, logger };
}
