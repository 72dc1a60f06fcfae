/**
 * The register through HTTP and Kafka on the real stack: registering, reading (masked, revealed,
 * audited), derived categories with their explanation, updates, duplicates, scope, bad input, and
 * the events of a child's life consumed by a second consumer group.
 */
import { waitFor } from '@tongxin/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  collectRegistryEvents,
  countyOfficer,
  leftBehindChild,
  LOUQU_COMMUNITY,
  residentId,
  startRegistry,
  testClock,
  townshipOfficer,
  type Api,
  type RunningRegistry,
} from './support/harness.js';

describe('the register', () => {
  let registry: RunningRegistry;
  let county: Api;
  let township: Api;
  let observer: Awaited<ReturnType<typeof collectRegistryEvents>>;
  const clock = testClock('2026-11-30T02:00:00.000Z');

  beforeAll(async () => {
    observer = await collectRegistryEvents();
    await observer.runner.start();
    registry = await startRegistry({ clock });
    county = await registry.as(countyOfficer());
    township = await registry.as(townshipOfficer());
  });
  afterAll(async () => {
    await observer?.runner.stop();
    await registry?.close();
  });

  it('when a left-behind child is registered, then categories are derived with their explanation and the ID is masked', async () => {
    const input = leftBehindChild();
    const created = await township.post('/children', input);
    expect(created.status).toBe(201);
    expect(created.body.categories).toEqual(['left_behind']);
    expect(created.body.difficultyTypes).toEqual([]);
    expect(created.body.idNumber).toMatch(/^430626\*{8}\d{3}[\dX]$/);
    expect(created.body.idNumber).not.toBe(input.idNumber);
    expect(created.body.parents[0].phone).toBe('138****5678');
    const rules = Object.fromEntries(
      created.body.explanation.map((r: { rule: string; met: boolean }) => [r.rule, r.met]),
    );
    expect(rules).toMatchObject({
      'left_behind.under_16': true,
      'left_behind.rural': true,
      'left_behind.both_parents_migrant': true,
      'in_difficulty.orphan': false,
    });
    expect(created.body.explanation.find((r: { rule: string }) => r.rule === 'left_behind.under_16').zh).toBe(
      '未满16周岁',
    );
    expect(created.body.reviewOn).toBe('2030-05-01');

    // Stored sealed: the database holds no clear ID number or phone.
    const stored = await registry.models.Children.collection.findOne({ _id: created.body.id });
    const text = JSON.stringify(stored);
    expect(text).not.toContain(input.idNumber);
    expect(text).not.toContain('13812345678');

    // Revealed to an officer who asks, and audited as an identity read.
    const revealed = await county.get(`/children/${created.body.id}?reveal=idNumber`);
    expect(revealed.status).toBe(200);
    expect(revealed.body.idNumber).toBe(input.idNumber);
    const audits = await registry.db.connection.collection('audit_log').find({ resourceId: created.body.id }).toArray();
    expect(audits.map((a) => `${a.action}:${a.resource}`)).toEqual(
      expect.arrayContaining(['create:child', 'read:child_identity']),
    );
  });

  it('when facts change, then categories are re-derived: a mother back home makes the child no longer left behind', async () => {
    const created = (await township.post('/children', leftBehindChild({ name: '周小军', sex: 'male' }))).body;
    const changed = await township.patch(`/children/${created.id}`, {
      expectedSequence: created.sequence,
      parents: [
        { relation: 'father', status: 'migrant_worker', workPlace: '浙江杭州' },
        { relation: 'mother', status: 'at_home' },
      ],
    });
    expect(changed.status).toBe(200);
    expect(changed.body.categories).toEqual([]);
    // A stale sequence is refused, naming the current one.
    const stale = await township.patch(`/children/${created.id}`, { expectedSequence: created.sequence, address: 'x' });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('stale_child');
    expect(stale.body.currentSequence).toBe(changed.body.sequence);
  });

  it('when departments change one child at the same moment, then every change is applied, one after another', async () => {
    const created = (await township.post('/children', leftBehindChild({ name: '李小雨', sex: 'female' }))).body;
    // What imports and case resolutions do: change without pinning a sequence.
    const addresses = Array.from({ length: 8 }, (_, i) => `平江县福寿山镇第${i + 1}组`);
    const changed = await Promise.all(
      addresses.map((address) => registry.children.change(created.id, (facts) => ({ ...facts, address }))),
    );
    expect(changed.map((c) => c.sequence).sort((a, b) => a - b)).toEqual(
      addresses.map((_, i) => created.sequence + i + 1),
    );
    const stored = await registry.models.Children.findById(created.id).lean();
    expect(stored!.sequence).toBe(created.sequence + addresses.length);
  });

  it('when a child is in difficulty, then each difficulty type that holds is listed', async () => {
    const child = leftBehindChild({
      name: '陈思',
      parents: [
        { relation: 'father', status: 'imprisoned' },
        { relation: 'mother', status: 'missing' },
      ],
      assistance: ['dibao'],
      health: { status: 'disability', disabilityCategory: 'hearing', disabilityGrade: 2 },
    });
    const created = await township.post('/children', child);
    expect(created.status).toBe(201);
    expect(created.body.categories).toEqual(['in_difficulty']);
    expect(created.body.difficultyTypes).toEqual([
      'economic_hardship',
      'disability_or_illness',
      'de_facto_unsupported',
      'parent_imprisoned',
    ]);
  });

  it('when the same resident ID is registered twice, then the second is 409 and names the existing child', async () => {
    const input = leftBehindChild({ name: '赵一' });
    const first = await township.post('/children', input);
    const second = await township.post('/children', { ...input, name: '赵壹' });
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('child_already_registered');
    expect(second.body.childId).toBe(first.body.id);
    expect(second.headers.get('content-type')).toContain('application/problem+json');
  });

  it('when input is bad, then 400 names each field and nothing is stored', async () => {
    const before = await registry.models.Children.countDocuments();
    const good = leftBehindChild();
    const badId = `${good.idNumber.slice(0, 17)}${good.idNumber.endsWith('1') ? '2' : '1'}`;
    const bad = await township.post('/children', {
      ...good,
      idNumber: badId,
      birthDate: '2015-02-30',
      regionCode: '430626101999',
      unknownField: 1,
    });
    expect(bad.status).toBe(400);
    const paths = bad.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['body.idNumber', 'body.birthDate', 'body.regionCode']));
    expect(JSON.stringify(bad.body)).not.toContain(badId);
    expect(await registry.models.Children.countDocuments()).toBe(before);
  });

  it('when a child is outside the caller’s region, then it answers 404 like a missing one', async () => {
    const created = (await township.post('/children', leftBehindChild({ name: '孙悦' }))).body;
    const elsewhere = await registry.as(townshipOfficer(['430602001']));
    expect((await elsewhere.get(`/children/${created.id}`)).status).toBe(404);
    expect((await elsewhere.get('/children/no-such-child')).status).toBe(404);
    // Registering outside one's own region is refused the same way.
    const outside = await township.post('/children', leftBehindChild({ regionCode: LOUQU_COMMUNITY }));
    expect(outside.status).toBe(404);
    const listed = await elsewhere.get('/children');
    expect(listed.body.items.map((c: { id: string }) => c.id)).not.toContain(created.id);
    // Roles outside the register never read it.
    const manager = await registry.as({ sub: 'm1', name: '经理', roles: ['facility_manager'], facilities: ['f1'] });
    expect((await manager.get(`/children/${created.id}`)).status).toBe(403);
  });

  it("when a child's life goes on, then a second consumer group sees registered → categorised → guardian assigned → aged out, on the birthday", async () => {
    // Turns 16 on 2026-12-02; unsupervised at first.
    const birthDate = '2010-12-02';
    const created = await township.post(
      '/children',
      leftBehindChild({
        name: '刘洋',
        sex: 'male',
        birthDate,
        idNumber: residentId(birthDate, 'male'),
        guardian: undefined,
        supervision: 'unsupervised',
      }),
    );
    expect(created.status).toBe(201);
    expect(created.body.categories).toEqual(['left_behind']);
    expect(created.body.reviewOn).toBe('2026-12-02');
    const childId = created.body.id as string;

    const opened = await township.post('/cases', {
      childId,
      caseType: 'guardian_assignment',
      ownerDepartment: 'civil_affairs',
      note: '走访发现无人监护',
    });
    expect(opened.status).toBe(201);
    const resolved = await township.post(`/cases/${opened.body.id}/resolve`, {
      note: '委托其伯父监护',
      resolution: {
        guardian: { kind: 'other_relative', name: '刘大海', relation: 'uncle_or_aunt', capacity: 'capable' },
      },
    });
    expect(resolved.status).toBe(200);
    const child = await township.get(`/children/${childId}`);
    expect(child.body.supervision).toBe('supervised');
    expect(child.body.guardian).toMatchObject({ name: '刘大海', relation: 'uncle_or_aunt' });

    // The day after the 16th birthday the daily review runs.
    clock.set('2026-12-03T02:00:00.000Z');
    const review = await (
      await registry.as({ sub: 'admin', name: '管理员', roles: ['city_admin'] })
    ).post('/admin/age-review', {});
    expect(review.status).toBe(200);
    expect(review.body.exited).toBeGreaterThanOrEqual(1);
    const after = await township.get(`/children/${childId}`);
    expect(after.body).toMatchObject({
      status: 'exited',
      exitReason: 'aged_out',
      exitedOn: '2026-12-02',
      categories: [],
    });

    const types = await waitFor(
      () => {
        const seen = observer.about(childId).map((e) => e.type);
        return seen.includes('registry.child.exited') && seen;
      },
      { timeoutMs: 30_000, message: 'the child events to reach the observer' },
    );
    expect(types).toEqual([
      'registry.child.registered',
      'registry.child.categorised',
      'registry.child.guardian_assigned',
      'registry.child.categorised',
      'registry.child.exited',
    ]);
    const events = observer.about(childId);
    expect(events.map((e) => e.sequence)).toEqual([1, 2, 3, 4, 5]);
    expect(events[2]!.data).toMatchObject({ supervision: 'supervised', guardian: { kind: 'other_relative' } });
    const agedOut = events.at(-2)!.data as { categories: string[]; effectiveOn: string; previousCategories: string[] };
    expect(agedOut).toMatchObject({ categories: [], previousCategories: ['left_behind'], effectiveOn: '2026-12-02' });
    // Events never carry the ID number, phones or health details.
    const payload = JSON.stringify(events);
    expect(payload).not.toMatch(/\d{17}[\dX]/);
    expect(payload).not.toContain('health');
    clock.set('2026-11-30T02:00:00.000Z');
  });
});
