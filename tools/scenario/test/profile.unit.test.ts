import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { parseResidentId } from '@tongxin/contracts/values';
import { describe, expect, it } from 'vitest';

import { buildCity, DEPARTMENTS } from '../src/city.js';
import { birthDateForAge, residentIds } from '../src/people.js';
import { apportion, expectedFigures, loadProfile, planOf, ProfileError } from '../src/profile.js';
import { seeded } from '../src/random.js';

const yueyang = new URL('../profiles/yueyang.json', import.meta.url).pathname;

describe('the Yueyang profile and its scaling', () => {
  it('when read at full size, then the city figures are the 2018 reply’s', () => {
    const figures = expectedFigures(planOf(loadProfile(yueyang), 1));
    expect(figures).toMatchObject({
      leftBehind: 33_309,
      inDifficulty: 4_920,
      'unsupervisedGivenGuardian.cases': 4_020,
      'dropoutsReturned.succeeded': 57,
      'hukouRegistered.succeeded': 1_458,
      rightsIncidentsHandled: 26,
      negligentParentsEducated: 283,
      homes: 212,
      'funds.fen': 450_000_000,
      'books.quantity': 50_000,
      'books.valueFen': 110_000_000,
      'books.recipients': 5,
      'books.donors': 2,
      'summerCamp.participants': 28,
    });
  });

  it('when scaled, then counties add up to the scaled city total by the largest remainder', () => {
    expect(apportion(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(apportion(7, [5, 0, 2])).toEqual([5, 0, 2]);
    const plan = planOf(loadProfile(yueyang), 0.05);
    const figures = expectedFigures(plan);
    expect(figures.leftBehind).toBe(Math.round(33_309 * 0.05));
    expect(figures.homes).toBe(Math.round(212 * 0.05));
    expect(figures['dropoutsReturned.cases']).toBe(3);
    expect(figures.rightsIncidentsHandled).toBe(1);
    expect(plan.counties.reduce((a, c) => a + c.inDifficulty, 0)).toBe(figures.inDifficulty);
  });

  it('when bursaries are planned, then they come out of the provincial fund and the funds figure stays the profile’s', () => {
    const full = planOf(loadProfile(yueyang), 1);
    expect(full.bursary).toEqual({ title: '困境儿童助学金', children: 800, amountFen: 50_000 });
    const small = planOf(loadProfile(yueyang), 0.005);
    expect(small.bursary.children).toBe(4);
    expect(small.bursary.children * small.bursary.amountFen).toBeLessThanOrEqual(small.provincialFundFen / 2);
    expect(expectedFigures(small)['funds.fen']).toBe(Math.round(450_000_000 * 0.005));
    // A tiny fund keeps at least half for the homes: fewer bursaries, never more than the fund.
    const tiny = planOf(loadProfile(yueyang), 0.0001);
    expect(tiny.bursary.children * tiny.bursary.amountFen).toBeLessThanOrEqual(tiny.provincialFundFen / 2);
  });

  it('when a profile is wrong, then the error names each field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'profile-'));
    const bad = JSON.parse(JSON.stringify(loadProfile(yueyang)));
    bad.counties[0].code = '430699';
    bad.difficultyTypes.orphan = 1;
    writeFileSync(join(dir, 'bad.json'), JSON.stringify(bad));
    expect(() => loadProfile(join(dir, 'bad.json'))).toThrow(ProfileError);
    try {
      loadProfile(join(dir, 'bad.json'));
    } catch (error) {
      expect((error as Error).message).toContain('counties.0.code');
      expect((error as Error).message).toContain('difficultyTypes');
    }
  });
});

describe('the generated city', () => {
  it('when generated twice with one seed, then it is the same, with valid ID numbers of the right county, date and sex', () => {
    const plan = planOf(loadProfile(yueyang), 0.01);
    const today = '2026-11-30';
    const a = buildCity(plan, seeded(42), today);
    const b = buildCity(plan, seeded(42), today);
    expect(a.children.map((c) => c.row)).toEqual(b.children.map((c) => c.row));
    expect(a.children.length).toBe(plan.counties.reduce((s, c) => s + c.leftBehind + c.inDifficulty, 0));
    for (const child of a.children.filter((c) => c.idNumber)) {
      const parsed = parseResidentId(child.idNumber!, { today: new Date(`${today}T00:00:00Z`) });
      expect(parsed.ok).toBe(true);
      if (parsed.ok) {
        expect(parsed.value.birthDate).toBe(child.birthDate);
        expect(parsed.value.sex).toBe(child.sex);
        expect(parsed.value.regionCode).toBe(child.county);
      }
    }
    // Noise: some rows of civil affairs and schools lack the ID number, some names differ.
    const rows = a.lists.flatMap((l) =>
      DEPARTMENTS.flatMap((d) => l.rows[d].map((r, i) => ({ d, r, key: l.keys[d][i]! }))),
    );
    const byKey = new Map(a.children.map((c) => [c.key, c]));
    expect(
      rows.some(({ d, r, key }) => d !== 'public_security' && !r['公民身份号码'] && byKey.get(key)!.idNumber),
    ).toBe(true);
    expect(rows.some(({ r, key }) => r['姓名'] !== byKey.get(key)!.name)).toBe(true);
  });

  it('when a birth date is made for an age, then the child has that age on the day', () => {
    const random = seeded(1);
    for (let i = 0; i < 200; i++) {
      const age = random.int(0, 17);
      const born = birthDateForAge(random, '2026-03-01', age);
      const [y, m, d] = born.split('-').map(Number) as [number, number, number];
      const had = 2026 - y - (m > 3 || (m === 3 && d > 1) ? 1 : 0);
      expect(had).toBe(age);
    }
    const ids = residentIds();
    expect(ids('430626', '2015-05-01', 'female')).not.toBe(ids('430626', '2015-05-01', 'female'));
  });
});
