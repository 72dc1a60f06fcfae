import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { ALL_EVENTS, ALL_TOPICS, findEvent } from '../../src/catalog.js';
import { dataJsonSchema } from '../../src/compat/json-schema.js';
import {
  decodeFixture,
  forbiddenFieldsInSchema,
  forbiddenFieldsInValue,
  readFixtures,
} from '../../src/compat/fixtures.js';
import { ZEventType } from '../../src/envelope.js';
import { eventKey } from '../../src/events.js';

const FIXTURES_DIR = fileURLToPath(new URL('../../fixtures', import.meta.url));
const fixtures = readFixtures(FIXTURES_DIR);
const keys = ALL_EVENTS.map((event) => eventKey(event.type, event.version));

describe('the event catalogue', () => {
  it('when topics are declared, then each has 3 partitions, keeps events for ever and owns its events', () => {
    expect(ALL_TOPICS.map((topic) => topic.name)).toEqual([
      'registry.child.v1',
      'registry.case.v1',
      'registry.report.v1',
      'facilities.facility.v1',
      'facilities.enrolment.v1',
      'facilities.activity.v1',
      'donations.donation.v1',
      'volunteers.volunteer.v1',
      'volunteers.event.v1',
      'gateway.audit.v1',
    ]);
    for (const topic of ALL_TOPICS) {
      expect(topic.partitions).toBe(3);
      expect(topic.retentionMs).toBe(-1);
      expect(topic.name.startsWith(`${topic.producer}.`)).toBe(true);
      for (const event of topic.events) expect(event.type.startsWith(`${topic.producer}.`)).toBe(true);
    }
  });

  it('when an event is looked up by type and version, then findEvent returns it, and nothing for an unknown version', () => {
    expect(findEvent('registry.child.registered', 1)?.topic).toBe('registry.child.v1');
    expect(findEvent('registry.child.registered', 2)).toBeUndefined();
    expect(new Set(keys).size).toBe(keys.length);
    for (const event of ALL_EVENTS) expect(ZEventType.safeParse(event.type).success).toBe(true);
  });

  it('when a schema is rendered as JSON Schema, then it declares no resident ID, phone, health or counselling-notes field', () => {
    for (const event of ALL_EVENTS) {
      expect({ event: event.type, fields: forbiddenFieldsInSchema(dataJsonSchema(event)) }).toEqual({
        event: event.type,
        fields: [],
      });
    }
  });

  it('when an event carries unknown fields, then its schema strips them (tolerant reader)', () => {
    const event = findEvent('facilities.activity.logged', 1);
    const sample = fixtures.find((fixture) => fixture.key === 'facilities.activity.logged@1');
    expect(event && sample).toBeTruthy();
    const parsed = event?.data.parse({ ...(sample?.record.body as object), notes: '不应出现' }) as Record<
      string,
      unknown
    >;
    expect(parsed).not.toHaveProperty('notes');
  });
});

describe('golden fixtures', () => {
  it('when the catalogue is listed, then every published event version has at least one fixture', () => {
    const covered = new Set(fixtures.map((fixture) => fixture.key));
    expect(keys.filter((key) => !covered.has(key))).toEqual([]);
  });

  it.each(fixtures.map((fixture) => [`${fixture.key}/${fixture.name}`, fixture] as const))(
    'when %s is decoded with fromKafkaRecord, then it parses with its schema and holds no personal-data field',
    (_name, fixture) => {
      const envelope = decodeFixture(fixture);
      expect(eventKey(envelope.type, envelope.version)).toBe(fixture.key);
      expect(fixture.record.key).toBe(envelope.subject);
      const definition = findEvent(envelope.type, envelope.version);
      expect(definition).toBeDefined();
      const parsed = definition?.data.safeParse(envelope.data);
      expect(parsed?.error?.issues ?? []).toEqual([]);
      // Parsing strips nothing: the fixture holds exactly the fields of the schema.
      expect(parsed?.data).toEqual(envelope.data);
      expect(forbiddenFieldsInValue(envelope.data)).toEqual([]);
    },
  );

  it('when a counselling session is logged, then its event carries attendees and no content', () => {
    const session = fixtures.find((fixture) => fixture.name === 'counselling-session-no-content.json');
    expect(Object.keys(session?.record.body as object).sort()).toEqual(
      [
        'activityId',
        'attendeeChildIds',
        'attendeeCount',
        'endsAt',
        'facilityId',
        'kind',
        'startsAt',
        'status',
        'title',
        'volunteerIds',
      ].sort(),
    );
  });

  it('when a field named like a resident ID or a phone is in a value, then the scanner finds it', () => {
    expect(
      forbiddenFieldsInValue({
        child: { residentId: 'x' },
        guardian: [{ phone: '1' }],
        diagnosis: 'y',
        counsellingNotes: 'z',
      }),
    ).toEqual(['child.residentId', 'guardian[].phone', 'diagnosis', 'counsellingNotes']);
  });
});
