/**
 * The event envelope: CloudEvents 1.0 attributes carried in Kafka headers (binary content mode),
 * the body is the event's `data` as JSON. Extension attributes: `sequence` (the aggregate's
 * version, CloudEvents' own "sequence" extension), `schemaversion` (the integer schema version of
 * `type`) and `correlationid`. W3C `traceparent`/`tracestate` travel beside them.
 */
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';

export const SPEC_VERSION = '1.0';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EVENT_TYPE = /^[a-z]+\.[a-z_]+\.[a-z_]+$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export const ZEventType = z.string().regex(EVENT_TYPE, 'event type must be "<producer>.<aggregate>.<past_tense_fact>"');

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

const REQUIRED_HEADERS = [H.id, H.type, H.source, H.subject, H.time, H.sequence, H.version];

type RawHeaders = Record<string, Buffer | string | (Buffer | string)[] | undefined>;

/** Kafka clients hand headers over as Buffers (or arrays of them); this reads them as strings. */
export function headersToStrings(headers: RawHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  // for…in, not Object.entries: this runs for every consumed message (no pair arrays allocated).
  for (const name in headers) {
    const raw = headers[name];
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
  for (const name of REQUIRED_HEADERS) {
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
  // The same rules as ZEventMeta, checked directly: this runs for every consumed message, and
  // a zod parse here cost as much as the rest of the consumer's work (packages/bus bench).
  const id = headers[H.id]!;
  const type = headers[H.type]!;
  const version = Number(headers[H.version]);
  const sequence = Number(headers[H.sequence]);
  const time = headers[H.time]!;
  if (!UUID.test(id)) problems.push('id: must be a UUID');
  if (!EVENT_TYPE.test(type)) problems.push('type: event type must be "<producer>.<aggregate>.<past_tense_fact>"');
  if (!Number.isInteger(version) || version < 1) problems.push('version: must be a positive integer');
  if (!Number.isInteger(sequence) || sequence < 1) problems.push('sequence: must be a positive integer');
  if (!ISO_TIME.test(time) || Number.isNaN(Date.parse(time))) problems.push('time: must be an ISO 8601 date-time');
  if (problems.length > 0) throw new EnvelopeError(`not a Tongxin event: ${problems.join('; ')}`, problems);
  const envelope: EventEnvelope = {
    id,
    type,
    version,
    source: headers[H.source]!,
    subject: headers[H.subject]!,
    sequence,
    time,
    data,
  };
  if (headers[H.correlationId]) envelope.correlationId = headers[H.correlationId];
  if (headers[H.traceparent]) envelope.traceparent = headers[H.traceparent];
  if (headers[H.tracestate]) envelope.tracestate = headers[H.tracestate];
  return envelope;
}
