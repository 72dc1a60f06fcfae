/**
 * The document's summer camp, end to end through HTTP and Kafka: the Youth League (共青团平江县委)
 * holds a camp for 28 left-behind children aged 8–14 from 平江县 and 岳阳县 at a children's home.
 * Children and the home become known only through their producers' events; 30 eligible children are
 * signed up at once (28 registered, 2 wait-listed), ineligible ones are refused with their reasons;
 * volunteers pass or fail the safeguarding gate; attendance and confirmed hours are recorded; what is
 * published carries the hosting home and the attendees, and never a phone or a clearance number.
 */
import { waitFor } from '@tongxin/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  cityAdmin,
  coordinator,
  facilitiesStandIn,
  manager,
  observeVolunteers,
  REGIONS,
  registryStandIn,
  startVolunteers,
  type Api,
  type RunningVolunteers,
} from './support/harness.js';

const ORG = 'pj-youth-league';
const PHONE = '13812345678';
const CLEARANCE_NUMBER = 'PJGA2026031500123';

describe('the Youth League summer camp', () => {
  let service: RunningVolunteers;
  let observer: Awaited<ReturnType<typeof observeVolunteers>>;
  let registry: ReturnType<typeof registryStandIn>;
  let facilities: ReturnType<typeof facilitiesStandIn>;
  let city: Api;
  let league: Api;
  let homeId: string;
  let eventId: string;
  const eligible: string[] = [];
  const ineligible: Record<string, string> = {};
  const vol: Record<string, string> = {};

  beforeAll(async () => {
    observer = await observeVolunteers();
    service = await startVolunteers('2026-06-01T02:00:00.000Z');
    registry = registryStandIn();
    facilities = facilitiesStandIn();
    city = await service.as(cityAdmin);
    league = await service.as(coordinator(ORG));

    homeId = await facilities.home({ name: '长丰村留守儿童之家', regionCode: REGIONS.pingjiangChangfeng });
    // 30 eligible children: left-behind, 8–13 on the camp's first day (2026-07-15), from both counties.
    const villages = [
      REGIONS.pingjiangFushou,
      REGIONS.pingjiangChangfeng,
      REGIONS.rongjiawanTangchong,
      REGIONS.rongjiawanHeping,
    ];
    eligible.push(
      ...(await registry.children(
        Array.from({ length: 30 }, (_, i) => ({
          name: `营员${String(i + 1).padStart(2, '0')}`,
          sex: i % 2 === 0 ? ('female' as const) : ('male' as const),
          birthDate: `${2013 + (i % 5)}-0${1 + (i % 9)}-1${i % 10}`,
          regionCode: villages[i % 4]!,
          categories: ['left_behind' as const],
        })),
      )),
    );
    ineligible.tooOld = await registry.child({ name: '超龄儿童', birthDate: '2011-07-14' }); // 15 on 2026-07-15
    ineligible.tooYoung = await registry.child({ name: '低龄儿童', birthDate: '2018-07-16' }); // 7
    ineligible.wrongCounty = await registry.child({ name: '汨罗儿童', regionCode: REGIONS.luochengVillage });
    ineligible.notLeftBehind = await registry.child({ name: '困境儿童', categories: ['in_difficulty'] });
    ineligible.exited = await registry.child({ name: '已退出儿童', status: 'exited' });
    await waitFor(
      async () =>
        (await service.models.Children.countDocuments({
          _id: { $in: [...eligible, ...Object.values(ineligible)] },
        })) === 35 && !!(await service.models.Homes.exists({ _id: homeId })),
      { timeoutMs: 30_000, message: 'children and the home to arrive through the projections' },
    );

    expect(
      (
        await city.post('/organisations', {
          organisationId: ORG,
          kind: 'youth_league',
          name: '共青团平江县委',
          regionCode: '430626',
        })
      ).status,
    ).toBe(201);
  });
  afterAll(async () => {
    await observer?.runner.stop();
    await registry?.close();
    await facilities?.close();
    await service?.close();
  });

  it('when the League publishes the camp at a home, then it is scheduled with its venue, roles and rules', async () => {
    const created = await league.post('/events', {
      organisationId: ORG,
      kind: 'summer_camp',
      title: '2026年“童心”暑期夏令营',
      startsOn: '2026-07-15',
      endsOn: '2026-07-21',
      venue: { kind: 'home', facilityId: homeId },
      capacity: 28,
      roles: [
        { name: '美术老师', slots: 2, requiredSkills: ['art'] },
        { name: '生活老师', slots: 4, requiredSkills: [] },
      ],
      eligibility: {
        regionPrefixes: [REGIONS.pingjiang, REGIONS.yueyangCounty],
        categories: ['left_behind'],
        minAge: 8,
        maxAge: 14,
      },
      registration: { opensOn: '2026-06-01', closesOn: '2026-07-10' },
      involvesChildren: true,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      kind: 'summer_camp',
      contractKind: 'summer_camp',
      venue: { kind: 'home', facilityId: homeId, name: '长丰村留守儿童之家' },
      regionCode: REGIONS.pingjiangChangfeng,
      capacity: 28,
      placesLeft: 28,
      status: 'scheduled',
      roles: [{ roleId: 'role-1', slots: 2, requiredSkills: ['art'] }, { roleId: 'role-2' }],
    });
    eventId = created.body.id;
  });

  it('when ineligible children are signed up, then each is refused with its reason', async () => {
    const cases: [string, string][] = [
      [ineligible.tooOld!, 'age_not_eligible'],
      [ineligible.tooYoung!, 'age_not_eligible'],
      [ineligible.wrongCounty!, 'region_not_eligible'],
      [ineligible.notLeftBehind!, 'category_not_eligible'],
      [ineligible.exited!, 'child_exited'],
      ['no-such-child', 'child_unknown'],
    ];
    for (const [childId, code] of cases) {
      const refused = await league.post(`/events/${eventId}/children`, { childId });
      expect(refused.status, code).toBe(422);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(refused.body.code).toBe(code);
      if (code !== 'child_unknown') expect(refused.body.reasons).toContain(code);
    }
  });

  it('when 30 eligible children are signed up at once for 28 places, then exactly 28 are registered and 2 wait-listed', async () => {
    const home = await service.as(manager(homeId));
    // Half by the League's coordinator, half by the hosting home's manager.
    const results = await Promise.all(
      eligible.map((childId, i) => (i % 2 === 0 ? league : home).post(`/events/${eventId}/children`, { childId })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(30).fill(201));
    expect(results.filter((r) => r.body.outcome === 'registered')).toHaveLength(28);
    const waitlisted = results.filter((r) => r.body.outcome === 'waitlisted');
    expect(waitlisted.map((r) => r.body.position).sort()).toEqual([1, 2]);
    const event = await league.get(`/events/${eventId}`);
    expect(event.body).toMatchObject({ registeredCount: 28, waitlistCount: 2, placesLeft: 0 });
    expect(
      new Set([...event.body.children, ...event.body.waitlist].map((c: { childId: string }) => c.childId)),
    ).toEqual(new Set(eligible));
    // A second sign-up of the same child is refused, not double-counted.
    const again = await league.post(`/events/${eventId}/children`, { childId: eligible[0] });
    expect(again.status).toBe(409);
    expect(['already_registered', 'already_waitlisted']).toContain(again.body.code);
  });

  it('when a registered child cancels, then the first on the wait-list is promoted', async () => {
    const before = (await league.get(`/events/${eventId}`)).body;
    const first = before.waitlist[0].childId as string;
    const leaving = before.children[0].childId as string;
    const cancelled = await league.post(`/events/${eventId}/children/${leaving}/cancel`, { reason: '家长接回外地' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.promoted).toBe(first);
    expect(cancelled.body.event).toMatchObject({ registeredCount: 28, waitlistCount: 1 });
    expect(cancelled.body.event.children.map((c: { childId: string }) => c.childId)).toContain(first);
    expect(cancelled.body.event.children.map((c: { childId: string }) => c.childId)).not.toContain(leaving);
  });

  it('when volunteers are assigned, then the uncleared, the untrained and the one whose clearance ends mid-camp are refused; the cleared and trained one is assigned', async () => {
    const register = async (name: string, displayName: string, skills: string[]) => {
      const res = await league.post('/volunteers', {
        organisationIds: [ORG],
        name,
        displayName,
        phone: PHONE,
        skills,
        availability: { periods: ['summer_holiday'] },
      });
      expect(res.status).toBe(201);
      return res.body.id as string;
    };
    vol.uncleared = await register('王小明', '王老师', ['art']);
    vol.untrained = await register('赵丽', '赵老师', ['art']);
    vol.midCamp = await register('钱进', '钱老师', ['art']);
    vol.cleared = await register('刘芳', '刘老师', ['art', 'music']);
    const clearance = (expiresOn: string) => ({
      documentType: 'no_criminal_record',
      number: CLEARANCE_NUMBER,
      issuedOn: '2026-03-15',
      expiresOn,
    });
    for (const id of [vol.untrained, vol.cleared])
      expect((await league.put(`/volunteers/${id}/clearance`, clearance('2027-03-14'))).status).toBe(200);
    expect((await league.put(`/volunteers/${vol.midCamp}/clearance`, clearance('2026-07-18'))).status).toBe(200);
    for (const id of [vol.midCamp, vol.cleared])
      expect(
        (await league.put(`/volunteers/${id}/training`, { completedOn: '2026-04-20', provider: '团县委' })).status,
      ).toBe(200);

    const assign = (volunteerId: string) =>
      league.post(`/events/${eventId}/volunteers`, { volunteerId, roleId: 'role-1' });
    const uncleared = await assign(vol.uncleared!);
    expect(uncleared.status).toBe(422);
    expect(uncleared.body.code).toBe('clearance_missing');
    const untrained = await assign(vol.untrained!);
    expect(untrained.body.code).toBe('training_missing');
    const midCamp = await assign(vol.midCamp!);
    expect(midCamp.status).toBe(422);
    expect(midCamp.body).toMatchObject({
      code: 'clearance_expires_during_event',
      clearanceExpiresOn: '2026-07-18',
      eventEndsOn: '2026-07-21',
    });
    const cleared = await assign(vol.cleared!);
    expect(cleared.status).toBe(201);
    expect(cleared.body.assignment).toMatchObject({ volunteerId: vol.cleared, roleId: 'role-1', via: 'coordinator' });
    expect(cleared.body.event.volunteers).toEqual([
      { volunteerId: vol.cleared, displayName: '刘老师', roleId: 'role-1', via: 'coordinator' },
    ]);
    // The clearance number is sealed at rest and never returned in full.
    const stored = JSON.stringify(await service.models.Volunteers.findById(vol.cleared).lean());
    expect(stored).not.toContain(CLEARANCE_NUMBER);
    expect(stored).not.toContain(PHONE);
    const read = await league.get(`/volunteers/${vol.cleared}`);
    expect(read.body.phone).toBe(PHONE);
    expect(read.body.safeguarding).toMatchObject({
      clearanceStatus: 'cleared',
      clearedForChildren: true,
      clearance: { number: '****0123', verifiedBy: `coordinator-${ORG}`, expiresOn: '2027-03-14' },
    });
  });

  it('when the camp runs, then attendance is taken on the day, hours are confirmed by the organiser and the camp is closed', async () => {
    const early = await league.post(`/events/${eventId}/attendance`, {
      on: '2026-07-15',
      childIds: [],
      volunteerIds: [],
    });
    expect(early.body.code).toBe('attendance_in_future');

    service.clock.set('2026-07-15T09:00:00.000Z');
    const event = (await league.get(`/events/${eventId}`)).body;
    const present = (event.children as { childId: string }[]).slice(0, 26).map((c) => c.childId);
    const taken = await league.post(`/events/${eventId}/attendance`, {
      on: '2026-07-15',
      childIds: present,
      volunteerIds: [vol.cleared],
    });
    expect(taken.status).toBe(201);
    const stranger = await league.post(`/events/${eventId}/attendance`, {
      on: '2026-07-15',
      childIds: [ineligible.tooOld],
      volunteerIds: [],
    });
    expect(stranger.body.code).toBe('not_a_participant');

    const notAttended = await league.post(`/events/${eventId}/hours`, {
      entries: [{ volunteerId: vol.uncleared, minutes: 60 }],
    });
    expect(notAttended.body.code).toBe('volunteer_not_attended');
    const hours = await league.post(`/events/${eventId}/hours`, {
      entries: [{ volunteerId: vol.cleared, minutes: 420 }],
    });
    expect(hours.status).toBe(201);
    expect(hours.body.event.hours).toMatchObject([
      { volunteerId: vol.cleared, minutes: 420, confirmedBy: `coordinator-${ORG}` },
    ]);

    service.clock.set('2026-07-21T12:00:00.000Z');
    const closed = await league.post(`/events/${eventId}/close`, { closedOn: '2026-07-21', outcome: 'completed' });
    expect(closed.status).toBe(200);
    expect(closed.body.status).toBe('closed');
    const late = await league.post(`/events/${eventId}/hours`, {
      entries: [{ volunteerId: vol.cleared, minutes: 480 }],
    });
    expect(late.body.code).toBe('event_closed');

    const certificate = await league.get(`/volunteers/${vol.cleared}/certificate`);
    expect(certificate.status).toBe(200);
    expect(certificate.body).toMatchObject({
      name: '刘芳',
      organisation: '共青团平江县委',
      totalMinutes: 420,
      totalHours: '7.0',
      entries: [{ eventId, title: '2026年“童心”暑期夏令营', minutes: 420 }],
    });
    const xlsx = await league.raw(`/volunteers/${vol.cleared}/certificate.xlsx`);
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
    expect(
      Buffer.from(await xlsx.arrayBuffer())
        .subarray(0, 2)
        .toString(),
    ).toBe('PK');
  });

  it('when a consumer reads volunteers.event.v1, then it sees the camp’s events with the hosting home and the attendees', async () => {
    const types = (list: { envelope: { type: string } }[]) => list.map((e) => e.envelope.type);
    const events = await waitFor(
      () => {
        const list = observer.about(eventId);
        return types(list).includes('volunteers.event.closed') && list;
      },
      { timeoutMs: 30_000, message: 'the camp’s events up to closed' },
    );
    expect(types(events)[0]).toBe('volunteers.event.created');
    // 28 children + 1 promoted + 1 volunteer.
    expect(types(events).filter((t) => t === 'volunteers.event.participant_registered')).toHaveLength(30);
    expect(types(events).slice(-3)).toEqual([
      'volunteers.event.attendance_recorded',
      'volunteers.event.hours_confirmed',
      'volunteers.event.closed',
    ]);
    const sequences = events.map((e) => e.envelope.sequence);
    expect([...sequences].sort((a, b) => a - b)).toEqual(sequences);
    for (const e of events) {
      expect(e.envelope.source).toBe('volunteers');
      expect(e.envelope.data).toMatchObject({
        eventId,
        organisationId: ORG,
        kind: 'summer_camp',
        facilityId: homeId,
        regionCode: REGIONS.pingjiangChangfeng,
      });
      // Children by id only: no names in the events.
      expect(e.raw).not.toContain('营员');
    }
    const attendance = events.find((e) => e.envelope.type === 'volunteers.event.attendance_recorded')!.envelope
      .data as {
      attendance: { on: string; childIds: string[]; volunteerIds: string[] };
      attendedChildIds: string[];
    };
    expect(attendance.attendance.on).toBe('2026-07-15');
    expect(attendance.attendance.childIds).toHaveLength(26);
    expect(attendance.attendance.volunteerIds).toEqual([vol.cleared]);
    expect(attendance.attendedChildIds).toHaveLength(26);
    const last = events.at(-1)!.envelope.data;
    expect(last).toMatchObject({
      status: 'closed',
      outcome: 'completed',
      closedOn: '2026-07-21',
      volunteerIds: [vol.cleared],
      attendedVolunteerIds: [vol.cleared],
      hours: [{ volunteerId: vol.cleared, minutes: 420 }],
    });
    expect((last as { childIds: string[] }).childIds).toHaveLength(28);
  });

  it('when a consumer reads volunteers.volunteer.v1, then it sees cleared yes/no and until when, and no phone, clearance number or full name', async () => {
    const about = await waitFor(
      () => {
        const list = observer.about(vol.cleared!);
        return list.length >= 3 && list;
      },
      { timeoutMs: 30_000 },
    );
    expect(about.map((e) => e.envelope.type)).toEqual([
      'volunteers.volunteer.registered',
      'volunteers.volunteer.clearance_changed',
      'volunteers.volunteer.clearance_changed',
    ]);
    expect(about[0]!.envelope.data).toEqual({
      volunteerId: vol.cleared,
      organisationId: ORG,
      displayName: '刘老师',
      clearance: { status: 'pending' },
      clearedForChildren: false,
    });
    expect(about[1]!.envelope.data).toMatchObject({
      clearance: { status: 'cleared', expiresOn: '2027-03-14' },
      clearedForChildren: false, // cleared, not yet trained
      previousStatus: 'pending',
    });
    expect(about[2]!.envelope.data).toMatchObject({
      clearance: { status: 'cleared', expiresOn: '2027-03-14' },
      clearedForChildren: true,
      previousStatus: 'cleared',
    });
    const uncleared = await waitFor(() => observer.about(vol.uncleared!).length >= 1 && observer.about(vol.uncleared!));
    expect(uncleared[0]!.envelope.data).toMatchObject({ clearance: { status: 'pending' }, clearedForChildren: false });
    const everything = observer.events.map((e) => e.raw).join('\n');
    expect(everything).not.toContain(PHONE);
    expect(everything).not.toContain('138****5678');
    expect(everything).not.toContain(CLEARANCE_NUMBER);
    expect(everything).not.toContain('刘芳');
    expect(everything).not.toMatch(/"(phone|number|name|skills)"/);
  });
});
