import { describe, expect, it } from 'vitest';

import {
  DEFAULT_WEIGHTS,
  evaluate,
  GRADE_THRESHOLDS,
  gradeFor,
  periodRange,
  rankWithinCounty,
  type CriterionKey,
  type EvaluatedActivity,
  type EvaluationInput,
  type EvaluationResult,
} from '../src/domain/evaluation.js';

const CHILDREN = ['c1', 'c2', 'c3', 'c4', 'c5'];

function activity(overrides: Partial<EvaluatedActivity> & Pick<EvaluatedActivity, 'kind'>): EvaluatedActivity {
  return { startsAt: '2025-06-10T15:00:00+08:00', status: 'logged', attendeeChildIds: [], ...overrides };
}

/** June 2025 at a village home: six logged activities, five children, three complete files. */
const JUNE_ACTIVITIES: EvaluatedActivity[] = [
  activity({ kind: 'family_video_call', startsAt: '2025-06-03T16:00:00+08:00', attendeeChildIds: ['c1', 'c2'] }),
  activity({ kind: 'family_video_call', startsAt: '2025-06-10T16:00:00+08:00', attendeeChildIds: ['c2', 'c3'] }),
  activity({ kind: 'counselling_session', startsAt: '2025-06-05T15:30:00+08:00', attendeeChildIds: ['c4'] }),
  activity({ kind: 'talent_class', subject: 'art', startsAt: '2025-06-07T09:00:00+08:00', attendeeChildIds: CHILDREN }),
  activity({ kind: 'talent_class', subject: 'go', startsAt: '2025-06-14T09:00:00+08:00', attendeeChildIds: ['c1'] }),
  activity({
    kind: 'talent_class',
    subject: 'calligraphy',
    startsAt: '2025-06-01T01:00:00Z',
    attendeeChildIds: ['c2'],
  }),
];

function juneInput(overrides: Partial<EvaluationInput> = {}): EvaluationInput {
  return {
    period: '2025-06',
    activities: JUNE_ACTIVITIES,
    enrolledChildIds: CHILDREN,
    completeFileChildIds: ['c1', 'c2', 'c3'],
    equipment: [
      { kind: 'counselling_room', quantity: 1 },
      { kind: 'reading_corner', quantity: 1 },
      { kind: 'computers', quantity: 4 },
      { kind: 'internet', quantity: 1 },
      { kind: 'video_chat', quantity: 0 },
      { kind: 'sand_tray_room', quantity: 1 },
      { kind: 'sports_equipment', quantity: 3 },
    ],
    evaluatorScores: { safety: 85, environment: 70 },
    ...overrides,
  };
}

function criterion(result: EvaluationResult, key: CriterionKey) {
  const found = result.criteria.find((c) => c.key === key);
  if (!found) throw new Error(`no criterion ${key}`);
  return found;
}

/** Only safety is weighted, so the total equals the evaluator's safety score. */
const SAFETY_ONLY: Record<CriterionKey, number> = {
  activity_frequency: 0,
  activity_variety: 0,
  personal_files: 0,
  counselling: 0,
  family_calls: 0,
  equipment: 0,
  safety: 1,
  environment: 0,
};

describe('periodRange', () => {
  it('when the period is a year, then it spans 1 January to 31 December, 12 months', () => {
    expect(periodRange('2025')).toEqual({ from: '2025-01-01', to: '2025-12-31', months: 12 });
  });

  it('when the period is a half year, then H1 ends on 30 June and H2 on 31 December', () => {
    expect(periodRange('2025-H1')).toEqual({ from: '2025-01-01', to: '2025-06-30', months: 6 });
    expect(periodRange('2025-H2')).toEqual({ from: '2025-07-01', to: '2025-12-31', months: 6 });
  });

  it('when the period is a quarter, then it spans its three months', () => {
    expect(periodRange('2025-Q1')).toEqual({ from: '2025-01-01', to: '2025-03-31', months: 3 });
    expect(periodRange('2025-Q2')).toEqual({ from: '2025-04-01', to: '2025-06-30', months: 3 });
    expect(periodRange('2025-Q3')).toEqual({ from: '2025-07-01', to: '2025-09-30', months: 3 });
    expect(periodRange('2025-Q4')).toEqual({ from: '2025-10-01', to: '2025-12-31', months: 3 });
  });

  it('when the period is a month, then it ends on the month’s last day, leap years included', () => {
    expect(periodRange('2025-06')).toEqual({ from: '2025-06-01', to: '2025-06-30', months: 1 });
    expect(periodRange('2025-12')).toEqual({ from: '2025-12-01', to: '2025-12-31', months: 1 });
    expect(periodRange('2025-02').to).toBe('2025-02-28');
    expect(periodRange('2024-02').to).toBe('2024-02-29');
    expect(periodRange('2000-02').to).toBe('2000-02-29');
    expect(periodRange('2100-02').to).toBe('2100-02-28');
  });

  it.each([
    '',
    '25',
    '2025-13',
    '2025-00',
    '2025-6',
    '2025-Q5',
    '2025-Q0',
    '2025-H3',
    '2025-q1',
    '2025-h1',
    ' 2025',
    '2025-06-01',
    '2025/06',
  ])('when the period is %j, then it throws a RangeError naming the accepted formats', (period) => {
    expect(() => periodRange(period)).toThrow(RangeError);
    expect(() => periodRange(period)).toThrow(/expected YYYY, YYYY-Hn, YYYY-Qn or YYYY-MM/);
  });
});

describe('evaluate: data criteria', () => {
  it('when a month of activities is evaluated, then each data criterion is measured and scored exactly', () => {
    const result = evaluate(juneInput());

    expect(result).toMatchObject({ period: '2025-06', from: '2025-06-01', to: '2025-06-30' });
    expect(criterion(result, 'activity_frequency')).toMatchObject({
      value: 6,
      unit: 'activities/month',
      score: 75,
      source: 'data',
      detail: '6 activities in 1 month (6.0/month; full marks at 8/month)',
      detailZh: '1个月共开展活动6次（月均6.0次，满分标准每月8次）',
    });
    // family call, counselling, talent class ×2 (art, calligraphy; Go beyond the cap of 2 subjects)
    expect(criterion(result, 'activity_variety')).toMatchObject({
      value: 4,
      score: 80,
      detail:
        '4 distinct kinds: talent class (art), talent class (calligraphy), family video call, counselling session ' +
        '(full marks at 5; talent classes count once per subject, at most 2, 3 subjects held)',
      detailZh:
        '开展活动4类：才艺培训班（美术）、才艺培训班（书法）、亲情聊天、心理辅导' +
        '（满分标准5类；才艺培训班按科目计，最多计2类，实际开设3个科目）',
    });
    expect(criterion(result, 'personal_files')).toMatchObject({
      value: 60,
      unit: '%',
      score: 60,
      detail: '3 of 5 enrolled children have a complete personal file (60.0%)',
      detailZh: '在册儿童5人，个人档案完整3人（60.0%）',
    });
    expect(criterion(result, 'counselling')).toMatchObject({
      value: 1,
      score: 50,
      detail: '1 counselling session in 1 month (1.0/month; full marks at 2/month)',
      detailZh: '1个月共开展心理辅导1次（月均1.0次，满分标准每月2次）',
    });
    expect(criterion(result, 'family_calls')).toMatchObject({
      value: 60,
      score: 75,
      detail: '3 of 5 enrolled children joined at least one family video call (60.0%; full marks at 80%)',
      detailZh: '在册儿童5人中3人参加过亲情聊天（60.0%，满分标准80%）',
    });
    expect(criterion(result, 'equipment')).toMatchObject({
      value: 4,
      score: 90,
      detail: '4 of 5 core items present (missing: video chat); bonus +10 for sand tray room (capped at 100)',
      detailZh: '核心设施5项具备4项（缺：亲情视频设备）；加分项：沙盘心理治疗室，加10分（本项最高100分）',
    });
    expect(criterion(result, 'safety')).toMatchObject({ source: 'evaluator', value: 85, score: 85 });
    expect(criterion(result, 'environment')).toMatchObject({ source: 'evaluator', value: 70, score: 70 });

    // 75×.25 + 80×.1 + 60×.15 + 50×.1 + 75×.1 + 90×.1 + 85×.1 + 70×.1 = 72.75 → 72.8
    expect(result.totalScore).toBe(72.8);
    expect(result.grade).toBe('qualified');
    expect(result.criteria.map((c) => c.key)).toEqual(Object.keys(DEFAULT_WEIGHTS));
  });

  it('when activities are cancelled or outside the period, then they do not count', () => {
    const extra: EvaluatedActivity[] = [
      activity({ kind: 'tutoring', status: 'cancelled', attendeeChildIds: ['c5'] }),
      activity({ kind: 'family_video_call', status: 'cancelled', attendeeChildIds: ['c4', 'c5'] }),
      activity({ kind: 'counselling_session', status: 'cancelled' }),
      // 31 May 23:59 Beijing time
      activity({ kind: 'safety_education', startsAt: '2025-05-31T23:59:00+08:00' }),
      // 30 June 16:30 UTC = 1 July 00:30 Beijing time
      activity({ kind: 'festival_event', startsAt: '2025-06-30T16:30:00Z', attendeeChildIds: CHILDREN }),
      activity({ kind: 'family_video_call', startsAt: '2025-07-01T08:00:00+08:00', attendeeChildIds: ['c4', 'c5'] }),
    ];

    const result = evaluate(juneInput({ activities: [...JUNE_ACTIVITIES, ...extra] }));

    expect(result).toEqual(evaluate(juneInput()));
  });

  it('when an activity starts at 23:30 on 30 June Beijing time, then it belongs to June, not July', () => {
    const lateJune = [activity({ kind: 'birthday_party', startsAt: '2025-06-30T23:30+08:00' })];

    const june = evaluate(juneInput({ period: '2025-06', activities: lateJune }));
    const july = evaluate(juneInput({ period: '2025-07', activities: lateJune }));

    expect(criterion(june, 'activity_frequency').value).toBe(1);
    expect(criterion(july, 'activity_frequency').value).toBe(0);
  });

  it('when an activity starts at 16:30 UTC on 30 June, then it belongs to July (00:30 Beijing time)', () => {
    const earlyJuly = [activity({ kind: 'birthday_party', startsAt: '2025-06-30T16:30:00Z' })];

    expect(
      criterion(evaluate(juneInput({ period: '2025-06', activities: earlyJuly })), 'activity_frequency').value,
    ).toBe(0);
    expect(
      criterion(evaluate(juneInput({ period: '2025-07', activities: earlyJuly })), 'activity_frequency').value,
    ).toBe(1);
  });

  it('when the period is a quarter, then frequencies are per month of the quarter', () => {
    const twelve = Array.from({ length: 12 }, (_, i) =>
      activity({
        kind: i < 3 ? 'counselling_session' : 'reading',
        startsAt: `2025-0${4 + (i % 3)}-1${i % 10}T10:00:00+08:00`,
      }),
    );

    const result = evaluate(juneInput({ period: '2025-Q2', activities: twelve }));

    expect(criterion(result, 'activity_frequency')).toMatchObject({
      value: 4,
      score: 50,
      detail: '12 activities in 3 months (4.0/month; full marks at 8/month)',
      detailZh: '3个月共开展活动12次（月均4.0次，满分标准每月8次）',
    });
    expect(criterion(result, 'counselling')).toMatchObject({ value: 1, score: 50 });
    expect(criterion(result, 'activity_variety')).toMatchObject({ value: 2, score: 40 });
  });

  it('when activity frequency and variety exceed their targets, then they score 100, not more', () => {
    const kinds = [
      'reading',
      'tutoring',
      'birthday_party',
      'festival_event',
      'safety_education',
      'arts_performance',
    ] as const;
    const many = Array.from({ length: 10 }, (_, i) => activity({ kind: kinds[i % kinds.length] ?? 'other' }));

    const result = evaluate(juneInput({ activities: many }));

    expect(criterion(result, 'activity_frequency')).toMatchObject({ value: 10, score: 100 });
    expect(criterion(result, 'activity_variety')).toMatchObject({ value: 6, score: 100 });
  });

  it('when a talent class has no subject, then it counts as one kind', () => {
    const result = evaluate(
      juneInput({ activities: [activity({ kind: 'talent_class' }), activity({ kind: 'talent_class' })] }),
    );

    expect(criterion(result, 'activity_variety')).toMatchObject({ value: 1, score: 20 });
    expect(criterion(result, 'activity_variety').detail).toMatch(/^1 distinct kind: talent class \(/);
  });

  it('when no children are enrolled, then files and family calls score 0 and say so', () => {
    const result = evaluate(juneInput({ enrolledChildIds: [], completeFileChildIds: [] }));

    for (const key of ['personal_files', 'family_calls'] as const) {
      expect(criterion(result, key)).toMatchObject({
        value: 0,
        score: 0,
        detail: 'No children enrolled at the end of the period: scored 0',
        detailZh: '期末无在册儿童，本项计0分',
      });
    }
  });

  it('when ids repeat or belong to children no longer enrolled, then each enrolled child counts once', () => {
    const result = evaluate(
      juneInput({
        enrolledChildIds: ['c1', 'c2', 'c2', 'c3', 'c4'],
        completeFileChildIds: ['c1', 'c1', 'gone'],
        activities: [
          activity({ kind: 'family_video_call', attendeeChildIds: ['c1', 'c1', 'gone'] }),
          activity({ kind: 'family_video_call', attendeeChildIds: ['c1', 'c2', 'c3', 'c4'] }),
        ],
      }),
    );

    expect(criterion(result, 'personal_files')).toMatchObject({ value: 25, score: 25 });
    expect(criterion(result, 'family_calls')).toMatchObject({ value: 100, score: 100 });
  });

  it('when all core items and both bonus rooms are present, then equipment is capped at 100', () => {
    const result = evaluate(
      juneInput({
        equipment: [
          { kind: 'counselling_room', quantity: 1 },
          { kind: 'reading_corner', quantity: 1 },
          { kind: 'computers', quantity: 0 },
          { kind: 'computers', quantity: 2 },
          { kind: 'internet', quantity: 1 },
          { kind: 'video_chat', quantity: 1 },
          { kind: 'sand_tray_room', quantity: 1 },
          { kind: 'assessment_room', quantity: 1 },
        ],
      }),
    );

    expect(criterion(result, 'equipment')).toMatchObject({ value: 5, score: 100 });
    expect(criterion(result, 'equipment').detail).toBe(
      '5 of 5 core items present; bonus +20 for sand tray room, assessment room (capped at 100)',
    );
  });

  it('when there is no equipment, then equipment scores 0 and lists every missing core item', () => {
    const result = evaluate(juneInput({ equipment: [] }));

    expect(criterion(result, 'equipment')).toMatchObject({
      value: 0,
      score: 0,
      detailZh: '核心设施5项具备0项（缺：心理咨询室、图书角、电脑、网络、亲情视频设备）',
    });
  });
});

describe('evaluate: weights and grades', () => {
  it('when no weights are given, then the defaults apply and sum to 1', () => {
    const result = evaluate(juneInput());

    expect(Object.fromEntries(result.criteria.map((c) => [c.key, c.weight]))).toEqual(DEFAULT_WEIGHTS);
    expect(Object.values(DEFAULT_WEIGHTS).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('when a weight is overridden, then it replaces the default and all weights are normalised to 1', () => {
    const result = evaluate(juneInput({ weights: { safety: 0.5 } }));

    const weights = Object.fromEntries(result.criteria.map((c) => [c.key, c.weight]));
    expect(weights.safety).toBe(0.357143); // 0.5 / 1.4, published to six decimals
    expect(weights.activity_frequency).toBe(0.178571); // 0.25 / 1.4
    expect(result.criteria.reduce((sum, c) => sum + c.weight, 0)).toBeCloseTo(1, 5);
    // (72.75 − 85 × 0.1 + 85 × 0.5) / 1.4 = 76.25 → 76.3
    expect(result.totalScore).toBe(76.3);
    expect(result.grade).toBe('good');
  });

  it('when every weight is scaled by the same factor, then the total does not change', () => {
    const doubled = Object.fromEntries(Object.entries(DEFAULT_WEIGHTS).map(([k, w]) => [k, w * 2]));

    expect(evaluate(juneInput({ weights: doubled })).totalScore).toBe(evaluate(juneInput()).totalScore);
  });

  it('when the total is 90.0, then the grade is excellent; at 89.9 it is good', () => {
    const at = (safety: number) =>
      evaluate(juneInput({ weights: SAFETY_ONLY, evaluatorScores: { safety, environment: 0 } }));

    expect(at(90)).toMatchObject({ totalScore: 90, grade: 'excellent' });
    expect(at(89.9)).toMatchObject({ totalScore: 89.9, grade: 'good' });
    expect(at(75)).toMatchObject({ grade: 'good' });
    expect(at(74.9)).toMatchObject({ grade: 'qualified' });
    expect(at(60)).toMatchObject({ grade: 'qualified' });
    expect(at(59.9)).toMatchObject({ grade: 'unqualified' });
    expect(at(100)).toMatchObject({ totalScore: 100, grade: 'excellent' });
    expect(at(0)).toMatchObject({ totalScore: 0, grade: 'unqualified' });
  });

  it('when a grade is looked up, then the thresholds are inclusive lower bounds', () => {
    expect(GRADE_THRESHOLDS).toEqual({ excellent: 90, good: 75, qualified: 60 });
    expect([90, 89.9, 75, 74.9, 60, 59.9].map(gradeFor)).toEqual([
      'excellent',
      'good',
      'good',
      'qualified',
      'qualified',
      'unqualified',
    ]);
  });
});

describe('evaluate: invalid input', () => {
  it.each([
    [{ safety: -1, environment: 50 }, /evaluatorScores\.safety must be between 0 and 100, got -1/],
    [{ safety: 50, environment: 100.5 }, /evaluatorScores\.environment must be between 0 and 100, got 100.5/],
    [{ safety: Number.NaN, environment: 50 }, /evaluatorScores\.safety must be between 0 and 100, got NaN/],
  ])('when evaluator scores are %j, then it throws a RangeError', (evaluatorScores, message) => {
    expect(() => evaluate(juneInput({ evaluatorScores }))).toThrow(RangeError);
    expect(() => evaluate(juneInput({ evaluatorScores }))).toThrow(message);
  });

  it('when a weight is negative, then it throws a RangeError naming it', () => {
    expect(() => evaluate(juneInput({ weights: { counselling: -0.1 } }))).toThrow(
      new RangeError('weights.counselling must be a finite number ≥ 0, got -0.1'),
    );
  });

  it('when a weight is not a finite number, then it throws a RangeError', () => {
    expect(() => evaluate(juneInput({ weights: { counselling: Number.POSITIVE_INFINITY } }))).toThrow(RangeError);
  });

  it('when all weights are zero, then it throws a RangeError', () => {
    const zero = { ...SAFETY_ONLY, safety: 0 };

    expect(() => evaluate(juneInput({ weights: zero }))).toThrow(
      new RangeError('weights: at least one criterion must have a weight above 0'),
    );
  });

  it('when a weight names an unknown criterion, then it throws a RangeError', () => {
    const weights = { punctuality: 0.1 } as unknown as EvaluationInput['weights'];

    expect(() => evaluate(juneInput({ weights }))).toThrow(/weights: unknown criterion "punctuality"/);
  });

  it('when the period is invalid, then evaluate throws a RangeError', () => {
    expect(() => evaluate(juneInput({ period: '2025-Q5' }))).toThrow(RangeError);
  });

  it.each([
    ['2025-06-10T15:00:00', 'is not an ISO datetime with an offset'],
    ['2025-06-10', 'is not an ISO datetime with an offset'],
    ['yesterday', 'is not an ISO datetime with an offset'],
    ['2025-02-30T10:00:00+08:00', 'is not a valid date and time'],
    ['2025-06-10T24:00:00Z', 'is not a valid date and time'],
  ])('when an activity starts at %j, then it throws a RangeError', (startsAt, message) => {
    const activities = [activity({ kind: 'reading', startsAt })];

    expect(() => evaluate(juneInput({ activities }))).toThrow(RangeError);
    expect(() => evaluate(juneInput({ activities }))).toThrow(message);
  });

  it('when an activity has an unknown kind or status, then it throws a RangeError naming its index', () => {
    const badKind = [activity({ kind: 'reading' }), activity({ kind: 'picnic' as EvaluatedActivity['kind'] })];
    const badStatus = [activity({ kind: 'reading', status: 'draft' as EvaluatedActivity['status'] })];

    expect(() => evaluate(juneInput({ activities: badKind }))).toThrow(/activities\[1\]: unknown kind "picnic"/);
    expect(() => evaluate(juneInput({ activities: badStatus }))).toThrow(/activities\[0\]: status must be/);
  });

  it('when equipment has a negative or fractional quantity, then it throws a RangeError', () => {
    expect(() => evaluate(juneInput({ equipment: [{ kind: 'computers', quantity: -1 }] }))).toThrow(
      new RangeError('equipment[0] (computers): quantity must be a whole number ≥ 0, got -1'),
    );
    expect(() => evaluate(juneInput({ equipment: [{ kind: 'computers', quantity: 1.5 }] }))).toThrow(RangeError);
  });
});

describe('rankWithinCounty', () => {
  it('when scores tie, then they share a rank and the next rank is skipped (1, 2, 2, 4)', () => {
    const ranked = rankWithinCounty([
      { facilityId: 'pj-004', totalScore: 70.2 },
      { facilityId: 'pj-003', totalScore: 81.5 },
      { facilityId: 'pj-001', totalScore: 92 },
      { facilityId: 'pj-002', totalScore: 81.5 },
    ]);

    expect(ranked).toEqual([
      { facilityId: 'pj-001', rank: 1, totalScore: 92 },
      { facilityId: 'pj-002', rank: 2, totalScore: 81.5 },
      { facilityId: 'pj-003', rank: 2, totalScore: 81.5 },
      { facilityId: 'pj-004', rank: 4, totalScore: 70.2 },
    ]);
  });

  it('when the input order changes, then the ranking is the same', () => {
    const items = [
      { facilityId: 'b', totalScore: 80 },
      { facilityId: 'a', totalScore: 80 },
      { facilityId: 'c', totalScore: 80 },
      { facilityId: 'd', totalScore: 60 },
    ];

    const ranked = rankWithinCounty(items);

    expect(rankWithinCounty([...items].reverse())).toEqual(ranked);
    expect(ranked.map((r) => [r.facilityId, r.rank])).toEqual([
      ['a', 1],
      ['b', 1],
      ['c', 1],
      ['d', 4],
    ]);
  });

  it('when scores differ only beyond the published decimal, then they tie', () => {
    const ranked = rankWithinCounty([
      { facilityId: 'x', totalScore: 0.1 + 0.2 },
      { facilityId: 'y', totalScore: 0.3 },
    ]);

    expect(ranked.map((r) => r.rank)).toEqual([1, 1]);
  });

  it('when the list is empty, then the ranking is empty', () => {
    expect(rankWithinCounty([])).toEqual([]);
  });

  it('when a facility appears twice or has no score, then it throws a RangeError', () => {
    expect(() =>
      rankWithinCounty([
        { facilityId: 'a', totalScore: 80 },
        { facilityId: 'a', totalScore: 70 },
      ]),
    ).toThrow(new RangeError('facility a appears more than once'));
    expect(() => rankWithinCounty([{ facilityId: 'a', totalScore: Number.NaN }])).toThrow(RangeError);
  });
});
