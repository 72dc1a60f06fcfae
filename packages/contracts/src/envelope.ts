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
/** An RFC 3339 date-time with "Z" or an offset, each field within its range (month 01–12, hour 00–23, …). */
const ISO_TIME =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

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

type RawHeaderValue = Buffer | string | (Buffer | string)[] | undefined;
type RawHeaders = Record<string, RawHeaderValue>;

/** A header repeated in a record counts by its last value. */
const lastValue = (raw: RawHeaderValue): Buffer | string | undefined =>
  Array.isArray(raw) ? raw[raw.length - 1] : raw;

/** Kafka clients hand headers over as Buffers (or arrays of them); this reads them as strings. */
export function headersToStrings(headers: RawHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  // for…in, not Object.entries: no pair arrays allocated.
  for (const name in headers) {
    const value = lastValue(headers[name]);
    if (value !== undefined) out[name] = value.toString();
  }
  return out;
}

/** One header as a string; the empty string when it is absent. */
export function readHeader(headers: RawHeaders | undefined, name: string): string {
  const value = headers && lastValue(headers[name]);
  return value === undefined ? '' : value.toString();
}

const SPEC_VERSION_BYTES = Buffer.from(SPEC_VERSION);

/** Whether the specversion header is exactly SPEC_VERSION, compared by its bytes (no string made). */
function isSpecVersion(headers: RawHeaders): boolean {
  const value = lastValue(headers[H.specversion]);
  if (value === undefined || typeof value === 'string') return value === SPEC_VERSION;
  if (value.length !== SPEC_VERSION_BYTES.length) return false;
  for (let i = 0; i < value.length; i += 1) if (value[i] !== SPEC_VERSION_BYTES[i]) return false;
  return true;
}

/**
 * A header holding a positive decimal integer, read from its bytes without making a string
 * (`NaN` when absent or anything but digits). The sequence and schema version of every event.
 */
function positiveIntegerHeader(headers: RawHeaders, name: string): number {
  const value = lastValue(headers[name]);
  if (value === undefined || value.length === 0) return Number.NaN;
  if (typeof value === 'string' || value.length > 15)
    return /^\d+$/.test(value.toString()) ? Number(value.toString()) : Number.NaN;
  let n = 0;
  for (let i = 0; i < value.length; i += 1) {
    const digit = value[i]! - 0x30; // indexed, not for…of: a Buffer's iterator costs more than the parse
    if (digit < 0 || digit > 9) return Number.NaN;
    n = n * 10 + digit;
  }
  return n;
}

/**
 * Reads an envelope from a Kafka message; the data is parsed JSON, not yet validated by its schema.
 * It reads only the headers it needs, each once, and checks them with the rules of ZEventMeta
 * written out directly: this runs for every consumed message, and a zod parse of the headers cost
 * as much as the rest of the consumer's work (the `packages/bus` bench).
 */
export function fromKafkaRecord(message: {
  key?: Buffer | string | null;
  value: Buffer | string | null;
  headers?: RawHeaders;
}): EventEnvelope {
  const headers = message.headers ?? {};
  const problems: string[] = [];
  const id = readHeader(headers, H.id);
  const type = readHeader(headers, H.type);
  const source = readHeader(headers, H.source);
  const subject = readHeader(headers, H.subject);
  const time = readHeader(headers, H.time);
  const sequence = positiveIntegerHeader(headers, H.sequence);
  const version = positiveIntegerHeader(headers, H.version);
  if (!isSpecVersion(headers)) problems.push(`header ${H.specversion} must be "${SPEC_VERSION}"`);
  if (!id) problems.push(`header ${H.id} is missing`);
  if (!type) problems.push(`header ${H.type} is missing`);
  if (!source) problems.push(`header ${H.source} is missing`);
  if (!subject) problems.push(`header ${H.subject} is missing`);
  if (!time) problems.push(`header ${H.time} is missing`);
  if (lastValue(headers[H.sequence]) === undefined) problems.push(`header ${H.sequence} is missing`);
  if (lastValue(headers[H.version]) === undefined) problems.push(`header ${H.version} is missing`);
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
  if (!UUID.test(id)) problems.push('id: must be a UUID');
  if (!EVENT_TYPE.test(type)) problems.push('type: event type must be "<producer>.<aggregate>.<past_tense_fact>"');
  if (!(version >= 1)) problems.push('version: must be a positive integer');
  if (!(sequence >= 1)) problems.push('sequence: must be a positive integer');
  if (!ISO_TIME.test(time)) problems.push('time: must be an ISO 8601 date-time');
  if (problems.length > 0) throw new EnvelopeError(`not a Tongxin event: ${problems.join('; ')}`, problems);
  const envelope: EventEnvelope = { id, type, version, source, subject, sequence, time, data };
  const correlationId = readHeader(headers, H.correlationId);
  if (correlationId) envelope.correlationId = correlationId;
  const traceparent = readHeader(headers, H.traceparent);
  if (traceparent) envelope.traceparent = traceparent;
  const tracestate = readHeader(headers, H.tracestate);
  if (tracestate) envelope.tracestate = tracestate;
  return envelope;
}
