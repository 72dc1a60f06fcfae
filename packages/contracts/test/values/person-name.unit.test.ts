import { describe, expect, it } from 'vitest';

import { maskPersonName } from '../../src/values/index.js';

describe('maskPersonName', () => {
  it('when a name of three or more characters is masked, then only the first and the last remain', () => {
    expect(maskPersonName('张三明')).toBe('张*明');
    expect(maskPersonName('欧阳娜娜')).toBe('欧**娜');
    expect(maskPersonName(' 王梓涵 ')).toBe('王*涵');
  });

  it('when a name has one or two characters, then no more than the first remains', () => {
    expect(maskPersonName('张三')).toBe('张*');
    expect(maskPersonName('张')).toBe('*');
    expect(maskPersonName('')).toBe('');
  });

  it('when a name holds characters outside the basic plane, then each counts as one', () => {
    expect(maskPersonName('𠀋小明')).toBe('𠀋*明');
  });
});
