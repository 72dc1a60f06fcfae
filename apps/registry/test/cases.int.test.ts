/**
 * Casework and mandatory reports through HTTP on the real stack: each case type's workflow and its
 * effect on the child, time limits and overdue lists, department clerks' access, and a mandatory
 * report acknowledged, linked to a new child and turned into a case.
 */
import { waitFor } from '@tongxin/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  collectRegistryEvents,
  countyOfficer,
  leftBehindChild,
  residentId,
  startRegistry,
  testClock,
  townshipOfficer,
  type Api,
  type RunningRegistry,
} from './support/harness.js';

describe('cases and mandatory reports', () => {
  let registry: RunningRegistry;
  let township: Api;
  let observer: Awaited<ReturnType<typeof collectRegistryEvents>>;
  const clock = testClock('2026-11-30T02:00:00.000Z');

  beforeAll(async () => {
    observer = await collectRegistryEvents();
    await observer.runner.start();
    registry = await startRegistry({
      clock,
      env: { CASE_TIME_LIMITS: 'guardian_assignment=5,return_to_school=20', REPORT_ACK_HOURS: '12' },
    });
    township = await registry.as(townshipOfficer());
  });
  afterAll(async () => {
    await observer?.runner.stop();
    await registry?.close();
  });

  const newChild = async (overrides: Record<string, unknown> = {}) => {
    const created = await township.post('/children', leftBehindChild(overrides));
    expect(created.status).toBe(201);
    return created.body as { id: string; sequence: number };
  };

  it('when each case type is opened, progressed, resolved and closed, then the log, outcome and due date follow its rules', async () => {
    const child = await newChild({ name: '黄小兰' });
    const types = [
      ['guardian_assignment', 'guardian_assigned', 5],
      ['return_to_school', 'returned_to_school', 20],
      ['hukou_registration', 'hukou_registered', 60],
      ['rights_protection', 'rights_protected', 15],
      ['temporary_care', 'care_provided', 3],
      ['parent_education', 'parents_educated', 30],
      ['social_assistance_referral', 'assistance_granted', 30],
    ] as const;
    for (const [caseType, outcome, days] of types) {
      const opened = await township.post('/cases', {
        childId: child.id,
        caseType,
        ownerDepartment: caseType === 'return_to_school' ? 'education' : 'civil_affairs',
        note: '立案',
      });
      expect(opened.status, caseType).toBe(201);
      expect(opened.body).toMatchObject({ status: 'opened', caseType, overdue: false });
      expect(Date.parse(opened.body.dueAt) - Date.parse(opened.body.openedAt)).toBe(days * 86_400_000);
      const progressed = await township.post(`/cases/${opened.body.id}/actions`, { note: '电话联系家长' });
      expect(progressed.body.status).toBe('in_progress');
      const resolution =
        caseType === 'guardian_assignment'
          ? { guardian: { kind: 'grandparent', name: '黄奶奶', relation: 'maternal_grandmother', capacity: 'capable' } }
          : undefined;
      const resolved = await township.post(`/cases/${opened.body.id}/resolve`, {
        note: '已办结',
        ...(resolution ? { resolution } : {}),
      });
      expect(resolved.status, caseType).toBe(200);
      expect(resolved.body).toMatchObject({ status: 'resolved', outcome });
      const closed = await township.post(`/cases/${opened.body.id}/close`, {});
      expect(closed.body).toMatchObject({ status: 'closed', outcome });
      expect(closed.body.actions.map((a: { note: string }) => a.note)).toEqual(['立案', '电话联系家长', '已办结']);
      // A closed case takes no more actions.
      const again = await township.post(`/cases/${opened.body.id}/actions`, { note: 'late' });
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('case_closed');
    }
  });

  it('when a dropout case resolves, then the child is back in school; a guardian case without a guardian is refused', async () => {
    const child = await newChild({ name: '吴小刚', sex: 'male', schooling: { status: 'dropped_out' } });
    const schoolCase = (
      await township.post('/cases', { childId: child.id, caseType: 'return_to_school', ownerDepartment: 'education' })
    ).body;
    await township.post(`/cases/${schoolCase.id}/resolve`, {
      resolution: { schooling: { status: 'enrolled', school: '安定镇中学', grade: '初一' } },
    });
    const after = await township.get(`/children/${child.id}`);
    expect(after.body.schooling).toMatchObject({ status: 'enrolled', school: '安定镇中学' });

    const guardianCase = (
      await township.post('/cases', {
        childId: child.id,
        caseType: 'guardian_assignment',
        ownerDepartment: 'civil_affairs',
      })
    ).body;
    const refused = await township.post(`/cases/${guardianCase.id}/resolve`, {});
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('guardian_required');
    const unresolvedClose = await township.post(`/cases/${guardianCase.id}/close`, {});
    expect(unresolvedClose.body.code).toBe('outcome_required');
    const closed = await township.post(`/cases/${guardianCase.id}/close`, { outcome: 'referred_elsewhere' });
    expect(closed.body).toMatchObject({ status: 'closed', outcome: 'referred_elsewhere' });
  });

  it('when a case passes its due date, then it is listed as overdue for the region and department clerks see only their department', async () => {
    const child = await newChild({ name: '郑小雨' });
    const caseDoc = (
      await township.post('/cases', { childId: child.id, caseType: 'return_to_school', ownerDepartment: 'education' })
    ).body;
    clock.set('2026-12-25T02:00:00.000Z'); // 25 days later: past the 20-day limit
    try {
      const overdue = await township.get('/cases?overdue=true');
      expect(overdue.status).toBe(200);
      const found = overdue.body.items.find((c: { id: string }) => c.id === caseDoc.id);
      expect(found).toMatchObject({ overdue: true });
      const educationClerk = await registry.as({
        sub: 'clerk-edu',
        name: '教育局办事员',
        roles: ['department_clerk'],
        regions: ['430626'],
        department: 'education',
      });
      const policeClerk = await registry.as({
        sub: 'clerk-ps',
        name: '公安办事员',
        roles: ['department_clerk'],
        regions: ['430626'],
        department: 'public_security',
      });
      expect((await educationClerk.get(`/cases/${caseDoc.id}`)).status).toBe(200);
      expect((await policeClerk.get(`/cases/${caseDoc.id}`)).status).toBe(404);
      const policeList = await policeClerk.get('/cases');
      expect(policeList.body.items.map((c: { id: string }) => c.id)).not.toContain(caseDoc.id);
      // Clerks never read the register itself.
      expect((await educationClerk.get(`/children/${child.id}`)).status).toBe(403);
    } finally {
      clock.set('2026-11-30T02:00:00.000Z');
    }
  });

  it('when a mandatory report comes in, then it is acknowledged, linked to a newly registered child and a case is opened', async () => {
    const received = await township.post('/reports', {
      regionCode: '430626101',
      reporterKind: 'school',
      reporterOrganisation: '安定镇中心小学',
      reporterContact: '13712345678',
      narrative: '学生连续一周无人接送，家中无成年人。',
      childName: '钱小花',
    });
    expect(received.status).toBe(201);
    expect(received.body).toMatchObject({ status: 'received', reporterContact: '137****5678', overdue: false });
    expect(Date.parse(received.body.dueAt) - Date.parse(received.body.receivedAt)).toBe(12 * 3_600_000);
    const reportId = received.body.id as string;

    // Linking before acknowledging is refused.
    const early = await township.post(`/reports/${reportId}/link`, { childId: 'x' });
    expect(early.status).toBe(409);

    // Overdue when not acknowledged within 12 hours.
    clock.set('2026-11-30T15:00:00.000Z');
    const overdue = await township.get('/reports?overdue=true');
    expect(overdue.body.items.map((r: { id: string }) => r.id)).toContain(reportId);
    const acknowledged = await township.post(`/reports/${reportId}/acknowledge`);
    expect(acknowledged.body).toMatchObject({ status: 'acknowledged', overdue: false });
    clock.set('2026-11-30T02:00:00.000Z');

    const birthDate = '2016-03-09';
    const linked = await township.post(`/reports/${reportId}/link`, {
      newChild: leftBehindChild({
        name: '钱小花',
        birthDate,
        idNumber: residentId(birthDate, 'female'),
        guardian: undefined,
        supervision: 'unsupervised',
      }),
      openCase: { caseType: 'guardian_assignment', ownerDepartment: 'civil_affairs', note: '根据学校报告立案' },
    });
    expect(linked.status).toBe(200);
    expect(linked.body.report).toMatchObject({
      status: 'linked',
      childId: linked.body.child.id,
      caseId: linked.body.case.id,
    });
    expect(linked.body.case).toMatchObject({ caseType: 'guardian_assignment', reportId, status: 'opened' });

    const reportEvents = await waitFor(
      () => {
        const seen = observer.about(reportId).map((e) => e.type);
        return seen.length >= 3 && seen;
      },
      { timeoutMs: 30_000, message: 'report events' },
    );
    expect(reportEvents).toEqual([
      'registry.report.received',
      'registry.report.acknowledged',
      'registry.report.linked',
    ]);
    const caseEvents = await waitFor(
      () => observer.about(linked.body.case.id).length > 0 && observer.about(linked.body.case.id),
    );
    expect(caseEvents[0]!.data).toMatchObject({ reportId, caseType: 'guardian_assignment' });
    // The narrative and the reporter's phone never leave the registry.
    expect(JSON.stringify(observer.about(reportId))).not.toMatch(/13712345678|无人接送/);

    const dismissed = await township.post(`/reports/${reportId}/dismiss`, { reason: 'duplicate' });
    expect(dismissed.status).toBe(409);
  });

  it('when an officer of another county asks for a case or report, then it is 404', async () => {
    const child = await newChild({ name: '冯小北' });
    const caseDoc = (
      await township.post('/cases', {
        childId: child.id,
        caseType: 'parent_education',
        ownerDepartment: 'civil_affairs',
      })
    ).body;
    const other = await registry.as(countyOfficer(['430602']));
    expect((await other.get(`/cases/${caseDoc.id}`)).status).toBe(404);
    expect((await other.post(`/cases/${caseDoc.id}/actions`, { note: 'x' })).status).toBe(404);
  });
});
