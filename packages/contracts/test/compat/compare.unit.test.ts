import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import { ALL_EVENTS } from '../../src/catalog.js';
import { compareCatalogues, compareSchemas, type Change } from '../../src/compat/compare.js';
import { currentSchemas } from '../../src/compat/check.js';
import { dataJsonSchema } from '../../src/compat/json-schema.js';
import { defineEvent, type EventDefinition } from '../../src/events.js';
import { ChildRegistered, ZChildRegisteredData } from '../../src/registry/index.js';
import { ActivityLogged, ZActivityLoggedData } from '../../src/facilities/index.js';

const published = currentSchemas(ALL_EVENTS);

/** The real catalogue with one definition replaced: what a developer's edit would produce. */
function catalogueWith(original: EventDefinition, replacement: EventDefinition): EventDefinition[] {
  return ALL_EVENTS.map((event) => (event === original ? replacement : event));
}
const changesFor = (events: EventDefinition[]): Change[] => compareCatalogues(published, currentSchemas(events));
const breaking = (changes: Change[]) => changes.filter((change) => change.severity === 'breaking');
const additive = (changes: Change[]) => changes.filter((change) => change.severity === 'additive');
const withData = (original: EventDefinition, data: z.ZodType): EventDefinition => defineEvent({ ...original, data });

describe('compareCatalogues on the real definitions', () => {
  it('when nothing changed, then nothing is reported', () => {
    expect(compareCatalogues(published, currentSchemas(ALL_EVENTS))).toEqual([]);
  });

  it('when a property is removed, then it is breaking and names the event and field', () => {
    const changes = changesFor(
      catalogueWith(ChildRegistered, withData(ChildRegistered, ZChildRegisteredData.omit({ birthDate: true }))),
    );
    expect(breaking(changes)).toEqual([
      {
        severity: 'breaking',
        event: 'registry.child.registered@1',
        path: 'birthDate',
        message: 'property removed (it was required)',
      },
    ]);
  });

  it('when a property is retyped, then it is breaking with the old and new type', () => {
    const retyped = ZActivityLoggedData.extend({ attendeeCount: z.string() });
    const [change, ...rest] = breaking(changesFor(catalogueWith(ActivityLogged, withData(ActivityLogged, retyped))));
    expect(rest).toEqual([]);
    expect(change).toMatchObject({ event: 'facilities.activity.logged@1', path: 'attendeeCount' });
    expect(change?.message).toBe('type changed from integer to string');
  });

  it('when a nested item type changes, then the path goes through the array', () => {
    const retyped = ZActivityLoggedData.extend({ attendeeChildIds: z.array(z.number().int()) });
    expect(breaking(changesFor(catalogueWith(ActivityLogged, withData(ActivityLogged, retyped))))).toEqual([
      expect.objectContaining({ path: 'attendeeChildIds[]', message: 'type changed from string to integer' }),
    ]);
  });

  it('when a new required property appears, then it is breaking: published events lack it', () => {
    const changes = changesFor(
      catalogueWith(ChildRegistered, withData(ChildRegistered, ZChildRegisteredData.extend({ ethnicity: z.string() }))),
    );
    expect(breaking(changes)).toEqual([
      expect.objectContaining({
        path: 'ethnicity',
        message: 'new required property: events already published without it would be rejected',
      }),
    ]);
  });

  it('when an event type is renamed, then the old type disappearing is breaking and the new one additive', () => {
    const renamed = defineEvent({ ...ChildRegistered, type: 'registry.child.enrolled_on_register' });
    const changes = changesFor(catalogueWith(ChildRegistered, renamed));
    expect(breaking(changes)).toEqual([
      expect.objectContaining({
        event: 'registry.child.registered@1',
        path: '(event)',
        message: expect.stringContaining('disappeared'),
      }),
    ]);
    expect(additive(changes)).toEqual([expect.objectContaining({ event: 'registry.child.enrolled_on_register@1' })]);
  });

  it('when an enum loses or gains a value, then it is breaking: old readers reject the new value', () => {
    const fewer = ZChildRegisteredData.extend({ supervision: z.enum(['supervised']) });
    expect(breaking(changesFor(catalogueWith(ChildRegistered, withData(ChildRegistered, fewer))))).toEqual([
      expect.objectContaining({
        path: 'supervision',
        message: expect.stringContaining('enum lost value(s) "unsupervised"'),
      }),
    ]);
    const more = ZChildRegisteredData.extend({
      supervision: z.enum(['supervised', 'unsupervised', 'partly_supervised']),
    });
    const changes = changesFor(catalogueWith(ChildRegistered, withData(ChildRegistered, more)));
    expect(additive(changes)).toEqual([]);
    expect(breaking(changes)).toEqual([
      expect.objectContaining({ path: 'supervision', message: expect.stringContaining('"partly_supervised"') }),
    ]);
  });

  it('when a required property becomes optional, then it is breaking: old consumers require it', () => {
    const loosened = ZChildRegisteredData.extend({ sex: ZChildRegisteredData.shape.sex.optional() });
    expect(breaking(changesFor(catalogueWith(ChildRegistered, withData(ChildRegistered, loosened))))).toEqual([
      expect.objectContaining({ path: 'sex', message: expect.stringContaining('became optional') }),
    ]);
  });

  it('when a pattern or a length is tightened, then it is breaking', () => {
    const tighter = ZChildRegisteredData.extend({
      name: z.string().min(2).max(64),
      regionCode: z.string().regex(/^430626\d{6}$/),
    });
    const changes = breaking(changesFor(catalogueWith(ChildRegistered, withData(ChildRegistered, tighter))));
    expect(changes.map((change) => [change.path, change.message])).toEqual([
      ['name', 'minLength tightened from 1 to 2'],
      ['regionCode', expect.stringMatching(/^pattern changed from .* to .*430626/)],
    ]);
  });

  it('when only an optional property is added, then the change is additive and nothing breaks', () => {
    const added = ZChildRegisteredData.extend({ ethnicity: z.string().optional() });
    const changes = changesFor(catalogueWith(ChildRegistered, withData(ChildRegistered, added)));
    expect(changes).toEqual([
      {
        severity: 'additive',
        event: 'registry.child.registered@1',
        path: 'ethnicity',
        message: 'optional property added',
      },
    ]);
  });

  it('when an event moves to another topic, then it is breaking', () => {
    const moved = defineEvent({ ...ChildRegistered, topic: 'registry.child.v2' });
    expect(breaking(changesFor(catalogueWith(ChildRegistered, moved)))).toEqual([
      expect.objectContaining({ message: 'topic changed from registry.child.v1 to registry.child.v2' }),
    ]);
  });
});

describe('compareSchemas on unions', () => {
  it('when a field becomes nullable, then the widened type is breaking for consumers of the version', () => {
    const before = dataJsonSchema(defineEvent({ ...ChildRegistered, data: z.object({ a: z.string() }) }));
    const after = dataJsonSchema(defineEvent({ ...ChildRegistered, data: z.object({ a: z.string().nullable() }) }));
    expect(compareSchemas('x@1', before, after)).toEqual([
      expect.objectContaining({
        severity: 'breaking',
        path: 'a',
        message: 'type changed from string to null | string',
      }),
    ]);
  });
});
