/**
 * The evaluation scheme (考评制度) of the children's homes: what a home is scored on for a period,
 * how each criterion is measured, and how criteria add up to a total and a grade.
 *
 * Pure and deterministic: the caller gathers the period's activities, enrolments, personal-file
 * completeness, equipment and the evaluator's on-site scores; nothing here reads a clock or a
 * database. Every criterion carries the figure it was measured from (`detail` / `detailZh`), so a
 * county officer can check a score by hand and a manager can see what to improve.
 *
 * The scheme is modelled on the county schemes for 留守儿童之家 (e.g. 平江县): a home is judged
 * first on whether it is used (activities), then on the two services specific to left-behind
 * children (counselling 心理关爱 and family contact 亲情沟通), on 一人一档 files, and on its rooms
 * and equipment; safety and environment need a visit and are scored by the evaluator.
 *
 * Targets are set for a typical village school's home (one manager, part-time, 20–60 children):
 * reachable by a home that is open a couple of afternoons a week, not by one that only has a plaque.
 */
import { ZActivityKind, type ActivityKind } from '@tongxin/contracts/facilities';

export type EquipmentKind =
  | 'counselling_room'
  | 'sand_tray_room'
  | 'assessment_room'
  | 'reading_corner'
  | 'computers'
  | 'internet'
  | 'video_chat'
  | 'sports_equipment'
  | 'other';

export type CriterionKey =
  | 'activity_frequency'
  | 'activity_variety'
  | 'personal_files'
  | 'counselling'
  | 'family_calls'
  | 'equipment'
  | 'safety'
  | 'environment';

export type EvaluationGrade = 'excellent' | 'good' | 'qualified' | 'unqualified';

export interface EvaluatedActivity {
  kind: ActivityKind;
  /** Subject of a talent class (ZActivitySubject); ignored for other kinds. */
  subject?: string;
  /** ISO datetime with an offset (Z or ±hh:mm). */
  startsAt: string;
  status: 'logged' | 'cancelled';
  attendeeChildIds: string[];
}

export interface EvaluationInput {
  /** The period evaluated: 'YYYY' | 'YYYY-Hn' | 'YYYY-Qn' | 'YYYY-MM' (the contract's period format). */
  period: string;
  activities: EvaluatedActivity[];
  /** Children enrolled at the end of the period. */
  enrolledChildIds: string[];
  /** Of those, the ones whose personal file is complete. */
  completeFileChildIds: string[];
  equipment: { kind: EquipmentKind; quantity: number }[];
  /** Scored by the evaluator, 0–100 each. */
  evaluatorScores: { safety: number; environment: number };
  weights?: Partial<Record<CriterionKey, number>>;
}

export interface Criterion {
  key: CriterionKey;
  /** Chinese label, as printed on the county's form. */
  label: string;
  labelEn: string;
  source: 'data' | 'evaluator';
  /** The measured value (e.g. activities per month), rounded to two decimals. */
  value: number;
  unit: string;
  /** 0..100, one decimal. */
  score: number;
  /** The normalised weight (all weights of a result sum to 1), rounded to six decimals for display. */
  weight: number;
  detail: string;
  detailZh: string;
}

export interface EvaluationResult {
  period: string;
  /** First day of the period, YYYY-MM-DD (Beijing date). */
  from: string;
  /** Last day of the period, inclusive, YYYY-MM-DD (Beijing date). */
  to: string;
  criteria: Criterion[];
  /** 0..100, one decimal. */
  totalScore: number;
  grade: EvaluationGrade;
}

// ---------------------------------------------------------------------------------------------
// The scheme: weights, targets, grades

/**
 * Default weights (sum 1), after the county schemes:
 * - activity_frequency 25 %: a home exists to be used; regular activity is the one thing the
 *   province checks first, and the hardest to fake over a whole period.
 * - personal_files 15 %: 一人一档 is the basis of every other service (who the child is, who the
 *   guardian is, what the child needs) and is checked at every inspection.
 * - activity_variety 10 %: a home that only supervises homework is a study room, not a home.
 * - counselling 10 %, family_calls 10 %: the two services specific to left-behind children
 *   (心理关爱, 亲情沟通); weighted equally.
 * - equipment 10 %: mostly a one-off investment from the county, so it should not dominate.
 * - safety 10 %, environment 10 %: judged on site by the evaluator.
 */
export const DEFAULT_WEIGHTS: Readonly<Record<CriterionKey, number>> = Object.freeze({
  activity_frequency: 0.25,
  activity_variety: 0.1,
  personal_files: 0.15,
  counselling: 0.1,
  family_calls: 0.1,
  equipment: 0.1,
  safety: 0.1,
  environment: 0.1,
});

/**
 * Lowest total score (inclusive, on the published one-decimal total) for each grade:
 * 优秀 ≥ 90, 良好 ≥ 75, 合格 ≥ 60, otherwise 不合格 — the usual bands of county schemes.
 */
export const GRADE_THRESHOLDS = Object.freeze({ excellent: 90, good: 75, qualified: 60 } as const);

/** Full marks for activity_frequency: about two activities a week. */
export const ACTIVITIES_PER_MONTH_TARGET = 8;
/** Full marks for activity_variety. */
export const DISTINCT_KINDS_TARGET = 5;
/** Talent classes count once per subject, but at most this many times towards variety. */
export const TALENT_CLASS_SUBJECTS_CAP = 2;
/** Full marks for counselling: a group or individual session every other week. */
export const COUNSELLING_PER_MONTH_TARGET = 2;
/** Full marks for family_calls: share of enrolled children with at least one call. */
export const FAMILY_CALL_SHARE_TARGET = 0.8;
/** Each bonus room (sand tray, assessment) present adds this many points to equipment, capped at 100. */
export const EQUIPMENT_BONUS_POINTS = 10;

const CRITERION_KEYS: readonly CriterionKey[] = [
  'activity_frequency',
  'activity_variety',
  'personal_files',
  'counselling',
  'family_calls',
  'equipment',
  'safety',
  'environment',
];

const CRITERION_LABELS: Record<CriterionKey, { zh: string; en: string }> = {
  activity_frequency: { zh: '活动开展频次', en: 'Activity frequency' },
  activity_variety: { zh: '活动丰富程度', en: 'Activity variety' },
  personal_files: { zh: '个人档案建档率', en: 'Personal files complete' },
  counselling: { zh: '心理辅导', en: 'Counselling' },
  family_calls: { zh: '亲情聊天覆盖率', en: 'Family video calls' },
  equipment: { zh: '设施设备配置', en: 'Equipment' },
  safety: { zh: '安全管理', en: 'Safety' },
  environment: { zh: '环境卫生', en: 'Environment' },
};

const KIND_LABELS: Record<ActivityKind, { zh: string; en: string }> = {
  arts_performance: { zh: '文艺演出', en: 'arts performance' },
  birthday_party: { zh: '生日会', en: 'birthday party' },
  talent_class: { zh: '才艺培训班', en: 'talent class' },
  family_video_call: { zh: '亲情聊天', en: 'family video call' },
  counselling_session: { zh: '心理辅导', en: 'counselling session' },
  tutoring: { zh: '课业辅导', en: 'tutoring' },
  reading: { zh: '阅读活动', en: 'reading' },
  festival_event: { zh: '节日活动', en: 'festival event' },
  safety_education: { zh: '安全教育', en: 'safety education' },
  summer_programme: { zh: '暑期活动', en: 'summer programme' },
  other: { zh: '其他活动', en: 'other' },
};

const SUBJECT_LABELS_ZH: Record<string, string> = {
  art: '美术',
  go: '围棋',
  calligraphy: '书法',
  music: '音乐',
  dance: '舞蹈',
  sport: '体育',
  handicraft: '手工',
  other: '其他',
};

const EQUIPMENT_LABELS: Record<EquipmentKind, { zh: string; en: string }> = {
  counselling_room: { zh: '心理咨询室', en: 'counselling room' },
  sand_tray_room: { zh: '沙盘心理治疗室', en: 'sand tray room' },
  assessment_room: { zh: '心理测评室', en: 'assessment room' },
  reading_corner: { zh: '图书角', en: 'reading corner' },
  computers: { zh: '电脑', en: 'computers' },
  internet: { zh: '网络', en: 'internet' },
  video_chat: { zh: '亲情视频设备', en: 'video chat' },
  sports_equipment: { zh: '体育器材', en: 'sports equipment' },
  other: { zh: '其他', en: 'other' },
};

/** What every home should have; each counts equally. */
const CORE_EQUIPMENT: readonly EquipmentKind[] = [
  'counselling_room',
  'reading_corner',
  'computers',
  'internet',
  'video_chat',
];
/** Beyond what a village home is expected to have; rewarded, never required. */
const BONUS_EQUIPMENT: readonly EquipmentKind[] = ['sand_tray_room', 'assessment_room'];

const ACTIVITY_KINDS: ReadonlySet<string> = new Set(ZActivityKind.options);

// ---------------------------------------------------------------------------------------------
// Periods

/** Same format as the contract's FacilityEvaluated period. */
const PERIOD = /^(\d{4})(?:-(?:(0[1-9]|1[0-2])|Q([1-4])|H([12])))?$/;

/**
 * The first and last day (inclusive, Beijing dates) of a period and its length in months.
 * Throws RangeError when `period` is not 'YYYY', 'YYYY-Hn', 'YYYY-Qn' or 'YYYY-MM'.
 */
export function periodRange(period: string): { from: string; to: string; months: number } {
  const match = typeof period === 'string' ? PERIOD.exec(period) : null;
  if (!match) {
    throw new RangeError(
      `period ${JSON.stringify(period)} is not a period: expected YYYY, YYYY-Hn, YYYY-Qn or YYYY-MM (e.g. 2025, 2025-H1, 2025-Q3, 2025-06)`,
    );
  }
  const year = Number(match[1]);
  const [month, quarter, half] = [match[2], match[3], match[4]];
  let first = 1;
  let months = 12;
  if (month !== undefined) [first, months] = [Number(month), 1];
  else if (quarter !== undefined) [first, months] = [(Number(quarter) - 1) * 3 + 1, 3];
  else if (half !== undefined) [first, months] = [(Number(half) - 1) * 6 + 1, 6];
  const last = first + months - 1;
  return {
    from: `${match[1]}-${pad2(first)}-01`,
    to: `${match[1]}-${pad2(last)}-${pad2(daysInMonth(year, last))}`,
    months,
  };
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

const ISO_DATETIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const BEIJING_OFFSET_MS = 8 * 3_600_000;

/**
 * The Beijing calendar date (YYYY-MM-DD) an activity starts on. China has no DST, so +8 h is exact.
 * Requires an explicit offset — a bare local time would depend on the server's zone — and rejects
 * dates Date.parse would silently roll over (2025-02-30).
 */
function beijingDateOf(startsAt: string): string {
  const match = ISO_DATETIME.exec(startsAt);
  const ms = match ? Date.parse(startsAt) : Number.NaN;
  if (!match || Number.isNaN(ms)) {
    throw new RangeError(`activity startsAt ${JSON.stringify(startsAt)} is not an ISO datetime with an offset`);
  }
  const zone = match[3] ?? 'Z';
  const offsetMs =
    zone === 'Z'
      ? 0
      : (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60_000;
  const wallClock = new Date(ms + offsetMs).toISOString();
  if (wallClock.slice(0, 10) !== match[1] || wallClock.slice(11, 16) !== match[2]) {
    throw new RangeError(`activity startsAt ${JSON.stringify(startsAt)} is not a valid date and time`);
  }
  return new Date(ms + BEIJING_OFFSET_MS).toISOString().slice(0, 10);
}

// ---------------------------------------------------------------------------------------------
// Evaluation

/**
 * Scores a home for a period.
 *
 * Counting rules, common to all data criteria:
 * - Only activities with status 'logged' count; cancelled ones never happened as far as the scheme
 *   is concerned.
 * - An activity belongs to the period when its start, as a Beijing date (UTC+8), lies within
 *   [from, to] — 2025-06-30T23:30+08:00 is June, 2025-06-30T16:30Z (00:30 on 1 July) is July.
 * - Children are counted by id, duplicates once; only children in `enrolledChildIds` count for the
 *   shares (a child who left before the end of the period is in neither numerator nor denominator).
 *
 * Throws RangeError on a bad period, a bad activity (kind, status, startsAt), a bad equipment
 * entry, an evaluator score outside 0–100, or bad weights.
 */
export function evaluate(input: EvaluationInput): EvaluationResult {
  const { from, to, months } = periodRange(input.period);
  const weights = normaliseWeights(input.weights);
  validateEvaluatorScores(input.evaluatorScores);

  const counted = input.activities.filter((activity, index) => {
    validateActivity(activity, index);
    const day = beijingDateOf(activity.startsAt);
    return activity.status === 'logged' && day >= from && day <= to;
  });
  const enrolled = new Set(input.enrolledChildIds);

  const measured: Record<CriterionKey, Measured> = {
    activity_frequency: activityFrequency(counted, months),
    activity_variety: activityVariety(counted),
    personal_files: personalFiles(enrolled, input.completeFileChildIds),
    counselling: counselling(counted, months),
    family_calls: familyCalls(counted, enrolled),
    equipment: equipment(input.equipment),
    safety: evaluatorScore(input.evaluatorScores.safety),
    environment: evaluatorScore(input.evaluatorScores.environment),
  };

  const criteria = CRITERION_KEYS.map((key): Criterion => {
    const m = measured[key];
    return {
      key,
      label: CRITERION_LABELS[key].zh,
      labelEn: CRITERION_LABELS[key].en,
      source: key === 'safety' || key === 'environment' ? 'evaluator' : 'data',
      value: round(m.value, 2),
      unit: m.unit,
      score: round(clamp(m.score), 1),
      weight: round(weights[key], 6),
      detail: m.detail,
      detailZh: m.detailZh,
    };
  });
  // The total is computed from the published (one-decimal) criterion scores, so anyone can redo
  // the sum from the report and get the same figure; the weights are used unrounded (rounding them
  // to six decimals cannot move a one-decimal total by more than a rounding tie).
  const totalScore = round(
    criteria.reduce((sum, c) => sum + c.score * weights[c.key], 0),
    1,
  );
  return { period: input.period, from, to, criteria, totalScore, grade: gradeFor(totalScore) };
}

/** The grade of a total score, per GRADE_THRESHOLDS (bounds inclusive). */
export function gradeFor(totalScore: number): EvaluationGrade {
  if (totalScore >= GRADE_THRESHOLDS.excellent) return 'excellent';
  if (totalScore >= GRADE_THRESHOLDS.good) return 'good';
  if (totalScore >= GRADE_THRESHOLDS.qualified) return 'qualified';
  return 'unqualified';
}

/**
 * Ranks homes of one county by total score, highest first, with competition ranking: homes with the
 * same score share a rank and the next rank is skipped (1, 2, 2, 4). Scores are compared at the one
 * decimal they are published with. Ties are listed by facilityId (code-unit order), so the output
 * never depends on the input order. Throws RangeError on a duplicate facilityId or a non-finite score.
 */
export function rankWithinCounty(
  items: { facilityId: string; totalScore: number }[],
): { facilityId: string; rank: number; totalScore: number }[] {
  const seen = new Set<string>();
  for (const item of items) {
    if (seen.has(item.facilityId)) throw new RangeError(`facility ${item.facilityId} appears more than once`);
    seen.add(item.facilityId);
    if (!Number.isFinite(item.totalScore)) {
      throw new RangeError(`facility ${item.facilityId} has a total score that is not a number: ${item.totalScore}`);
    }
  }
  const tenths = (score: number) => Math.round(score * 10);
  const sorted = [...items].sort(
    (a, b) =>
      tenths(b.totalScore) - tenths(a.totalScore) ||
      (a.facilityId < b.facilityId ? -1 : a.facilityId > b.facilityId ? 1 : 0),
  );
  let rank = 0;
  return sorted.map((item, index) => {
    const previous = sorted[index - 1];
    if (!previous || tenths(previous.totalScore) !== tenths(item.totalScore)) rank = index + 1;
    return { facilityId: item.facilityId, rank, totalScore: item.totalScore };
  });
}

// ---------------------------------------------------------------------------------------------
// Criteria

interface Measured {
  value: number;
  unit: string;
  score: number;
  detail: string;
  detailZh: string;
}

/** Every logged activity of any kind counts; score linear up to ACTIVITIES_PER_MONTH_TARGET. */
function activityFrequency(activities: EvaluatedActivity[], months: number): Measured {
  const count = activities.length;
  const perMonth = count / months;
  return {
    value: perMonth,
    unit: 'activities/month',
    score: (Math.min(perMonth, ACTIVITIES_PER_MONTH_TARGET) / ACTIVITIES_PER_MONTH_TARGET) * 100,
    detail: `${plural(count, 'activity', 'activities')} in ${plural(months, 'month', 'months')} (${perMonth.toFixed(1)}/month; full marks at ${ACTIVITIES_PER_MONTH_TARGET}/month)`,
    detailZh: `${months}个月共开展活动${count}次（月均${perMonth.toFixed(1)}次，满分标准每月${ACTIVITIES_PER_MONTH_TARGET}次）`,
  };
}

/**
 * Distinct kinds of logged activity. Talent classes count once per subject (an art class and a Go
 * class are different things for a child) but at most TALENT_CLASS_SUBJECTS_CAP times, so a home
 * cannot reach full variety on talent classes alone; a talent class without a subject is one
 * "unspecified" subject. 'other' counts as one kind. Full marks at DISTINCT_KINDS_TARGET.
 */
function activityVariety(activities: EvaluatedActivity[]): Measured {
  const kinds = new Set<ActivityKind>();
  const subjects = new Set<string>();
  for (const activity of activities) {
    kinds.add(activity.kind);
    if (activity.kind === 'talent_class') subjects.add(activity.subject ?? '');
  }
  const talentSubjects = [...subjects].sort().slice(0, TALENT_CLASS_SUBJECTS_CAP);
  const en: string[] = [];
  const zh: string[] = [];
  for (const kind of ZActivityKind.options) {
    if (!kinds.has(kind)) continue;
    if (kind !== 'talent_class') {
      en.push(KIND_LABELS[kind].en);
      zh.push(KIND_LABELS[kind].zh);
      continue;
    }
    for (const subject of talentSubjects) {
      en.push(subject ? `talent class (${subject})` : 'talent class');
      zh.push(subject ? `才艺培训班（${SUBJECT_LABELS_ZH[subject] ?? subject}）` : '才艺培训班');
    }
  }
  const distinct = en.length;
  const capNote = subjects.size > TALENT_CLASS_SUBJECTS_CAP;
  return {
    value: distinct,
    unit: 'kinds',
    score: (Math.min(distinct, DISTINCT_KINDS_TARGET) / DISTINCT_KINDS_TARGET) * 100,
    detail:
      `${plural(distinct, 'distinct kind', 'distinct kinds')}${distinct ? `: ${en.join(', ')}` : ''} ` +
      `(full marks at ${DISTINCT_KINDS_TARGET}; talent classes count once per subject, at most ${TALENT_CLASS_SUBJECTS_CAP}` +
      `${capNote ? `, ${subjects.size} subjects held` : ''})`,
    detailZh:
      `开展活动${distinct}类${distinct ? `：${zh.join('、')}` : ''}` +
      `（满分标准${DISTINCT_KINDS_TARGET}类；才艺培训班按科目计，最多计${TALENT_CLASS_SUBJECTS_CAP}类` +
      `${capNote ? `，实际开设${subjects.size}个科目` : ''}）`,
  };
}

/** Share of enrolled children whose file is complete; score = share × 100; none enrolled → 0. */
function personalFiles(enrolled: ReadonlySet<string>, completeFileChildIds: string[]): Measured {
  const complete = new Set(completeFileChildIds.filter((id) => enrolled.has(id))).size;
  if (enrolled.size === 0) {
    return {
      value: 0,
      unit: '%',
      score: 0,
      detail: 'No children enrolled at the end of the period: scored 0',
      detailZh: '期末无在册儿童，本项计0分',
    };
  }
  const share = complete / enrolled.size;
  return {
    value: share * 100,
    unit: '%',
    score: share * 100,
    detail: `${complete} of ${plural(enrolled.size, 'enrolled child', 'enrolled children')} have a complete personal file (${percent(share)})`,
    detailZh: `在册儿童${enrolled.size}人，个人档案完整${complete}人（${percent(share)}）`,
  };
}

/** Logged counselling sessions per month; linear up to COUNSELLING_PER_MONTH_TARGET. */
function counselling(activities: EvaluatedActivity[], months: number): Measured {
  const count = activities.filter((a) => a.kind === 'counselling_session').length;
  const perMonth = count / months;
  return {
    value: perMonth,
    unit: 'sessions/month',
    score: (Math.min(perMonth, COUNSELLING_PER_MONTH_TARGET) / COUNSELLING_PER_MONTH_TARGET) * 100,
    detail: `${plural(count, 'counselling session', 'counselling sessions')} in ${plural(months, 'month', 'months')} (${perMonth.toFixed(1)}/month; full marks at ${COUNSELLING_PER_MONTH_TARGET}/month)`,
    detailZh: `${months}个月共开展心理辅导${count}次（月均${perMonth.toFixed(1)}次，满分标准每月${COUNSELLING_PER_MONTH_TARGET}次）`,
  };
}

/**
 * Share of enrolled children who attended at least one logged family video call in the period;
 * linear up to FAMILY_CALL_SHARE_TARGET (not 100 %: some children live with a parent who came home,
 * or have no one to call). None enrolled → 0.
 */
function familyCalls(activities: EvaluatedActivity[], enrolled: ReadonlySet<string>): Measured {
  if (enrolled.size === 0) {
    return {
      value: 0,
      unit: '%',
      score: 0,
      detail: 'No children enrolled at the end of the period: scored 0',
      detailZh: '期末无在册儿童，本项计0分',
    };
  }
  const called = new Set<string>();
  for (const activity of activities) {
    if (activity.kind !== 'family_video_call') continue;
    for (const id of activity.attendeeChildIds) if (enrolled.has(id)) called.add(id);
  }
  const share = called.size / enrolled.size;
  const target = percent(FAMILY_CALL_SHARE_TARGET, 0);
  return {
    value: share * 100,
    unit: '%',
    score: (Math.min(share, FAMILY_CALL_SHARE_TARGET) / FAMILY_CALL_SHARE_TARGET) * 100,
    detail: `${called.size} of ${plural(enrolled.size, 'enrolled child', 'enrolled children')} joined at least one family video call (${percent(share)}; full marks at ${target})`,
    detailZh: `在册儿童${enrolled.size}人中${called.size}人参加过亲情聊天（${percent(share)}，满分标准${target}）`,
  };
}

/**
 * Core items present (quantity > 0, entries of one kind added up) out of CORE_EQUIPMENT, × 100;
 * each bonus room adds EQUIPMENT_BONUS_POINTS, capped at 100. Sports equipment and 'other' are
 * recorded but not scored: every school already has a playground.
 */
function equipment(items: EvaluationInput['equipment']): Measured {
  const quantities = new Map<EquipmentKind, number>();
  items.forEach((item, index) => {
    if (!(item.kind in EQUIPMENT_LABELS)) {
      throw new RangeError(`equipment[${index}]: unknown kind ${JSON.stringify(item.kind)}`);
    }
    if (!Number.isInteger(item.quantity) || item.quantity < 0) {
      throw new RangeError(
        `equipment[${index}] (${item.kind}): quantity must be a whole number ≥ 0, got ${item.quantity}`,
      );
    }
    quantities.set(item.kind, (quantities.get(item.kind) ?? 0) + item.quantity);
  });
  const has = (kind: EquipmentKind) => (quantities.get(kind) ?? 0) > 0;
  const present = CORE_EQUIPMENT.filter(has);
  const missing = CORE_EQUIPMENT.filter((kind) => !has(kind));
  const bonus = BONUS_EQUIPMENT.filter(has);
  const bonusPoints = bonus.length * EQUIPMENT_BONUS_POINTS;
  const en = (kinds: readonly EquipmentKind[]) => kinds.map((k) => EQUIPMENT_LABELS[k].en).join(', ');
  const zh = (kinds: readonly EquipmentKind[]) => kinds.map((k) => EQUIPMENT_LABELS[k].zh).join('、');
  return {
    value: present.length,
    unit: 'core items',
    score: (present.length / CORE_EQUIPMENT.length) * 100 + bonusPoints,
    detail:
      `${present.length} of ${CORE_EQUIPMENT.length} core items present` +
      (missing.length ? ` (missing: ${en(missing)})` : '') +
      (bonus.length ? `; bonus +${bonusPoints} for ${en(bonus)} (capped at 100)` : ''),
    detailZh:
      `核心设施${CORE_EQUIPMENT.length}项具备${present.length}项` +
      (missing.length ? `（缺：${zh(missing)}）` : '') +
      (bonus.length ? `；加分项：${zh(bonus)}，加${bonusPoints}分（本项最高100分）` : ''),
  };
}

function evaluatorScore(score: number): Measured {
  return {
    value: score,
    unit: 'points',
    score,
    detail: `Scored by the evaluator: ${score}`,
    detailZh: `评估人员评分：${score}分`,
  };
}

// ---------------------------------------------------------------------------------------------
// Validation

/**
 * DEFAULT_WEIGHTS overridden key by key, then scaled to sum 1 — so {safety: 0.2} raises safety
 * relative to the rest rather than requiring the caller to rebalance every weight by hand.
 */
function normaliseWeights(overrides: EvaluationInput['weights']): Record<CriterionKey, number> {
  const merged: Record<CriterionKey, number> = { ...DEFAULT_WEIGHTS };
  for (const [key, weight] of Object.entries(overrides ?? {})) {
    if (!(CRITERION_KEYS as readonly string[]).includes(key)) {
      throw new RangeError(`weights: unknown criterion ${JSON.stringify(key)} (known: ${CRITERION_KEYS.join(', ')})`);
    }
    if (weight === undefined) continue;
    if (!Number.isFinite(weight) || weight < 0) {
      throw new RangeError(`weights.${key} must be a finite number ≥ 0, got ${weight}`);
    }
    merged[key as CriterionKey] = weight;
  }
  const sum = CRITERION_KEYS.reduce((total, key) => total + merged[key], 0);
  if (sum <= 0) throw new RangeError('weights: at least one criterion must have a weight above 0');
  for (const key of CRITERION_KEYS) merged[key] /= sum;
  return merged;
}

function validateEvaluatorScores(scores: EvaluationInput['evaluatorScores']): void {
  for (const key of ['safety', 'environment'] as const) {
    const score = scores[key];
    if (typeof score !== 'number' || !Number.isFinite(score) || score < 0 || score > 100) {
      throw new RangeError(`evaluatorScores.${key} must be between 0 and 100, got ${score}`);
    }
  }
}

function validateActivity(activity: EvaluatedActivity, index: number): void {
  if (!ACTIVITY_KINDS.has(activity.kind)) {
    throw new RangeError(`activities[${index}]: unknown kind ${JSON.stringify(activity.kind)}`);
  }
  if (activity.status !== 'logged' && activity.status !== 'cancelled') {
    throw new RangeError(
      `activities[${index}]: status must be 'logged' or 'cancelled', got ${JSON.stringify(activity.status)}`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Small helpers

/** Half away from zero; the epsilon keeps 72.75 from becoming 72.7 through binary representation. */
function round(n: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(n * factor + Math.sign(n) * 1e-9) / factor;
}

function clamp(score: number): number {
  return Math.min(100, Math.max(0, score));
}

function percent(share: number, decimals = 1): string {
  return `${(share * 100).toFixed(decimals)}%`;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}
