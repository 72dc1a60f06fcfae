import { pino, type DestinationStream, type Logger, type LevelWithSilent } from 'pino';
import { pinoHttp, type HttpLogger } from 'pino-http';

import { isSecretKey, REDACTED, redactDeep, redactString } from './redact.js';

export type { Logger } from 'pino';

export interface LoggerOptions {
  name: string;
  level?: LevelWithSilent | string;
  /** Where lines go (default stdout). Tests pass a stream to read what was written. */
  destination?: DestinationStream;
}

/**
 * The service logger: JSON lines (pino), every field and message passed through `redactDeep`,
 * so resident ID numbers, mobile numbers, tokens, passwords and authorization headers never reach
 * a log, whatever key or string they hide in.
 */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      name: options.name,
      level: options.level ?? 'info',
      base: { service: options.name },
      formatters: {
        // Runs on the merging object before serializers: scrub plain data; `req`, `res` and `err`
        // are raw objects here and are scrubbed by their serializers below.
        log: (object) => {
          const out: Record<string, unknown> = {};
          for (const [key, value] of Object.entries(object)) {
            if (key === 'req' || key === 'res' || key === 'err') out[key] = value;
            else out[key] = isSecretKey(key) && value !== undefined && value !== null ? REDACTED : redactDeep(value);
          }
          return out;
        },
      },
      serializers: {
        err: (error: unknown) => redactSerialized(pino.stdSerializers.err(error as Error)),
      },
      hooks: {
        // Messages (and printf arguments) are scrubbed too.
        logMethod(args, method) {
          const scrubbed = args.map((arg) => (typeof arg === 'string' ? redactString(arg) : arg));
          return method.apply(this, scrubbed as Parameters<typeof method>);
        },
      },
    },
    options.destination,
  );
}

/** pino's serialized req/res/err objects inherit from their own prototypes: copy, then scrub. */
function redactSerialized(value: unknown): unknown {
  return redactDeep(value !== null && typeof value === 'object' ? { ...value } : value);
}

const PROBES = new Set(['/healthz', '/readyz', '/metrics']);

/** Request logging (pino-http) on the service logger; probes are not logged. */
export function createHttpLogger(logger: Logger): HttpLogger {
  return pinoHttp({
    logger,
    genReqId: (req) => (req as unknown as { id: string }).id,
    autoLogging: { ignore: (req) => PROBES.has((req.url ?? '').split('?')[0] ?? '') },
    customLogLevel: (_req, res, error) =>
      error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
    serializers: {
      req: redactSerialized,
      res: redactSerialized,
      err: redactSerialized,
    },
  });
}
