/**
 * The one place that builds kafkajs clients. kafkajs is in maintenance mode; everything outside
 * src/kafka/ talks to our interfaces so it stays swappable.
 */
import { Kafka, logLevel, type LogEntry } from 'kafkajs';

process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';

export interface BusLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug?(obj: object, msg?: string): void;
}

export const silentLogger: BusLogger = { info() {}, warn() {}, error() {} };

export interface KafkaClientOptions {
  brokers: string[] | string;
  clientId: string;
  logger?: BusLogger;
  /** How long one connection attempt may take (ms). */
  connectionTimeout?: number;
}

export function createKafkaClient(options: KafkaClientOptions): Kafka {
  const logger = options.logger ?? silentLogger;
  const brokers = Array.isArray(options.brokers) ? options.brokers : options.brokers.split(',').map((b) => b.trim());
  return new Kafka({
    clientId: options.clientId,
    brokers,
    connectionTimeout: options.connectionTimeout ?? 3000,
    retry: { initialRetryTime: 200, retries: 8, maxRetryTime: 5000 },
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, log }: LogEntry) => {
        const { message, ...extra } = log;
        const entry = { component: 'kafkajs', ...extra };
        if (level <= logLevel.ERROR) logger.error(entry, message);
        else if (level === logLevel.WARN) logger.warn(entry, message);
        else logger.info(entry, message);
      },
  });
}

export type { Kafka };
