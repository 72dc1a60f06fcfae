/**
 * Who sees what, and bad input. A coordinator sees their own organisation's volunteers in full and
 * another organisation's volunteer with the phone masked and without the clearance document (not
 * 404: organisers must know who applies to their events); they cannot change it (403). County
 * officers read volunteers masked. Bad input is a clear 4xx naming the field or the rule.
 */
import { waitFor } from '@tongxin/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  cityAdmin,
  coordinator,
  countyOfficer,
  registryStandIn,
  startVolunteers,
  type Api,
  type RunningVolunteers,
} from './support/harness.js';

const PHONE = '13912345678';

describe('access and input', () => {
  let service: RunningVolunteers;
  let registry: ReturnType<typeof registryStandIn>;
  let women: Api;
  let school: Api;
  let volunteerId: string;
  let childId: string;

  const event = (overrides: Record<string, unknown> = {}) => ({
    organisationId: 'pj-women',
    kind: 'reading_session',
    title: '周末阅读会',
    startsOn: '2026-06-20',
    endsOn: '2026-06-20',
    venue: { kind: 'school', name: '安定镇中心小学', regionCode: '430626101' },
    capacity: 20,
    roles: [{ name: '阅读辅导', slots: 2, requiredSkills: ['tutoring'] }],
    registration: { opensOn: '2026-06-01', closesOn: '2026-06-10' },
    ...overrides,
  });

  beforeAll(async () => {
    service = await startVolunteers('2026-06-01T02:00:00.000Z');
    registry = registryStandIn();
    const city = await service.as(cityAdmin);
    for (const [organisationId, kind, name] of [
      ['pj-women', 'women_federation', '平江县妇联'],
      ['pj-school', 'school', '安定镇中心小学'],
    ])
      expect((await city.post('/organisations', { organisationId, kind, name, regionCode: '430626' })).status).toBe(
        201,
      );
    women = await service.as(coordinator('pj-women'));
    school = await service.as(coordinator('pj-school'));
    const created = await women.post('/volunteers', {
      organisationIds: ['pj-women'],
      name: '陈静',
      displayName: '陈老师',
      phone: '139 1234 5678',
      skills: ['tutoring'],
      userId: 'user-chen',
    });
    expect(created.status).toBe(201);
    volunteerId = created.body.id;
    expect(
      (
        await women.put(`/volunteers/${volunteerId}/clearance`, {
          documentType: 'no_criminal_record',
          number: 'AD20260501',
          issuedOn: '2026-05-01',
          expiresOn: '2026-07-20',
        })
      ).status,
    ).toBe(200);
    childId = await registry.child({ name: '周小雨', birthDate: '2016-03-01' });
    await waitFor(async () => !!(await service.models.Children.exists({ _id: childId })), { timeoutMs: 30_000 });
  });
  afterAll(async () => {
    await registry?.close();
    await service?.close();
  });

  it('when coordinators read volunteers, then only their own organisation sees the phone and the clearance document', async () => {
    const own = await women.get(`/volunteers/${volunteerId}`);
    expect(own.body).toMatchObject({ phone: PHONE, phoneMasked: false, userId: 'user-chen' });
    expect(own.body.safeguarding.clearance).toMatchObject({ documentType: 'no_criminal_record', number: '****0501' });

    const other = await school.get(`/volunteers/${volunteerId}`);
    expect(other.status).toBe(200);
    expect(other.body).toMatchObject({ displayName: '陈老师', phone: '139****5678', phoneMasked: true });
    expect(other.body.safeguarding).toMatchObject({ clearanceStatus: 'cleared', clearanceExpiresOn: '2026-07-20' });
    expect(other.body.safeguarding.clearance).toBeUndefined();
    expect(other.body.userId).toBeUndefined();
    expect(JSON.stringify(other.body)).not.toContain(PHONE);

    const county = await service.as(countyOfficer);
    expect((await county.get(`/volunteers/${volunteerId}`)).body.phone).toBe('139****5678');
    expect((await county.get('/volunteers')).body.items).toHaveLength(1);

    // Lists: a coordinator lists their own organisation's volunteers only.
    expect((await school.get('/volunteers')).body.items).toEqual([]);
    expect((await women.get('/volunteers')).body.items.map((v: { id: string }) => v.id)).toEqual([volunteerId]);
  });

  it('when a coordinator of another organisation tries to change a volunteer or act for another organisation, then 403', async () => {
    const clearance = await school.put(`/volunteers/${volunteerId}/clearance`, {
      documentType: 'no_criminal_record',
      number: 'X1234567',
      issuedOn: '2026-05-01',
      expiresOn: '2027-05-01',
    });
    expect(clearance.status).toBe(403);
    expect((await school.put(`/volunteers/${volunteerId}/training`, { completedOn: '2026-05-02' })).status).toBe(403);
    expect((await school.post('/events', event())).status).toBe(403);
    expect(
      (await school.post('/volunteers', { organisationIds: ['pj-women'], name: '某', displayName: '某', phone: PHONE }))
        .status,
    ).toBe(403);
    expect((await school.get(`/volunteers/${volunteerId}/certificate`)).status).toBe(404);
  });

  it('when an event is created with bad input, then each is a 400 naming the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ startsOn: '2026-06-20', endsOn: '2026-06-19' }, 'body.endsOn'],
      [{ capacity: 0 }, 'body.capacity'],
      [{ capacity: -5 }, 'body.capacity'],
      [{ capacity: 2.5 }, 'body.capacity'],
      [{ roles: [{ name: '围棋', slots: 1, requiredSkills: ['chess'] }] }, 'body.roles.0.requiredSkills.0'],
      [{ kind: 'picnic' }, 'body.kind'],
      [{ registration: { opensOn: '2026-06-10', closesOn: '2026-06-01' } }, 'body.registration.closesOn'],
      [{ eligibility: { minAge: 14, maxAge: 8 } }, 'body.eligibility.maxAge'],
      [{ venue: { kind: 'address', address: '某地', regionCode: '999999' } }, 'body.venue.regionCode'],
      [{ secret: true }, 'body.secret'],
    ];
    for (const [overrides, path] of cases) {
      const res = await women.post('/events', event(overrides));
      expect(res.status, JSON.stringify(overrides)).toBe(400);
      expect(res.body.code).toBe('validation_failed');
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    }
    const home = await women.post('/events', event({ venue: { kind: 'home', facilityId: 'no-such-home' } }));
    expect(home.status).toBe(422);
    expect(home.body.code).toBe('venue_unknown');
  });

  it('when a volunteer is registered with bad input, then 400 naming the field, and the phone is not echoed', async () => {
    const base = { organisationIds: ['pj-women'], name: '李四', displayName: '李老师', phone: PHONE };
    const skill = await women.post('/volunteers', { ...base, skills: ['juggling'] });
    expect(skill.status).toBe(400);
    expect(skill.body.errors[0].path).toBe('body.skills.0');
    const counselling = await women.post('/volunteers', { ...base, skills: ['counselling'] });
    expect(counselling.status).toBe(400);
    expect(counselling.body.errors[0].path).toBe('body.counsellingQualification');
    const qualified = await women.post('/volunteers', {
      ...base,
      skills: ['counselling'],
      counsellingQualification: { title: '心理咨询师（三级）', issuer: '湖南省人社厅', issuedOn: '2020-06-01' },
    });
    expect(qualified.status).toBe(201);
    const phone = await women.post('/volunteers', { ...base, phone: '1381234567' });
    expect(phone.status).toBe(400);
    expect(phone.body.errors[0].path).toBe('body.phone');
    expect(JSON.stringify(phone.body)).not.toContain('1381234567');
    const dates = await women.put(`/volunteers/${volunteerId}/clearance`, {
      documentType: 'no_criminal_record',
      number: 'AD20260501',
      issuedOn: '2026-05-01',
      expiresOn: '2026-04-01',
    });
    expect(dates.status).toBe(400);
    expect(dates.body.code).toBe('clearance_dates_invalid');
  });

  it('when a child is signed up after the registration window, then 409 registration_closed', async () => {
    const created = await women.post('/events', event());
    expect(created.status).toBe(201);
    expect(created.body.contractKind).toBe('class');
    const id = created.body.id as string;
    expect((await women.post(`/events/${id}/children`, { childId })).body.outcome).toBe('registered');
    service.clock.set('2026-06-11T02:00:00.000Z');
    try {
      const late = await women.post(`/events/${id}/children`, { childId: await registry.child({}) });
      expect(late.status).toBe(409);
      expect(late.body).toMatchObject({ code: 'registration_closed', closesOn: '2026-06-10' });
      // Another organisation's coordinator cannot sign up children for it.
      expect((await school.post(`/events/${id}/children`, { childId })).status).toBe(403);
      // Nor see the children's names.
      const seen = await school.get(`/events/${id}`);
      expect(seen.body.registeredCount).toBe(1);
      expect(seen.body.children).toBeUndefined();
    } finally {
      service.clock.set('2026-06-01T02:00:00.000Z');
    }
  });

  it('when a volunteer applies themself, then the same gates apply; an event without children needs no clearance', async () => {
    const reading = await women.post('/events', event());
    const id = reading.body.id as string;
    const self = await service.as({ sub: 'user-chen', name: '陈静', roles: ['volunteer_coordinator'] });
    const noTraining = await self.post(`/events/${id}/applications`, { volunteerId, roleId: 'role-1' });
    expect(noTraining.status).toBe(422);
    expect(noTraining.body.code).toBe('training_missing');
    expect((await women.put(`/volunteers/${volunteerId}/training`, { completedOn: '2026-05-20' })).status).toBe(200);
    const applied = await self.post(`/events/${id}/applications`, { volunteerId, roleId: 'role-1' });
    expect(applied.status).toBe(201);
    expect(applied.body.assignment).toMatchObject({ via: 'self', volunteerId });
    const stranger = await service.as({ sub: 'someone', name: '某人', roles: ['volunteer_coordinator'] });
    expect((await stranger.post(`/events/${id}/applications`, { volunteerId, roleId: 'role-1' })).status).toBe(404);

    // A donation ceremony without children: an uncleared volunteer may help; the role's skill still counts.
    const plain = await women.post('/volunteers', {
      organisationIds: ['pj-women'],
      name: '孙五',
      displayName: '孙先生',
      phone: PHONE,
      skills: ['music'],
    });
    const ceremony = await women.post(
      '/events',
      event({
        kind: 'donation_ceremony',
        involvesChildren: false,
        roles: [
          { name: '礼仪', slots: 1, requiredSkills: [] },
          { name: '辅导', slots: 1, requiredSkills: ['tutoring'] },
        ],
      }),
    );
    expect(ceremony.body.contractKind).toBe('other');
    const wrongSkill = await women.post(`/events/${ceremony.body.id}/volunteers`, {
      volunteerId: plain.body.id,
      roleId: 'role-2',
    });
    expect(wrongSkill.body).toMatchObject({ code: 'skill_missing', missingSkills: ['tutoring'] });
    const ok = await women.post(`/events/${ceremony.body.id}/volunteers`, {
      volunteerId: plain.body.id,
      roleId: 'role-1',
    });
    expect(ok.status).toBe(201);
  });

  it('when clearances near their expiry, then the renewals list shows them within CLEARANCE_RENEWAL_DAYS (60 by default)', async () => {
    const add = async (expiresOn: string) => {
      const v = await women.post('/volunteers', {
        organisationIds: ['pj-women'],
        name: '周六',
        displayName: `周老师${expiresOn}`,
        phone: PHONE,
      });
      await women.put(`/volunteers/${v.body.id}/clearance`, {
        documentType: 'no_criminal_record',
        number: 'R12345678',
        issuedOn: '2026-01-01',
        expiresOn,
      });
      return v.body.id as string;
    };
    const soon = await add('2026-07-01');
    const later = await add('2026-10-01');
    const list = await women.get('/clearance-renewals');
    expect(list.status).toBe(200);
    expect(list.body.days).toBe(60);
    const ids = list.body.items.map((i: { volunteerId: string }) => i.volunteerId);
    expect(ids).toContain(soon);
    expect(ids).toContain(volunteerId); // expires 2026-07-20
    expect(ids).not.toContain(later);
    expect(list.body.items[0]).toMatchObject({ volunteerId: soon, daysLeft: 30, expiresOn: '2026-07-01' });
    expect(JSON.stringify(list.body)).not.toContain('R12345678');
    const wider = await women.get('/clearance-renewals?days=150');
    expect(wider.body.items.map((i: { volunteerId: string }) => i.volunteerId)).toContain(later);
    expect((await school.get('/clearance-renewals')).body.items).toEqual([]);
  });

  it('when a request has no token, then 401', async () => {
    const res = await fetch(`${service.url}/volunteers`);
    expect(res.status).toBe(401);
  });
});
