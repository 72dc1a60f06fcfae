/**
 * A children's home through HTTP and Kafka on the real stack: opened, equipped and funded; children
 * known through the register's events become enrollable; activities logged idempotently, corrected
 * with history, checked; personal files and counselling records kept out of events and audited; an
 * evaluation computed from a month of activities.
 */
import { createHash, randomUUID } from 'node:crypto';

import { waitFor } from '@tongxin/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  CHANGFENG_VILLAGE,
  countyOfficer,
  LOUQU_COMMUNITY,
  manager,
  donationsStandIn,
  observeFacilities,
  volunteersStandIn,
  registryStandIn,
  startFacilities,
  type Api,
  type RunningFacilities,
} from './support/harness.js';

const photo = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;

describe('a children’s home', () => {
  let facilities: RunningFacilities;
  let officer: Api;
  let registry: ReturnType<typeof registryStandIn>;
  let observer: Awaited<ReturnType<typeof observeFacilities>>;
  let home: { id: string; sequence: number };
  let managerApi: Api;
  const children: string[] = [];

  beforeAll(async () => {
    observer = await observeFacilities();
    facilities = await startFacilities('2026-06-30T10:00:00.000Z');
    officer = await facilities.as(countyOfficer);
    registry = registryStandIn();
    const opened = await officer.post('/facilities', {
      code: `PJ-${randomUUID().slice(0, 6)}`,
      name: '安定镇中心小学留守儿童之家',
      kind: 'school_based',
      hostSchool: '安定镇中心小学',
      regionCode: CHANGFENG_VILLAGE,
      address: '平江县安定镇长丰村',
      openedOn: '2017-09-01',
      managers: ['manager-1'],
      openingHours: '周一至周五 16:00-18:00，周六 9:00-11:00',
      capacity: 60,
    });
    expect(opened.status).toBe(201);
    home = opened.body;
    managerApi = await facilities.as(manager(home.id));
    for (const name of ['李小红', '王小明', '陈静']) children.push(await registry.child({ name }));
    await waitFor(async () => (await facilities.models.Children.countDocuments({ _id: { $in: children } })) === 3, {
      timeoutMs: 30_000,
      message: 'the register’s children to reach the projection',
    });
    for (const childId of children) {
      const enrolled = await managerApi.post(`/facilities/${home.id}/children`, { childId, enrolledOn: '2026-03-01' });
      expect(enrolled.status).toBe(201);
    }
  });
  afterAll(async () => {
    await observer?.runner.stop();
    await registry?.close();
    await facilities?.close();
  });

  it('when a home is equipped and funded, then it shows its rooms and the total in fen and yuan, and says so in events', async () => {
    const equipped = await managerApi.patch(`/facilities/${home.id}`, {
      expectedSequence: home.sequence,
      equipment: [
        { kind: 'counselling_room', quantity: 1 },
        { kind: 'sand_tray_room', quantity: 1 },
        { kind: 'reading_corner', name: '图书角', quantity: 1 },
        { kind: 'computers', quantity: 6 },
        { kind: 'internet', quantity: 1 },
        { kind: 'video_chat', name: '亲情视频电话', quantity: 2 },
      ],
    });
    expect(equipped.status).toBe(200);
    // A manager may not rename the home.
    const rename = await managerApi.patch(`/facilities/${home.id}`, {
      expectedSequence: equipped.body.sequence,
      name: 'x',
    });
    expect(rename.status).toBe(403);
    await officer.post(`/facilities/${home.id}/funding`, {
      amountFen: 2_000_000,
      source: 'provincial_fund',
      receivedOn: '2018-05-10',
    });
    const funded = await officer.post(`/facilities/${home.id}/funding`, {
      amountFen: 50_050,
      source: 'donation',
      receivedOn: '2018-06-01',
      note: '爱心企业捐赠',
    });
    expect(funded.body).toMatchObject({ totalFundingFen: 2_050_050, totalFundingYuan: '20,500.50' });
    expect(
      (
        await officer.post(`/facilities/${home.id}/funding`, {
          amountFen: 12.5,
          source: 'other',
          receivedOn: '2018-06-01',
        })
      ).status,
    ).toBe(400);
    const types = await waitFor(() => {
      const seen = observer.about(home.id).map((e) => e.envelope.type);
      return seen.filter((t) => t.endsWith('funding_recorded')).length >= 2 && seen;
    });
    expect(types[0]).toBe('facilities.facility.opened');
    const last = observer.about(home.id).at(-1)!.envelope.data as { totalFundingFen: number };
    expect(last.totalFundingFen).toBe(2_050_050);
  });

  it('when a child from the register is enrolled, then only active children of the home’s county are accepted', async () => {
    const listed = await managerApi.get(`/facilities/${home.id}/children`);
    expect(listed.body.items.map((c: { name: string }) => c.name).sort()).toEqual(['李小红', '王小明', '陈静'].sort());

    const unknown = await managerApi.post(`/facilities/${home.id}/children`, {
      childId: randomUUID(),
      enrolledOn: '2026-06-01',
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.code).toBe('child_unknown');

    const elsewhere = await registry.child({ name: '城里孩子', regionCode: LOUQU_COMMUNITY });
    const exited = await registry.child({ name: '已退出', status: 'exited' });
    await waitFor(
      async () => (await facilities.models.Children.countDocuments({ _id: { $in: [elsewhere, exited] } })) === 2,
    );
    const outside = await managerApi.post(`/facilities/${home.id}/children`, {
      childId: elsewhere,
      enrolledOn: '2026-06-01',
    });
    expect(outside.body.code).toBe('child_outside_county');
    const gone = await managerApi.post(`/facilities/${home.id}/children`, {
      childId: exited,
      enrolledOn: '2026-06-01',
    });
    expect(gone.body.code).toBe('child_not_active');
    const twice = await managerApi.post(`/facilities/${home.id}/children`, {
      childId: children[0],
      enrolledOn: '2026-06-01',
    });
    expect(twice.status).toBe(409);
  });

  it('when the same activity is logged twice with the same id or key, then it is stored once; a different activity under that id is refused', async () => {
    const activityId = randomUUID();
    const activity = {
      activityId,
      kind: 'birthday_party',
      title: '六月集体生日会',
      startsAt: '2026-06-20T15:00:00+08:00',
      endsAt: '2026-06-20T16:30:00+08:00',
      place: '儿童之家活动室',
      attendeeChildIds: children,
      staff: ['张老师'],
      photoRefs: [photo('cake.jpg')],
    };
    const first = await managerApi.post(`/facilities/${home.id}/activities`, activity);
    const second = await managerApi.post(`/facilities/${home.id}/activities`, activity);
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.body.id).toBe(activityId);
    expect(await facilities.models.Activities.countDocuments({ _id: activityId })).toBe(1);
    const clash = await managerApi.post(`/facilities/${home.id}/activities`, { ...activity, title: '另一个活动' });
    expect(clash.status).toBe(409);
    expect(clash.body.code).toBe('idempotency_conflict');

    const keyed = { ...activity, activityId: undefined, title: '亲情视频通话', kind: 'family_video_call' };
    const key = { 'idempotency-key': `phone-${randomUUID()}` };
    const a = await managerApi.post(`/facilities/${home.id}/activities`, keyed, key);
    const b = await managerApi.post(`/facilities/${home.id}/activities`, keyed, key);
    expect([a.status, b.status]).toEqual([201, 200]);
    expect(b.body.id).toBe(a.body.id);

    const logged = await waitFor(() => {
      const events = observer.about(activityId);
      return events.length > 0 && events;
    });
    await waitFor(() => observer.about(a.body.id).length > 0);
    expect(logged.map((e) => e.envelope.type)).toEqual(['facilities.activity.logged']);
  });

  it('when an attendee is not enrolled here, or the input is bad, then a clear 4xx names the problem', async () => {
    const base = {
      kind: 'reading',
      title: '读书会',
      startsAt: '2026-06-21T09:00:00+08:00',
      endsAt: '2026-06-21T10:00:00+08:00',
      attendeeChildIds: [children[0]],
    };
    const stranger = randomUUID();
    const notEnrolled = await managerApi.post(`/facilities/${home.id}/activities`, {
      ...base,
      attendeeChildIds: [children[0], stranger],
    });
    expect(notEnrolled.status).toBe(422);
    expect(notEnrolled.body).toMatchObject({ code: 'attendee_not_enrolled', childIds: [stranger] });

    const unknownKind = await managerApi.post(`/facilities/${home.id}/activities`, { ...base, kind: 'karaoke' });
    expect(unknownKind.status).toBe(400);
    expect(unknownKind.body.errors[0].path).toBe('body.kind');

    const backwards = await managerApi.post(`/facilities/${home.id}/activities`, {
      ...base,
      endsAt: '2026-06-21T08:00:00+08:00',
    });
    expect(backwards.body.code).toBe('ends_before_start');

    const crowd = await managerApi.post(`/facilities/${home.id}/activities`, {
      ...base,
      attendeeChildIds: Array.from({ length: 10_000 }, () => randomUUID()),
    });
    expect(crowd.status).toBe(400);
    expect(crowd.body.errors[0].path).toBe('body.attendeeChildIds');

    const badPhoto = await managerApi.post(`/facilities/${home.id}/activities`, {
      ...base,
      photoRefs: ['http://x/y.jpg'],
    });
    expect(badPhoto.status).toBe(400);
    expect(badPhoto.body.errors[0].path).toBe('body.photoRefs.0');

    const future = await managerApi.post(`/facilities/${home.id}/activities`, {
      ...base,
      startsAt: '2026-07-05T09:00:00+08:00',
      endsAt: '2026-07-05T10:00:00+08:00',
    });
    expect(future.status).toBe(400);
    expect(future.body.code).toBe('in_the_future');

    const talentWithoutSubject = await managerApi.post(`/facilities/${home.id}/activities`, {
      ...base,
      kind: 'talent_class',
    });
    expect(talentWithoutSubject.status).toBe(400);
  });

  it('when an activity is corrected and then cancelled, then its history keeps every earlier version', async () => {
    const logged = await managerApi.post(`/facilities/${home.id}/activities`, {
      activityId: randomUUID(),
      kind: 'talent_class',
      subject: 'calligraphy',
      title: '书法班',
      startsAt: '2026-06-22T16:00:00+08:00',
      endsAt: '2026-06-22T17:00:00+08:00',
      attendeeChildIds: [children[0]],
    });
    const corrected = await managerApi.post(`/activities/${logged.body.id}/correct`, {
      expectedSequence: logged.body.sequence,
      reason: 'wrong_attendees',
      note: '漏记了两名学生',
      activity: {
        kind: 'talent_class',
        subject: 'calligraphy',
        title: '书法班',
        startsAt: '2026-06-22T16:00:00+08:00',
        endsAt: '2026-06-22T17:00:00+08:00',
        attendeeChildIds: children,
      },
    });
    expect(corrected.status).toBe(200);
    expect(corrected.body.attendeeChildIds).toHaveLength(3);
    expect(corrected.body.history).toHaveLength(1);
    expect(corrected.body.history[0]).toMatchObject({ action: 'corrected', reason: 'wrong_attendees' });
    expect(corrected.body.history[0].before.attendeeChildIds).toEqual([children[0]]);
    const cancelled = await managerApi.post(`/activities/${logged.body.id}/cancel`, { reason: 'duplicate' });
    expect(cancelled.body.status).toBe('cancelled');
    expect(cancelled.body.history.map((h: { action: string }) => h.action)).toEqual(['corrected', 'cancelled']);
    const month = await managerApi.get(`/facilities/${home.id}/activities?month=2026-06`);
    expect(month.body.items.map((a: { id: string }) => a.id)).not.toContain(logged.body.id);
  });

  it('when a manager of another home asks, then home, activities and files answer 404', async () => {
    const other = await facilities.as(manager('another-home', 'manager-2'));
    expect((await other.get(`/facilities/${home.id}`)).status).toBe(404);
    expect((await other.get(`/facilities/${home.id}/children`)).status).toBe(404);
    expect((await other.get(`/facilities/${home.id}/children/${children[0]}/counselling`)).status).toBe(404);
    const mine = (await other.get('/facilities')).body.items;
    expect(mine).toEqual([]);
  });

  it('when counselling records are written and read, then their content never reaches an event and every read is audited', async () => {
    const secret = `沙盘辅导记录-${randomUUID()}`;
    const filed = await managerApi.put(`/facilities/${home.id}/children/${children[1]}/file`, {
      interests: ['画画', '围棋'],
      strengths: ['细心'],
      needs: ['与父母沟通'],
      note: '本学期进步明显',
    });
    expect(filed.body).toMatchObject({ complete: true });
    const added = await managerApi.post(`/facilities/${home.id}/children/${children[1]}/counselling`, { text: secret });
    expect(added.status).toBe(201);
    await managerApi.post(`/facilities/${home.id}/activities`, {
      activityId: randomUUID(),
      kind: 'counselling_session',
      title: '心理辅导',
      startsAt: '2026-06-23T16:00:00+08:00',
      endsAt: '2026-06-23T16:45:00+08:00',
      attendeeChildIds: [children[1]],
      notes: '在沙盘室进行',
    });
    const read = await managerApi.get(`/facilities/${home.id}/children/${children[1]}/counselling`);
    expect(read.body.items.map((r: { text: string }) => r.text)).toEqual([secret]);
    const county = await officer.get(`/facilities/${home.id}/children/${children[1]}/counselling`);
    expect(county.status).toBe(200);
    // The city and townships see the home, not counselling.
    const city = await facilities.as({ sub: 'admin', name: '市管理员', roles: ['city_admin'] });
    expect((await city.get(`/facilities/${home.id}/children/${children[1]}/counselling`)).status).toBe(403);
    // The file without counselling content.
    const file = await managerApi.get(`/facilities/${home.id}/children/${children[1]}/file`);
    expect(file.body).toMatchObject({ counsellingRecords: 1, complete: true });
    expect(JSON.stringify(file.body)).not.toContain(secret);
    // Sealed at rest.
    const stored = await facilities.models.PersonalFiles.collection.findOne({});
    expect(JSON.stringify(stored)).not.toContain(secret);

    const audits = await facilities.db.connection
      .collection('audit_log')
      .find({ resource: 'counselling', action: 'read', resourceId: children[1] })
      .toArray();
    expect(audits.map((a) => `${a.actor}:${a.outcome}`)).toEqual(
      expect.arrayContaining(['manager-1:success', 'officer-pj:success']),
    );

    // Everything the service published so far, read from the topics: no counselling content, no notes.
    await waitFor(() =>
      observer.events.some(
        (e) =>
          e.envelope.type === 'facilities.activity.logged' &&
          (e.envelope.data as { kind: string }).kind === 'counselling_session',
      ),
    );
    const published = observer.events.map((e) => e.raw).join('\n');
    expect(published).not.toContain(secret);
    expect(published).not.toContain('在沙盘室进行');
    expect(published).not.toContain('本学期进步明显');
  });

  it('when a month of activities is logged, then the evaluation computes its data-derived criteria from them', async () => {
    const result = await managerApi.get(`/facilities/${home.id}/evaluations/2026-06`);
    expect(result.status).toBe(200);
    const activities = (await managerApi.get(`/facilities/${home.id}/activities?month=2026-06`)).body.items as {
      kind: string;
      attendeeChildIds: string[];
    }[];
    const byKey = Object.fromEntries(result.body.criteria.map((c: { key: string; value: number }) => [c.key, c.value]));
    expect(byKey.activity_frequency).toBe(activities.length);
    expect(byKey.counselling).toBe(activities.filter((a) => a.kind === 'counselling_session').length);
    // Family call attended by all three enrolled children: 100 %.
    expect(result.body.criteria.find((c: { key: string }) => c.key === 'family_calls').score).toBe(100);
    // One of three files complete.
    expect(result.body.criteria.find((c: { key: string }) => c.key === 'personal_files').score).toBeCloseTo(33.3, 1);
    expect(result.body.recorded).toBe(false);

    const recorded = await officer.post(`/facilities/${home.id}/evaluations`, {
      period: '2026-06',
      safety: 90,
      environment: 85,
    });
    expect(recorded.status).toBe(201);
    expect(recorded.body.recorded).toBe(true);
    const ranking = await officer.get('/evaluations/ranking?county=430626&period=2026-06');
    expect(ranking.body.items.find((r: { facilityId: string }) => r.facilityId === home.id)).toMatchObject({
      rank: expect.any(Number),
      totalScore: recorded.body.totalScore,
    });
    await waitFor(() => observer.about(home.id).some((e) => e.envelope.type === 'facilities.facility.evaluated'));
  });

  it('when donations allocate books and funds to the home, then its manager sees what arrived, from the donations events', async () => {
    const donations = donationsStandIn();
    try {
      const header = (donationId: string, kind: 'books' | 'money', donor: string) => ({
        donationId,
        donorId: `donor-${donationId.slice(0, 8)}`,
        donorKind: 'organisation',
        donorDisplayName: donor,
        kind,
        status: 'received',
        receivedOn: '2018-04-01',
        totals: {
          receivedValueFen: 0,
          receivedQuantity: 0,
          allocatedValueFen: 0,
          allocatedQuantity: 0,
          dispatchedQuantity: 0,
          acknowledgedQuantity: 0,
          acknowledgedValueFen: 0,
        },
      });
      const books = randomUUID();
      const money = randomUUID();
      const bookLine = {
        lineId: 'l1',
        isbn: '9787020002207',
        title: '红楼梦（少儿版）',
        quantity: 500,
        unitValueFen: 2500,
        valueFen: 1_250_000,
      };
      await donations.publish(books, 'donations.donation.received', {
        ...header(books, 'books', '中华慈善总会'),
        purpose: 'restricted',
        lines: [bookLine],
      });
      const recipient = {
        recipientKind: 'facility',
        recipientId: home.id,
        recipientName: '安定镇中心小学留守儿童之家',
        recipientRegionCode: CHANGFENG_VILLAGE,
      };
      const bookAllocation = randomUUID();
      await donations.publish(books, 'donations.donation.allocated', {
        ...header(books, 'books', '中华慈善总会'),
        allocation: { allocationId: bookAllocation, ...recipient, lineId: 'l1', quantity: 120, valueFen: 300_000 },
      });
      await donations.publish(books, 'donations.donation.acknowledged', {
        ...header(books, 'books', '中华慈善总会'),
        acknowledgement: {
          acknowledgementId: randomUUID(),
          allocationId: bookAllocation,
          recipientKind: 'facility',
          recipientId: home.id,
          acknowledgedOn: '2018-05-02',
          lines: [
            {
              lineId: 'l1',
              quantityDispatched: 120,
              quantityReceived: 118,
              discrepancy: -2,
              discrepancyReason: 'damaged',
            },
          ],
        },
      });
      await donations.publish(money, 'donations.donation.received', {
        ...header(money, 'money', '湖南省民政厅'),
        amountFen: 450_000_000,
        purpose: 'restricted',
        lines: [],
      });
      await donations.publish(money, 'donations.donation.allocated', {
        ...header(money, 'money', '湖南省民政厅'),
        allocation: { allocationId: randomUUID(), ...recipient, amountFen: 2_000_000, valueFen: 2_000_000 },
      });
      const seen = await waitFor(
        async () => {
          const res = await managerApi.get(`/facilities/${home.id}/donations`);
          return (
            res.body.items?.length === 2 && res.body.items.some((i: { acknowledged: boolean }) => i.acknowledged) && res
          );
        },
        { timeoutMs: 30_000, message: 'the donations to reach the home' },
      );
      expect(seen.body.totals).toMatchObject({
        booksAllocated: 120,
        booksReceived: 118,
        fundsAllocatedFen: 2_000_000,
        fundsAllocatedYuan: '20,000.00',
      });
      expect(seen.body.items.find((i: { kind: string }) => i.kind === 'books')).toMatchObject({
        title: '红楼梦（少儿版）',
        donor: '中华慈善总会',
      });
      const other = await facilities.as(manager('another-home', 'manager-2'));
      expect((await other.get(`/facilities/${home.id}/donations`)).status).toBe(404);
    } finally {
      await donations.close();
    }
  });

  it('when a volunteer organisation holds an event at the home, then it appears in the activity log with its attendees', async () => {
    const volunteers = volunteersStandIn();
    try {
      const eventId = randomUUID();
      const snapshot = {
        eventId,
        organisationId: 'youth-league-pj',
        kind: 'summer_camp',
        title: '共青团“情暖童心”夏令营',
        startsOn: '2026-06-25',
        endsOn: '2026-06-27',
        regionCode: '430626101',
        facilityId: home.id,
        status: 'scheduled',
        childIds: children,
        volunteerIds: ['v-1', 'v-2'],
        attendedChildIds: [] as string[],
        attendedVolunteerIds: [] as string[],
        hours: [] as { volunteerId: string; minutes: number }[],
      };
      await volunteers.publish(eventId, 'volunteers.event.created', snapshot);
      await volunteers.publish(eventId, 'volunteers.event.attendance_recorded', {
        ...snapshot,
        attendedChildIds: children.slice(0, 2),
        attendedVolunteerIds: ['v-1'],
        attendance: { on: '2026-06-25', childIds: children.slice(0, 2), volunteerIds: ['v-1'] },
      });
      const mirrored = await waitFor(
        async () => {
          const month = await managerApi.get(`/facilities/${home.id}/activities?month=2026-06`);
          const found = month.body.items.find((a: { id: string }) => a.id === `ve-${eventId}`);
          return found?.attendeeChildIds.length === 2 && found;
        },
        { timeoutMs: 30_000, message: 'the camp to appear in the home’s activity log with its attendees' },
      );
      expect(mirrored).toMatchObject({
        kind: 'summer_programme',
        title: '共青团“情暖童心”夏令营',
        volunteerIds: ['v-1'],
      });
      expect(mirrored.history).toHaveLength(1);
      // Delivered again (a replay), nothing changes.
      await facilities.activities.mirrorVolunteerEvent(snapshot as never, { sequence: 1 });
      expect((await managerApi.get(`/activities/ve-${eventId}`)).body.attendeeChildIds).toHaveLength(2);
      const logged = await waitFor(
        () => observer.about(`ve-${eventId}`).length >= 2 && observer.about(`ve-${eventId}`),
      );
      expect((logged[0]!.envelope.data as { volunteerEventId: string }).volunteerEventId).toBe(eventId);
    } finally {
      await volunteers.close();
    }
  });
});
