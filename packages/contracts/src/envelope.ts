/**
 * The event envelope: CloudEvents 1.0 attributes carried in Kafka headers (binary content mode),
 * the body is the event's `data` as JSON. Extension attributes: `sequence` (the aggregate's
 * version, CloudEvents' own "sequence" extension), `schemaversion` (the integer schema version of
 * `type`) and `correlationid`. W3C `traceparent`/`tracestate` travel beside them.
 */
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';

export const SPEC_VERSION = '1.0';

export const ZEventType = z
  .string()
  .regex(/^[a-z]+\.[a-z_]+\.[a-z_]+$/, 'event type must be "<producer>.<aggregate>.<past_tense_fact>"');

/** Every attribute of an event except its data. */
export const ZEventMeta = z.object({
  id: z.string().uuid(),
  type: ZEventType,
  version: z.number().int().positive(),
  source: z.string().min(1),
  subject: z.string().min(1),
  sequence: z.number().int().positive(),
  time: z.string().datetime({ offset: true }),
  correlationId: z.string().min(1).optional(),
  traceparent: z.string().optional(),
  tracestate: z.string().optional(),
});
export type EventMeta = z.infer<typeof ZEventMeta>;

export interface EventEnvelope<D = unknown> extends EventMeta {
  data: D;
}

/** A time-ordered UUID (RFC 9562 v7): ids sort by creation, which helps logs and indexes. */
export const newEventId = (): string => uuidv7();

/** What a Kafka producer sends and a consumer receives, free of any client library's types. */
export interface KafkaRecord {
  key: string;
  value: Buffer;
  headers: Record<string, string>;
}

/** Raised when a Kafka message is not a well-formed Tongxin event; it names what is wrong. */
export class EnvelopeError extends Error {
  constructor(
    message: string,
    readonly problems: string[] = [],
  ) {
    super(message);
    this.name = 'EnvelopeError';
  }
}

const H = {
  specversion: 'ce_specversion',
  id: 'ce_id',
  type: 'ce_type',
  source: 'ce_source',
  subject: 'ce_subject',
  time: 'ce_time',
  sequence: 'ce_sequence',
  version: 'ce_schemaversion',
  correlationId: 'ce_correlationid',
  contentType: 'content-type',
  traceparent: 'traceparent',
  tracestate: 'tracestate',
} as const;

export function toKafkaRecord(event: EventEnvelope): KafkaRecord {
  const headers: Record<string, string> = {
    [H.specversion]: SPEC_VERSION,
    [H.id]: event.id,
    [H.type]: event.type,
    [H.source]: event.source,
    [H.subject]: event.subject,
    [H.time]: event.time,
    [H.sequence]: String(event.sequence),
    [H.version]: String(event.version),
    [H.contentType]: 'application/json',
  };
  if (event.correlationId) headers[H.correlationId] = event.correlationId;
  if (event.traceparent) headers[H.traceparent] = event.traceparent;
  if (event.tracestate) headers[H.tracestate] = event.tracestate;
  return { key: event.subject, value: Buffer.from(JSON.stringify(event.data)), headers };
}

type RawHeaders = Record<string, Buffer | string | (Buffer | string)[] | undefined>;

/** Kafka clients hand headers over as Buffers (or arrays of them); this reads them as strings. */
export function headersToStrings(headers: RawHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(headers ?? {})) {
    const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
    if (value !== undefined) out[name] = value.toString();
  }
  return out;
}

/** Reads an envelope from a Kafka message; the data is parsed JSON, not yet validated by its schema. */
export function fromKafkaRecord(
  message: { key?: Buffer | string | null; value: Buffer | string | null; headers?: RawHeaders },
  /** The message's headers already read as strings, when the caller has them (saves a second pass). */
  decodedHeaders?: Record<string, string>,
): EventEnvelope {
  const headers = decodedHeaders ?? headersToStrings(message.headers);
  const problems: string[] = [];
  if (headers[H.specversion] !== SPEC_VERSION) problems.push(`header ${H.specversion} must be "${SPEC_VERSION}"`);
  for (const name of [H.id, H.type, H.source, H.subject, H.time, H.sequence, H.version]) {
    if (!headers[name]) problems.push(`header ${name} is missing`);
  }
  let data: unknown;
  if (message.value === null || message.value === undefined) {
    problems.push('the message has no body');
  } else {
    try {
      data = JSON.parse(message.value.toString());
    } catch (error) {
      problems.push(`the body is not JSON (${(error as Error).message})`);
    }
  }
  if (problems.length > 0) throw new EnvelopeError(`not a Tongxin event: ${problems.join('; ')}`, problems);
  const candidate = {
    id: headers[H.id],
    type: headers[H.type],
    version: Number(headers[H.version]),
    source: headers[H.source],
    subject: headers[H.subject],
    sequence: Number(headers[H.sequence]),
    time: headers[H.time],
    correlationId: headers[H.correlationId],
    traceparent: headers[H.traceparent],
    tracestate: headers[H.tracestate],
  };
  const meta = ZEventMeta.safeParse(candidate);
  if (!meta.success) {
    const issues = meta.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new EnvelopeError(`not a Tongxin event: ${issues.join('; ')}`, issues);
  }
  return { ...meta.data, data };
}
