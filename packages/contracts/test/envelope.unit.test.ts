import { describe, expect, it } from 'vitest';

import {
  EnvelopeError,
  fromKafkaRecord,
  headersToStrings,
  readHeader,
  toKafkaRecord,
  type EventEnvelope,
} from '../src/envelope.js';

const event: EventEnvelope = {
  id: '0193a3b2-7c4d-7e5f-8a9b-0c1d2e3f4a5b',
  type: 'registry.child.registered',
  version: 2,
  source: 'registry',
  subject: 'child-1',
  sequence: 17,
  time: '2026-12-02T01:02:03.456Z',
  correlationId: '请求-42',
  traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
  data: { childId: 'child-1', regionCode: '430621100000' },
};

/** The record as a Kafka client hands it over: every header a Buffer. */
function received(headers: Record<string, string>, value: Buffer | null = toKafkaRecord(event).value) {
  return {
    key: Buffer.from(event.subject),
    value,
    headers: Object.fromEntries(Object.entries(headers).map(([name, v]) => [name, Buffer.from(v)])),
  };
}
const headers = () => toKafkaRecord(event).headers;

function problemsOf(message: Parameters<typeof fromKafkaRecord>[0]): string[] {
  try {
    fromKafkaRecord(message);
  } catch (error) {
    expect(error).toBeInstanceOf(EnvelopeError);
    return (error as EnvelopeError).problems;
  }
  throw new Error('expected the message to be refused');
}

describe('the event envelope on Kafka (CloudEvents binary mode)', () => {
  it('when an event is written and read back with Buffer headers, then every attribute and the data survive', () => {
    expect(fromKafkaRecord(received(headers()))).toEqual(event);
  });

  it('when the headers are strings, or a header is repeated, then the strings are read and the last value counts', () => {
    const h: Record<string, string | Buffer | Buffer[]> = { ...headers() };
    h.ce_sequence = [Buffer.from('3'), Buffer.from('18')];
    const read = fromKafkaRecord({ value: toKafkaRecord(event).value, headers: h });
    expect(read.sequence).toBe(18);
    expect(read.source).toBe('registry');
    expect(readHeader(h, 'ce_sequence')).toBe('18');
    expect(readHeader(h, 'absent')).toBe('');
    expect(headersToStrings(received(headers()).headers)).toEqual(headers());
  });

  it.each(['1.1', '1.00', '1', '', ' 1.0', '0.3'])(
    'when the specversion header reads "%s" (as bytes), then the record is refused naming it',
    (version) => {
      const h = headers();
      h.ce_specversion = version;
      expect(problemsOf(received(h))).toEqual(['header ce_specversion must be "1.0"']);
    },
  );

  it('when required headers are missing, the version is wrong and the body is not JSON, then every problem is named', () => {
    const h = headers();
    delete h.ce_id;
    delete h.ce_sequence;
    h.ce_specversion = '0.3';
    expect(problemsOf(received(h, Buffer.from('{not json')))).toEqual([
      'header ce_specversion must be "1.0"',
      'header ce_id is missing',
      'header ce_sequence is missing',
      expect.stringMatching(/^the body is not JSON/),
    ]);
    expect(problemsOf({ value: null, headers: received(headers()).headers })).toEqual(['the message has no body']);
  });

  it.each([
    ['ce_id', 'not-a-uuid', 'id: must be a UUID'],
    ['ce_type', 'ChildRegistered', 'type: event type must be "<producer>.<aggregate>.<past_tense_fact>"'],
    ['ce_schemaversion', '0', 'version: must be a positive integer'],
    ['ce_schemaversion', '1.5', 'version: must be a positive integer'],
    ['ce_schemaversion', ' 2', 'version: must be a positive integer'],
    ['ce_sequence', '-4', 'sequence: must be a positive integer'],
    ['ce_sequence', '1e3', 'sequence: must be a positive integer'],
    ['ce_time', '2026-13-01T00:00:00Z', 'time: must be an ISO 8601 date-time'],
    ['ce_time', '2026-12-02T24:00:00Z', 'time: must be an ISO 8601 date-time'],
    ['ce_time', '2026-12-02 01:02:03', 'time: must be an ISO 8601 date-time'],
  ])('when %s is "%s", then the envelope is refused with "%s"', (name, value, problem) => {
    expect(problemsOf(received({ ...headers(), [name]: value }))).toEqual([problem]);
  });

  it('when the time has an offset and the sequence is large, then they are accepted as written', () => {
    const read = fromKafkaRecord(
      received({ ...headers(), ce_time: '2026-12-02T09:02:03+08:00', ce_sequence: '9007199254740991' }),
    );
    expect(read.time).toBe('2026-12-02T09:02:03+08:00');
    expect(read.sequence).toBe(Number.MAX_SAFE_INTEGER);
  });
});
