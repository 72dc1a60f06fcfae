import { describe, expect, it } from 'vitest';

import {
  makeResidentId,
  maskResidentId,
  parseResidentId,
  residentIdCheckChar,
  residentIdSchema,
  valueIssueOf,
  ZResidentId,
  type ResidentIdErrorCode,
} from '../../src/values/index.js';

const today = new Date('2024-06-01T12:00:00Z');

function errorCodeOf(input: string, now: Date = today): ResidentIdErrorCode | undefined {
  const result = parseResidentId(input, { today: now });
  return result.ok ? undefined : result.error.code;
}

/** A number whose checksum is right, so only the birth date can be what fails. */
function withValidCheck(first17: string): string {
  return first17 + residentIdCheckChar(first17);
}

describe('parseResidentId, hand-verified vectors', () => {
  it('when given the GB 11643 example 11010519491231002X, then it is valid, female, born 1949-12-31', () => {
    // Σ digit×weight = 7+9+0+5+0+20+2+9+24+27+7+18+30+5+0+0+4 = 167; 167 mod 11 = 2 → "10X98765432"[2] = X
    expect(parseResidentId('11010519491231002X', { today })).toEqual({
      ok: true,
      value: { id: '11010519491231002X', birthDate: '1949-12-31', sex: 'female', regionCode: '110105' },
    });
  });

  it('when given a Pingjiang number worked out by hand, then it is valid with the right fields', () => {
    // 430626 20080215 002: Σ = 28+27+0+30+16+24+4+0+0+24+0+18+10+25+0+0+4 = 210; 210 mod 11 = 1 → "0"
    expect(parseResidentId('430626200802150020', { today })).toEqual({
      ok: true,
      value: { id: '430626200802150020', birthDate: '2008-02-15', sex: 'female', regionCode: '430626' },
    });
  });

  it('when the 17th digit is odd, then the holder is male', () => {
    const id = withValidCheck('43062120100301001');
    const result = parseResidentId(id, { today });
    expect(result.ok && result.value.sex).toBe('male');
  });

  it('when the check character is wrong, then bad_checksum with both languages', () => {
    const result = parseResidentId('110105194912310021', { today });
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'bad_checksum',
        message: expect.stringContaining('check character'),
        messageZh: expect.stringContaining('校验码'),
      },
    });
  });
});

describe('parseResidentId, normalisation', () => {
  it('when the X is lower-case, then it is accepted and upper-cased', () => {
    const result = parseResidentId('11010519491231002x', { today });
    expect(result.ok && result.value.id).toBe('11010519491231002X');
  });

  it('when surrounded by spaces, tabs or an ideographic space, then they are ignored', () => {
    const result = parseResidentId(' \t\u300011010519491231002X \n', { today });
    expect(result.ok && result.value.id).toBe('11010519491231002X');
  });

  it('when typed in full-width digits and Ｘ, then it is normalised to ASCII', () => {
    const result = parseResidentId('１１０１０５１９４９１２３１００２Ｘ', { today });
    expect(result.ok && result.value.id).toBe('11010519491231002X');
  });

  it('when given the old 15-digit form, then it is upgraded to 18 with "19" inserted and a computed check', () => {
    expect(parseResidentId('110105491231002', { today })).toEqual({
      ok: true,
      value: { id: '11010519491231002X', birthDate: '1949-12-31', sex: 'female', regionCode: '110105' },
    });
  });

  it('when a 15-digit number has an impossible date, then it is rejected like an 18-digit one', () => {
    expect(errorCodeOf('430626990230001')).toBe('impossible_birth_date');
  });
});

describe('parseResidentId, every error code', () => {
  it.each<[string, string, ResidentIdErrorCode]>([
    ['empty string', '', 'empty'],
    ['only whitespace', '   ', 'empty'],
    ['a letter other than X', '11010519491231002A', 'bad_characters'],
    ['inner spaces', '110105 19491231 002X', 'bad_characters'],
    ['17 characters', '11010519491231002', 'wrong_length'],
    ['19 characters', '11010519491231002X1', 'wrong_length'],
    ['X not in last place', '1101051949123100X2', 'misplaced_check_character'],
    ['X in a 15-character number', '11010549123100X', 'misplaced_check_character'],
    ['province 00', withValidCheck('00010519491231002'), 'unknown_province'],
    ['province 19', withValidCheck('19010519491231002'), 'unknown_province'],
    ['province 72 (between 71 and 81)', withValidCheck('72010519491231002'), 'unknown_province'],
    ['month 13', withValidCheck('43062620081315002'), 'impossible_birth_date'],
    ['day 00', withValidCheck('43062620080200002'), 'impossible_birth_date'],
    ['31 April', withValidCheck('43062620080431002'), 'impossible_birth_date'],
    ['born 1899', withValidCheck('43062618991231002'), 'birth_date_before_1900'],
    ['born tomorrow', withValidCheck('43062620240602002'), 'future_birth_date'],
  ])('when the number has %s, then the error code is the expected one', (_label, input, code) => {
    expect(errorCodeOf(input)).toBe(code);
  });

  it('when the GB 11643 example 440524188001010014 is checked, then its checksum holds but 1880 is before 1900', () => {
    // Σ = 28+36+0+25+16+16+2+8+48+0+0+9+0+5+0+0+2 = 195; 195 mod 11 = 8 → "4": only the year fails
    expect(residentIdCheckChar('44052418800101001')).toBe('4');
    expect(errorCodeOf('440524188001010014')).toBe('birth_date_before_1900');
  });

  it('when any check fails, then the error has non-empty English and Chinese messages', () => {
    const result = parseResidentId('123', { today });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.message).toMatch(/18 characters/);
      expect(result.error.messageZh).toMatch(/18位/);
    }
  });

  it('when the bad checksum is reported, then the message does not reveal the right check character', () => {
    const result = parseResidentId('110105194912310021', { today });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(`${result.error.message}${result.error.messageZh}`).not.toContain('X');
  });
});

describe('parseResidentId, birth dates', () => {
  it('when born on 29 February 2000 (a leap year divisible by 400), then the date is accepted', () => {
    const result = parseResidentId(withValidCheck('43062620000229002'), { today });
    expect(result.ok && result.value.birthDate).toBe('2000-02-29');
  });

  it('when born on 29 February 1900 (divisible by 100, not a leap year), then impossible_birth_date', () => {
    expect(errorCodeOf(withValidCheck('43062619000229002'))).toBe('impossible_birth_date');
  });

  it('when born on 29 February 2023, then impossible_birth_date', () => {
    expect(errorCodeOf(withValidCheck('43062620230229002'))).toBe('impossible_birth_date');
  });

  it('when born on 1 January 1900, then the earliest allowed date is accepted', () => {
    expect(errorCodeOf(withValidCheck('43062619000101002'))).toBeUndefined();
  });

  it('when born today in Beijing while it is still yesterday in UTC, then the date is not in the future', () => {
    // 2024-06-01T17:00Z is 2024-06-02 01:00 in Beijing
    const lateUtcEvening = new Date('2024-06-01T17:00:00Z');
    expect(errorCodeOf(withValidCheck('43062620240602002'), lateUtcEvening)).toBeUndefined();
    expect(errorCodeOf(withValidCheck('43062620240603002'), lateUtcEvening)).toBe('future_birth_date');
  });

  it('when no today is given, then the current date is used', () => {
    expect(parseResidentId(withValidCheck('43062629990101002')).ok).toBe(false);
    expect(parseResidentId('11010519491231002X').ok).toBe(true);
  });
});

describe('makeResidentId', () => {
  it('when building an id, then it parses back to the same fields', () => {
    const id = makeResidentId({ regionCode: '430626', birthDate: '2012-09-30', sequence: 17, sex: 'male' });
    expect(id).toHaveLength(18);
    expect(parseResidentId(id, { today })).toEqual({
      ok: true,
      value: { id, birthDate: '2012-09-30', sex: 'male', regionCode: '430626' },
    });
  });

  it('when the hand-verified example inputs are used, then the GB 11643 example is reproduced', () => {
    // order code 002 = sequence 1 × 2 + 0 (female)
    expect(makeResidentId({ regionCode: '110105', birthDate: '1949-12-31', sequence: 1, sex: 'female' })).toBe(
      '11010519491231002X',
    );
  });

  it('when building many ids across sexes, sequences and dates, then all are valid and distinct', () => {
    const ids = new Set<string>();
    for (const sex of ['male', 'female'] as const) {
      for (const sequence of [0, 1, 2, 250, 499]) {
        for (const birthDate of ['2000-02-29', '2010-12-31', '2016-01-01']) {
          const id = makeResidentId({ regionCode: '430621', birthDate, sequence, sex });
          const parsed = parseResidentId(id, { today });
          expect(parsed.ok && parsed.value.sex).toBe(sex);
          ids.add(id);
        }
      }
    }
    expect(ids.size).toBe(2 * 5 * 3);
  });

  it('when no sequence is given, then 0 is used', () => {
    expect(makeResidentId({ regionCode: '430602', birthDate: '2011-05-05', sex: 'female' }).slice(14, 17)).toBe('000');
    expect(makeResidentId({ regionCode: '430602', birthDate: '2011-05-05', sex: 'male' }).slice(14, 17)).toBe('001');
  });

  it('when asked for a future birth date, then it still builds one (to test the future rule)', () => {
    const id = makeResidentId({ regionCode: '430626', birthDate: '2030-01-01', sex: 'male' });
    expect(errorCodeOf(id)).toBe('future_birth_date');
  });

  it.each([
    [{ regionCode: '4306', birthDate: '2010-01-01', sex: 'male' as const }, 'bad_region'],
    [{ regionCode: '990626', birthDate: '2010-01-01', sex: 'male' as const }, 'bad_region'],
    [{ regionCode: '430626', birthDate: '2010-02-30', sex: 'male' as const }, 'bad_birth_date'],
    [{ regionCode: '430626', birthDate: '20100101', sex: 'male' as const }, 'bad_birth_date'],
    [{ regionCode: '430626', birthDate: '2010-01-01', sequence: 500, sex: 'male' as const }, 'bad_sequence'],
    [{ regionCode: '430626', birthDate: '2010-01-01', sequence: 1.5, sex: 'male' as const }, 'bad_sequence'],
  ])('when given bad input %j, then it throws %s', (input, code) => {
    expect(() => makeResidentId(input)).toThrow(expect.objectContaining({ issue: expect.objectContaining({ code }) }));
  });
});

describe('residentIdCheckChar', () => {
  it('when given fewer than 17 digits, then it throws', () => {
    expect(() => residentIdCheckChar('1234')).toThrow(RangeError);
  });
});

describe('maskResidentId', () => {
  it('when masking an 18-character id, then the first 6 and last 4 remain', () => {
    expect(maskResidentId('430626200802150020')).toBe('430626********0020');
    expect(maskResidentId('11010519491231002x')).toBe('110105********002X');
  });

  it('when masking a 15-digit id, then the first 6 and last 4 remain', () => {
    expect(maskResidentId('110105491231002')).toBe('110105*****1002');
  });

  it('when the value is not an id, then everything is masked', () => {
    expect(maskResidentId('12345678')).toBe('********');
    expect(maskResidentId('')).toBe('');
  });
});

describe('ZResidentId', () => {
  it('when parsing a valid id with noise, then the output is the normalised 18-character id', () => {
    expect(ZResidentId.parse(' 110105491231002 ')).toBe('11010519491231002X');
  });

  it('when the id is invalid, then the zod issue carries the code and the Chinese message', () => {
    const result = ZResidentId.safeParse('110105194912310021');
    expect(result.success).toBe(false);
    const issue = result.error?.issues[0];
    expect(issue?.message).toMatch(/check character/);
    expect(issue && valueIssueOf(issue)).toEqual({
      code: 'bad_checksum',
      message: expect.any(String),
      messageZh: '公民身份号码校验码不正确，请检查是否输错',
    });
  });

  it('when the id is invalid, then the issue does not echo the number', () => {
    const result = ZResidentId.safeParse('110105194912310021');
    expect(JSON.stringify(result.error?.issues)).not.toContain('110105194912310021');
  });

  it('when the input is not a string, then a bilingual invalid_type issue results', () => {
    const result = ZResidentId.safeParse(110105194912310020);
    const issue = result.error?.issues[0];
    expect(issue && valueIssueOf(issue)).toEqual({
      code: 'invalid_type',
      message: 'expected a string, got number',
      messageZh: '应为文本',
    });
  });

  it('when built with a fixed clock, then "today" comes from that clock', () => {
    const schema = residentIdSchema({ now: () => new Date('2010-01-01T00:00:00Z') });
    const result = schema.safeParse(withValidCheck('43062620120101002'));
    expect(result.error?.issues[0] && valueIssueOf(result.error.issues[0]).code).toBe('future_birth_date');
  });
});
