import { YUEYANG_VILLAGES } from '@tongxin/contracts/values';
import { describe, expect, it } from 'vitest';

import { generateCity } from '../bench/city.js';

import type { SourceDepartment, SubmissionRow } from '../src/domain/child.js';
import {
  compareDates,
  mergeFacts,
  normaliseDate,
  normaliseName,
  parseDate,
  reconcile,
  type MatchGroup,
  type MatchRecord,
  type ReconciliationInput,
  type ReconciliationResult,
} from '../src/reconciliation/index.js';

// Two villages of one township and one of another, from the platform's Yueyang table.
const TOWNSHIP = YUEYANG_VILLAGES[0]!.parentCode!;
const [VILLAGE_A, VILLAGE_B] = YUEYANG_VILLAGES.filter((v) => v.parentCode === TOWNSHIP).map((v) => v.code);
const VILLAGE_ELSEWHERE = YUEYANG_VILLAGES.find((v) => v.parentCode !== TOWNSHIP)!.code;

let rowNumber = 1;
function row(facts: Partial<SubmissionRow> & { name: string }): SubmissionRow {
  rowNumber += 1;
  return { rowNumber, ...facts };
}

function record(source: SourceDepartment, rowId: string, facts: SubmissionRow, idIndex?: string): MatchRecord {
  return idIndex === undefined ? { source, rowId, row: facts } : { source, rowId, idIndex, row: facts };
}

function lists(records: MatchRecord[]): ReconciliationInput {
  return {
    civil_affairs: records.filter((r) => r.source === 'civil_affairs'),
    education: records.filter((r) => r.source === 'education'),
    public_security: records.filter((r) => r.source === 'public_security'),
  };
}

function groupOf(result: ReconciliationResult, source: SourceDepartment, rowId: string): MatchGroup {
  const group = result.groups.find((g) => g.members.some((m) => m.source === source && m.rowId === rowId));
  if (!group) throw new Error(`no group for ${source}:${rowId}`);
  return group;
}

const membersOf = (group: MatchGroup): string[] => group.members.map((m) => `${m.source}:${m.rowId}`).sort();

describe('normaliseName', () => {
  it('when a name is traditional, full-width or spaced, then its simplified form and pinyin are the plain ones', () => {
    const name = normaliseName(' 張\u200B曉　明 ');

    expect(name).toMatchObject({ display: '張曉明', simplified: '张晓明', pinyin: 'zhangxiaoming', initials: 'zxm' });
  });

  it('when two names are homophones or surname variants, then their pinyin is equal and their characters are not', () => {
    expect(normaliseName('王小明').pinyin).toBe(normaliseName('王晓明').pinyin);
    expect(normaliseName('萧红').pinyin).toBe(normaliseName('肖红').pinyin);
    expect(normaliseName('曾伟').pinyin).toBe('zengwei');
    expect(normaliseName('单伟').pinyin).toBe('shanwei');
    expect(normaliseName('王小明').simplified).not.toBe(normaliseName('王晓明').simplified);
  });

  it('when a minority name uses separator dots, then the comparison keys drop them and the display keeps one', () => {
    const name = normaliseName('阿依古丽 • 买买提');

    expect(name.display).toBe('阿依古丽·买买提');
    expect(name.simplified).toBe('阿依古丽买买提');
  });
});

describe('dates', () => {
  it('when a date is typed in a common Chinese form, then it normalises to YYYY-MM-DD, and an impossible date to undefined', () => {
    expect(normaliseDate('2012年3月5日')).toBe('2012-03-05');
    expect(normaliseDate('２０１２/３/５')).toBe('2012-03-05');
    expect(normaliseDate('20120305')).toBe('2012-03-05');
    expect(normaliseDate('2012-02-30')).toBeUndefined();
    expect(normaliseDate('')).toBeUndefined();
  });

  it('when dates differ by a day/month swap or a single digit, then they compare as weaker matches', () => {
    const d = (v: string) => parseDate(v);

    expect(compareDates(d('2012-03-05'), d('2012-03-05'))).toBe('equal');
    expect(compareDates(d('2012-03-05'), d('2012-05-03'))).toBe('swapped');
    expect(compareDates(d('2012-03-05'), d('2012-03-06'))).toBe('typo');
    expect(compareDates(d('2012-03-05'), d('2013-03-05'))).toBe('typo');
    expect(compareDates(d('2012-03-05'), d('2014-07-05'))).toBe('different');
    expect(compareDates(d('2012-03-05'), undefined)).toBe('missing');
  });
});

describe('reconcile', () => {
  // One township's three lists, overlapping as real ones do.
  const zhang = { sex: 'male' as const, birthDate: '2012-03-05', regionCode: VILLAGE_A };
  const records = [
    // 李娜: the same ID index on all three lists.
    record(
      'civil_affairs',
      'ca-1',
      row({
        name: '李娜',
        sex: 'female',
        birthDate: '2011-06-01',
        regionCode: VILLAGE_A,
        supervision: 'unsupervised',
        guardian: { name: '李国强', relation: 'paternal_grandfather' },
      }),
      'id-lina',
    ),
    record(
      'education',
      'ed-1',
      row({
        name: '李娜',
        sex: 'female',
        birthDate: '2011-06-01',
        regionCode: VILLAGE_A,
        supervision: 'supervised',
        schooling: { status: 'boarding', school: '康乐小学' },
      }),
      'id-lina',
    ),
    record(
      'public_security',
      'ps-1',
      row({
        name: '李娜',
        sex: 'female',
        birthDate: '2011-06-01',
        regionCode: VILLAGE_A,
        hukou: { status: 'registered', kind: 'rural' },
      }),
      'id-lina',
    ),
    // 张伟: traditional on the police list, no ID index on the school list.
    record('public_security', 'ps-2', row({ name: '張偉', ...zhang }), 'id-zhangwei'),
    record('education', 'ed-2', row({ name: '张伟', ...zhang, schooling: { status: 'enrolled' } })),
    // 王晓明 / 王小明: homophones, same birth date and village, no ID on either side.
    record(
      'civil_affairs',
      'ca-3',
      row({ name: '王晓明', sex: 'male', birthDate: '2013-09-10', regionCode: VILLAGE_B }),
    ),
    record('education', 'ed-3', row({ name: '王小明', sex: 'male', birthDate: '2013-09-10', regionCode: VILLAGE_B })),
    // 陈静: day and month swapped on the civil-affairs form.
    record(
      'civil_affairs',
      'ca-4',
      row({ name: '陈静', sex: 'female', birthDate: '2014-04-08', regionCode: VILLAGE_A }),
    ),
    record(
      'public_security',
      'ps-4',
      row({ name: '陈静', sex: 'female', birthDate: '2014-08-04', regionCode: VILLAGE_A }),
      'id-chenjing',
    ),
    // Two different children called 刘洋 in one village, born years apart.
    record('civil_affairs', 'ca-5', row({ name: '刘洋', sex: 'male', birthDate: '2010-02-14', regionCode: VILLAGE_B })),
    record('education', 'ed-5', row({ name: '刘洋', sex: 'male', birthDate: '2015-11-20', regionCode: VILLAGE_B })),
    // 赵敏: everything equal but the ID indexes differ — two children, never one.
    record(
      'education',
      'ed-6',
      row({ name: '赵敏', sex: 'female', birthDate: '2012-12-12', regionCode: VILLAGE_A }),
      'id-zhaomin-1',
    ),
    record(
      'public_security',
      'ps-6',
      row({ name: '赵敏', sex: 'female', birthDate: '2012-12-12', regionCode: VILLAGE_A }),
      'id-zhaomin-2',
    ),
    // 周杰: only on the police list.
    record(
      'public_security',
      'ps-7',
      row({ name: '周杰', sex: 'male', birthDate: '2016-01-30', regionCode: VILLAGE_ELSEWHERE }),
      'id-zhoujie',
    ),
  ];
  const input = lists(records);
  const result = reconcile(input);

  it('when the three lists carry the same ID index, then the rows form one exact group', () => {
    const group = groupOf(result, 'civil_affairs', 'ca-1');

    expect(group.kind).toBe('exact');
    expect(membersOf(group)).toEqual(['civil_affairs:ca-1', 'education:ed-1', 'public_security:ps-1']);
    expect(group.score).toBe(1);
    expect(group.reasons.find((r) => r.field === 'idNumber')).toMatchObject({ outcome: 'equal' });
  });

  it('when one list writes the name in traditional characters and has no ID, then it is a fuzzy match accepted without review', () => {
    const group = groupOf(result, 'public_security', 'ps-2');

    expect(group.kind).toBe('fuzzy');
    expect(membersOf(group)).toEqual(['education:ed-2', 'public_security:ps-2']);
    expect(group.needsReview).toBe(false);
    expect(group.reasons.find((r) => r.field === 'name')).toMatchObject({
      outcome: 'equal',
      detailZh: '繁简转换后姓名相同（张伟 / 張偉）',
    });
    expect(group.reasons.find((r) => r.field === 'idNumber')).toMatchObject({ outcome: 'missing' });
    expect(group.conflicts.find((c) => c.field === 'name')).toBeUndefined();
  });

  it('when names are homophones with the same birth date and village, then they match on pinyin and the names are a conflict', () => {
    const group = groupOf(result, 'civil_affairs', 'ca-3');

    expect(membersOf(group)).toEqual(['civil_affairs:ca-3', 'education:ed-3']);
    expect(group.score).toBeGreaterThanOrEqual(0.9);
    expect(group.reasons.find((r) => r.field === 'name')).toMatchObject({
      outcome: 'similar',
      score: 0.9,
      detailZh: '姓名拼音相同（王晓明 / 王小明）',
    });
    expect(group.conflicts).toContainEqual({
      field: 'name',
      values: [
        { source: 'civil_affairs', value: '王晓明' },
        { source: 'education', value: '王小明' },
      ],
    });
  });

  it('when day and month are swapped, then the rows match with a similar birth date and the dates listed as a conflict', () => {
    const group = groupOf(result, 'civil_affairs', 'ca-4');

    expect(membersOf(group)).toEqual(['civil_affairs:ca-4', 'public_security:ps-4']);
    expect(group.reasons.find((r) => r.field === 'birthDate')).toMatchObject({
      outcome: 'similar',
      detail: 'day and month swapped (2014-04-08 / 2014-08-04)',
    });
    expect(group.conflicts.find((c) => c.field === 'birthDate')?.values).toHaveLength(2);
  });

  it('when two children share a name but not a birth date, then they are not matched', () => {
    expect(groupOf(result, 'civil_affairs', 'ca-5').kind).toBe('single');
    expect(groupOf(result, 'education', 'ed-5').kind).toBe('single');
  });

  it('when ID indexes are present and different, then the rows never match however alike they are', () => {
    expect(groupOf(result, 'education', 'ed-6').kind).toBe('single');
    expect(groupOf(result, 'public_security', 'ps-6').kind).toBe('single');
  });

  it('when departments disagree on a fact, then the conflict lists each source with its value', () => {
    const group = groupOf(result, 'civil_affairs', 'ca-1');

    expect(group.conflicts).toEqual([
      {
        field: 'supervision',
        values: [
          { source: 'civil_affairs', value: 'unsupervised' },
          { source: 'education', value: 'supervised' },
        ],
      },
    ]);
  });

  it('when a group is matched, then every field has a reason in English and Chinese', () => {
    for (const group of result.groups.filter((g) => g.kind !== 'single')) {
      expect(group.reasons.map((r) => r.field)).toEqual(['idNumber', 'name', 'birthDate', 'sex', 'regionCode']);
      for (const reason of group.reasons) {
        expect(reason.detail).not.toBe('');
        expect(reason.detailZh).toMatch(/\p{Script=Han}/u);
        expect(reason.score).toBeGreaterThanOrEqual(0);
        expect(reason.score).toBeLessThanOrEqual(1);
      }
    }
  });

  it('when two departments name different guardians, then the summary counts it under a field name the database can store', () => {
    const facts = { name: '周敏', sex: 'female' as const, birthDate: '2013-02-02', regionCode: VILLAGE_A };
    const withGuardians = reconcile(
      lists([
        record(
          'civil_affairs',
          'g-1',
          row({ ...facts, guardian: { name: '周建华', relation: 'paternal_grandfather' } }),
          'id-zm',
        ),
        record(
          'education',
          'g-2',
          row({ ...facts, guardian: { name: '周建国', relation: 'paternal_grandfather' } }),
          'id-zm',
        ),
      ]),
    );
    expect(withGuardians.summary.conflictsByField).toEqual({ guardian_name: 1 });
  });

  it('when the lists are reconciled, then the summary counts rows, matches, singles and conflicts', () => {
    expect(result.summary).toMatchObject({
      rows: { civil_affairs: 4, education: 5, public_security: 5 },
      exactMatches: 1,
      fuzzyMatches: 3,
      needsReview: 0,
      singles: { civil_affairs: 1, education: 2, public_security: 2 },
    });
    expect(result.summary.groupsWithConflicts).toBe(3);
    expect(result.summary.conflictsByField).toMatchObject({ supervision: 1, name: 1, birthDate: 1 });
    for (const group of result.groups) {
      expect(new Set(group.members.map((m) => m.source)).size).toBe(group.members.length);
    }
  });

  it('when facts are merged, then each field comes from its preferred department and says so', () => {
    const merged = mergeFacts(groupOf(result, 'civil_affairs', 'ca-1'), input);

    expect(merged).toMatchObject({
      name: '李娜',
      supervision: 'unsupervised',
      schooling: { status: 'boarding', school: '康乐小学' },
      hukou: { status: 'registered', kind: 'rural' },
      guardian: { name: '李国强' },
    });
    expect(merged.sources).toMatchObject({
      name: 'public_security',
      birthDate: 'public_security',
      hukou: 'public_security',
      schooling: 'education',
      supervision: 'civil_affairs',
      guardian: 'civil_affairs',
    });
  });

  it('when a priority is given for a field, then mergeFacts follows it and falls back to whoever has a value', () => {
    const group = groupOf(result, 'civil_affairs', 'ca-1');

    const merged = mergeFacts(group, records, { supervision: ['education'], guardian: ['public_security'] });

    expect(merged.supervision).toBe('supervised');
    expect(merged.sources.supervision).toBe('education');
    expect(merged.sources.guardian).toBe('civil_affairs');
  });

  it('when an ID match disagrees on the name, then the group is flagged for review', () => {
    const mismatched = reconcile(
      lists([
        record('civil_affairs', 'c', row({ name: '黄磊', birthDate: '2012-01-01' }), 'same-id'),
        record('public_security', 'p', row({ name: '孙丽', birthDate: '2012-01-01' }), 'same-id'),
      ]),
    );

    expect(mismatched.groups[0]).toMatchObject({ kind: 'exact', needsReview: true });
    expect(mismatched.groups[0]!.notes.map((n) => n.code)).toEqual(['identity_differs']);
  });

  it('when a row without a birth date fits two rows of another list equally, then the match is proposed for review', () => {
    const ambiguous = reconcile(
      lists([
        record('civil_affairs', 'c', row({ name: '何勇', sex: 'male', regionCode: VILLAGE_A })),
        record(
          'public_security',
          'p1',
          row({ name: '何勇', sex: 'male', birthDate: '2011-01-01', regionCode: VILLAGE_A }),
        ),
        record(
          'public_security',
          'p2',
          row({ name: '何勇', sex: 'male', birthDate: '2014-05-09', regionCode: VILLAGE_A }),
        ),
      ]),
    );

    const group = groupOf(ambiguous, 'civil_affairs', 'c');
    expect(group).toMatchObject({ kind: 'fuzzy', needsReview: true });
    expect(group.notes.map((n) => n.code)).toContain('ambiguous_candidate');
  });

  it('when reviewBelow is under threshold, then reconcile refuses the options', () => {
    expect(() => reconcile(input, { threshold: 0.8, reviewBelow: 0.7 })).toThrow(RangeError);
  });
});

/* ------------------------------------------------------------------------------------------------
 * Scale: three noisy lists of ~5,000 rows each
 * ---------------------------------------------------------------------------------------------- */

describe('reconcile at scale', () => {
  it('when three noisy lists of ~5,000 rows are reconciled, then only blocked pairs are compared, the planted matches are found and no namesakes merged', () => {
    const { input, children, owner } = generateCity(5_000, 20_240_501);

    const started = performance.now();
    const result = reconcile(input);
    const elapsed = performance.now() - started;

    const childOf = (m: { source: string; rowId: string }) => owner.get(`${m.source}:${m.rowId}`)!;
    const groupIndex = new Map<string, number>();
    result.groups.forEach((g, i) => g.members.forEach((m) => groupIndex.set(`${m.source}:${m.rowId}`, i)));
    const rowsOf = new Map<number, MatchRecord[]>();
    for (const list of Object.values(input)) {
      for (const r of list) {
        const child = childOf(r);
        rowsOf.set(child, [...(rowsOf.get(child) ?? []), r]);
      }
    }
    const tally = { exact: { planted: 0, found: 0 }, fuzzy: { planted: 0, found: 0 } };
    for (const rows of rowsOf.values()) {
      for (let x = 0; x < rows.length; x++) {
        for (let y = x + 1; y < rows.length; y++) {
          const a = rows[x]!;
          const b = rows[y]!;
          const bucket = a.idIndex && b.idIndex ? tally.exact : tally.fuzzy;
          bucket.planted++;
          if (groupIndex.get(`${a.source}:${a.rowId}`) === groupIndex.get(`${b.source}:${b.rowId}`)) bucket.found++;
        }
      }
    }
    let falseMerges = 0;
    let namesakeMerges = 0;
    const namesakeOf = new Map(children.filter((c) => c.namesake !== undefined).map((c) => [c.id, c.namesake!]));
    for (const group of result.groups) {
      const ids = group.members.map(childOf);
      if (new Set(ids).size > 1) falseMerges++;
      if (ids.some((id) => namesakeOf.has(id) && ids.includes(namesakeOf.get(id)!))) namesakeMerges++;
    }
    const recall = (t: { planted: number; found: number }) => t.found / t.planted;
    console.log(
      `reconcile 3 × ~5,000 rows: ${elapsed.toFixed(0)} ms, ${result.summary.comparisons} comparisons; ` +
        `recall exact ${recall(tally.exact).toFixed(4)} (${tally.exact.planted}), fuzzy ${recall(tally.fuzzy).toFixed(4)} (${tally.fuzzy.planted}); ` +
        `false merges ${falseMerges}; review ${result.summary.needsReview}`,
    );

    // Blocking, not brute force: a bounded number of pairs per row (no timing assertion: timings belong in the bench).
    const rows = input.civil_affairs.length + input.education.length + input.public_security.length;
    expect(result.summary.comparisons).toBeLessThan(3 * rows);
    expect(recall(tally.exact)).toBeGreaterThanOrEqual(0.95);
    expect(recall(tally.fuzzy)).toBeGreaterThanOrEqual(0.95);
    expect(namesakeMerges).toBe(0);
    expect(falseMerges / result.groups.length).toBeLessThan(0.005);
  });
});
