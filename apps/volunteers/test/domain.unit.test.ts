/** The pure decisions: safeguarding over an event window, eligibility, ages, the kind mapping. */
import { describe, expect, it } from 'vitest';

import { addDays, ageOn, beijingDate } from '../src/domain/dates.js';
import { ineligibility } from '../src/domain/eligibility.js';
import { CONTRACT_KIND, EVENT_KINDS } from '../src/domain/kinds.js';
import { clearanceStatus, clearedForChildren, safeguardingRefusal } from '../src/domain/safeguarding.js';

const clearance = (issuedOn: string, expiresOn: string) => ({
  issuedOn,
  expiresOn,
  verifiedBy: 'c',
  verifiedAt: new Date(),
});
const camp = { startsOn: '2026-07-15', endsOn: '2026-07-21' };

describe('safeguarding', () => {
  it('when the clearance covers the whole event and training is done, then no refusal', () => {
    expect(
      safeguardingRefusal(
        { clearance: clearance('2026-01-01', '2026-07-21'), training: { completedOn: '2026-07-15' } },
        camp,
      ),
    ).toBeUndefined();
  });
  it('when something is missing or ends too early, then the precise reason', () => {
    expect(safeguardingRefusal({}, camp)).toBe('clearance_missing');
    expect(
      safeguardingRefusal(
        { clearance: clearance('2026-01-01', '2026-07-20'), training: { completedOn: '2026-01-01' } },
        camp,
      ),
    ).toBe('clearance_expires_during_event');
    expect(safeguardingRefusal({ clearance: clearance('2026-01-01', '2026-07-14') }, camp)).toBe('clearance_expired');
    expect(safeguardingRefusal({ clearance: clearance('2026-07-16', '2027-07-14') }, camp)).toBe(
      'clearance_not_yet_valid',
    );
    expect(safeguardingRefusal({ clearance: clearance('2026-01-01', '2027-01-01') }, camp)).toBe('training_missing');
    expect(
      safeguardingRefusal(
        {
          clearance: clearance('2026-01-01', '2027-01-01'),
          training: { completedOn: '2026-01-01' },
          revoked: { on: '2026-05-01', by: 'c' },
        },
        camp,
      ),
    ).toBe('clearance_revoked');
  });
  it('when time passes, then the status follows the expiry', () => {
    const s = { clearance: clearance('2026-01-01', '2026-06-30'), training: { completedOn: '2026-01-02' } };
    expect(clearanceStatus(s, '2026-06-30')).toBe('cleared');
    expect(clearedForChildren(s, '2026-06-30')).toBe(true);
    expect(clearanceStatus(s, '2026-07-01')).toBe('expired');
    expect(clearedForChildren(s, '2026-07-01')).toBe(false);
    expect(clearanceStatus({}, '2026-07-01')).toBe('pending');
  });
});

describe('eligibility', () => {
  const rules = { regionPrefixes: ['430626', '430621'], categories: ['left_behind' as const], minAge: 8, maxAge: 14 };
  const child = { birthDate: '2014-07-15', regionCode: '430626101201', categories: ['left_behind'], status: 'active' };
  it('when a child meets every rule, then eligible; else every failing rule', () => {
    expect(ineligibility(child, rules, '2026-07-15')).toEqual([]);
    expect(ineligibility({ ...child, birthDate: '2011-07-15' }, rules, '2026-07-15')).toEqual(['age_not_eligible']);
    expect(ineligibility({ ...child, birthDate: '2011-07-16' }, rules, '2026-07-15')).toEqual([]); // 14 until tomorrow
    expect(ineligibility({ ...child, regionCode: '430681101201', categories: [] }, rules, '2026-07-15')).toEqual([
      'region_not_eligible',
      'category_not_eligible',
    ]);
  });
  it('when ages are counted, then birthdays are respected', () => {
    expect(ageOn('2018-07-16', '2026-07-15')).toBe(7);
    expect(ageOn('2018-07-15', '2026-07-15')).toBe(8);
    expect(addDays('2026-06-01', 60)).toBe('2026-07-31');
    expect(beijingDate(new Date('2026-06-30T16:30:00Z'))).toBe('2026-07-01');
  });
});

describe('kinds', () => {
  it('when any kind is published, then it maps to the contract’s kind', () => {
    for (const kind of EVENT_KINDS)
      expect(['summer_camp', 'class', 'visit', 'care_event', 'other']).toContain(CONTRACT_KIND[kind]);
  });
});
