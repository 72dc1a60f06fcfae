import { describe, expect, it } from 'vitest';

import {
  ancestorsOf,
  canonicalRegionCode,
  isProvinceCode,
  isWithin,
  parentOf,
  parseRegionCode,
  regionLevel,
  toGbCode,
  toStatisticalCode,
  valueIssueOf,
  ZRegionCodeFormat,
  type RegionCodeErrorCode,
} from '../../src/values/index.js';

describe('parseRegionCode', () => {
  it.each([
    ['43', '43', 'province'],
    ['4306', '4306', 'prefecture'],
    ['430626', '430626', 'county'],
    ['430626101', '430626101', 'township'],
    ['430626101201', '430626101201', 'village'],
  ] as const)('when given the short form %s, then it is canonical at level %s', (input, code, level) => {
    expect(parseRegionCode(input)).toEqual({ ok: true, value: { code, level } });
  });

  it.each([
    ['430000000000', '43', 'province'],
    ['430600000000', '4306', 'prefecture'],
    ['430626000000', '430626', 'county'],
    ['430626101000', '430626101', 'township'],
    ['430600', '4306', 'prefecture'],
    ['430000', '43', 'province'],
    ['4300', '43', 'province'],
    ['430626000', '430626', 'county'],
  ] as const)('when given the zero-padded form %s, then it normalises to %s', (input, code, level) => {
    expect(parseRegionCode(input)).toEqual({ ok: true, value: { code, level } });
  });

  it('when given full-width digits and spaces, then they are normalised', () => {
    expect(parseRegionCode(' ４３０６２６ ')).toEqual({ ok: true, value: { code: '430626', level: 'county' } });
  });

  it.each<[string, RegionCodeErrorCode]>([
    ['', 'empty'],
    ['4306a6', 'bad_characters'],
    ['43-06', 'bad_characters'],
    ['430', 'wrong_length'],
    ['4306261', 'wrong_length'],
    ['4306261012011', 'wrong_length'],
    ['99', 'unknown_province'],
    ['000000000000', 'unknown_province'],
    ['430026', 'zero_segment'],
    ['430600101', 'zero_segment'],
    ['430626000201', 'zero_segment'],
  ])('when given %j, then the error code is %s', (input, code) => {
    const result = parseRegionCode(input);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe(code);
      expect(result.error.message.length).toBeGreaterThan(0);
      expect(result.error.messageZh).toMatch(/行政区划代码/);
    }
  });
});

describe('region hierarchy arithmetic', () => {
  it('when asking levels, then length decides', () => {
    expect(regionLevel('43')).toBe('province');
    expect(regionLevel('430600')).toBe('prefecture');
    expect(regionLevel('430626101201')).toBe('village');
  });

  it('when walking up from a village, then parents follow the levels', () => {
    expect(parentOf('430626101201')).toBe('430626101');
    expect(parentOf('430626101')).toBe('430626');
    expect(parentOf('430626')).toBe('4306');
    expect(parentOf('4306')).toBe('43');
    expect(parentOf('43')).toBeNull();
  });

  it('when the padded form is given, then the parent is still the canonical parent', () => {
    expect(parentOf('430626000000')).toBe('4306');
  });

  it('when asking ancestors, then they come broadest first, without the code itself', () => {
    expect(ancestorsOf('430621201201')).toEqual(['43', '4306', '430621', '430621201']);
    expect(ancestorsOf('4306')).toEqual(['43']);
    expect(ancestorsOf('43')).toEqual([]);
  });

  it('when the code is malformed, then the strict helpers throw with both languages', () => {
    expect(() => parentOf('4306x')).toThrow(/digits only.*只能包含数字/);
    expect(() => regionLevel('123')).toThrow(RangeError);
    expect(() => canonicalRegionCode('')).toThrow(/empty/);
  });

  it('when converting to other forms, then the padding is right', () => {
    expect(toStatisticalCode('4306')).toBe('430600000000');
    expect(toStatisticalCode('430626101')).toBe('430626101000');
    expect(toGbCode('4306')).toBe('430600');
    expect(toGbCode('430626')).toBe('430626');
    expect(() => toGbCode('430626101')).toThrow(RangeError);
  });

  it('when checking province codes, then only real ones pass', () => {
    for (const code of ['11', '15', '21', '23', '31', '37', '41', '46', '50', '54', '61', '65', '71', '81', '82']) {
      expect(isProvinceCode(code)).toBe(true);
    }
    for (const code of [
      '00',
      '10',
      '16',
      '20',
      '24',
      '30',
      '38',
      '40',
      '47',
      '49',
      '55',
      '60',
      '66',
      '70',
      '72',
      '80',
      '83',
      '99',
    ]) {
      expect(isProvinceCode(code)).toBe(false);
    }
  });
});

describe('isWithin (authorisation scopes)', () => {
  it('when the code is the scope itself, then it is within', () => {
    expect(isWithin('430626', '430626')).toBe(true);
  });

  it('when the code is a descendant, then it is within', () => {
    expect(isWithin('430626101', '430626')).toBe(true);
    expect(isWithin('430626101201', '430626')).toBe(true);
    expect(isWithin('430626101201', '4306')).toBe(true);
    expect(isWithin('430626101201', '43')).toBe(true);
  });

  it('when the code is a sibling, a parent or elsewhere, then it is not within', () => {
    expect(isWithin('430621201201', '430626')).toBe(false);
    expect(isWithin('4306', '430626')).toBe(false);
    expect(isWithin('440305', '4306')).toBe(false);
  });

  it('when padded forms are mixed with short ones, then they compare canonically', () => {
    expect(isWithin('430626101201', '430600000000')).toBe(true);
    expect(isWithin('430626101000', '430626')).toBe(true);
    expect(isWithin('430626', '430600')).toBe(true);
  });

  it('when either side is malformed, then the answer is false (fail closed)', () => {
    expect(isWithin('430626101201', '')).toBe(false);
    expect(isWithin('430626101201', '4306x')).toBe(false);
    expect(isWithin('garbage', '43')).toBe(false);
  });
});

describe('ZRegionCodeFormat', () => {
  it('when the code is well formed anywhere in China, then it is accepted in canonical form', () => {
    expect(ZRegionCodeFormat.parse('440305000000')).toBe('440305');
  });

  it('when the code is malformed, then the issue is bilingual', () => {
    const result = ZRegionCodeFormat.safeParse('4306261');
    const issue = result.error?.issues[0];
    expect(issue && valueIssueOf(issue)).toEqual({
      code: 'wrong_length',
      message: 'region code "4306261" must have 2, 4, 6, 9 or 12 digits, got 7',
      messageZh: '行政区划代码"4306261"应为2、4、6、9或12位数字，实际为7位',
    });
  });
});
