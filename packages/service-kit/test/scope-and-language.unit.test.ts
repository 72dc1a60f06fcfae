import { describe, expect, it } from 'vitest';

import {
  AppError,
  assertInScope,
  canSeeFacility,
  canSeeRegion,
  languageOf,
  regionFilter,
  type Principal,
} from '../src/index.js';

const principal = (overrides: Partial<Principal>): Principal => ({
  sub: 'u1',
  name: 'n',
  roles: ['county_officer'],
  regions: [],
  facilities: [],
  donorOrgs: [],
  volunteerOrgs: [],
  ...overrides,
});

describe('scope', () => {
  const pingjiang = principal({ regions: ['430626'] });
  const manager = principal({ roles: ['facility_manager'], facilities: ['home-7'] });
  const admin = principal({ roles: ['city_admin'] });

  it('when regions are compared, then a prefix covers everything below it and nothing beside it', () => {
    expect(canSeeRegion(pingjiang, '430626')).toBe(true);
    expect(canSeeRegion(pingjiang, '430626101203')).toBe(true);
    expect(canSeeRegion(pingjiang, '430621')).toBe(false);
    expect(canSeeRegion(principal({ regions: ['4306'] }), '430621')).toBe(true);
    expect(canSeeRegion(admin, '110101')).toBe(true);
    expect(canSeeFacility(manager, 'home-7')).toBe(true);
    expect(canSeeFacility(manager, 'home-8')).toBe(false);
  });

  it('when an object is out of scope or missing, then assertInScope throws 404 not_found; in scope, it returns the object', () => {
    const note = { regionCode: '430621001', text: 'x' };
    expect(() => assertInScope(pingjiang, note)).toThrow(AppError);
    try {
      assertInScope(pingjiang, note);
    } catch (error) {
      expect(error).toMatchObject({ status: 404, code: 'not_found' });
    }
    expect(() => assertInScope(pingjiang, null)).toThrow(expect.objectContaining({ status: 404 }));
    expect(assertInScope(admin, note)).toBe(note);
    expect(assertInScope(manager, { regionCode: '430621', facilityId: 'home-7' }).facilityId).toBe('home-7');
    expect(() => assertInScope(pingjiang, {})).toThrow(expect.objectContaining({ status: 404 }));
  });

  it('when a list is filtered, then the filter matches the principal’s region prefixes only', () => {
    expect(regionFilter(admin)).toEqual({});
    expect(regionFilter(principal({ regions: [] }))).toEqual({ regionCode: { $in: [] } });
    expect(regionFilter(pingjiang)).toEqual({ $or: [{ regionCode: { $regex: '^430626' } }] });
  });
});

describe('languageOf', () => {
  it.each([
    [undefined, 'en'],
    ['zh-CN', 'zh'],
    ['zh-CN,zh;q=0.9,en;q=0.8', 'zh'],
    ['en-US,en;q=0.9,zh-CN;q=0.8', 'en'],
    ['fr-FR,zh;q=0.5,en;q=0.4', 'zh'],
    ['fr-FR', 'en'],
    ['en;q=0.3,zh-TW;q=0.7', 'zh'],
    ['zh;q=0', 'en'],
  ])('when Accept-Language is %s, then %s', (header, expected) => {
    expect(languageOf(header)).toBe(expected);
  });
});
