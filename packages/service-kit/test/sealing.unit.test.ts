import { randomBytes } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { createSealer, parseKey, SealError } from '../src/index.js';

describe('sealing personal data', () => {
  const keys = { encryptionKey: randomBytes(32), indexKey: randomBytes(32) };
  const sealer = createSealer(keys);

  it('when a value is sealed, then it opens to itself, differs each time and carries no clear text', () => {
    const id = '43062620140501002X';
    const a = sealer.seal(id);
    const b = sealer.seal(id);
    expect(a).not.toBe(b);
    expect(a).not.toContain(id);
    expect(a).toMatch(/^v1\.[\w-]+\.[\w-]+$/);
    expect(sealer.open(a)).toBe(id);
    expect(sealer.open(b)).toBe(id);
  });

  it('when a sealed value is tampered with or opened with another key, then opening fails', () => {
    const sealed = sealer.seal('13812345678');
    const [version, nonce, body] = sealed.split('.');
    const target = body!.at(-2)!; // a character carrying authentication-tag bits
    const flipped = `${version}.${nonce}.${body!.slice(0, -2)}${target === 'A' ? 'B' : 'A'}${body!.slice(-1)}`;
    expect(flipped).not.toBe(sealed);
    expect(() => sealer.open(flipped)).toThrow();
    const other = createSealer({ encryptionKey: randomBytes(32), indexKey: randomBytes(32) });
    expect(() => other.open(sealed)).toThrow();
    expect(() => sealer.open('plain text')).toThrow(SealError);
  });

  it('when the blind index is taken, then it is deterministic, case-insensitive for the X check character, and key-dependent', () => {
    expect(sealer.index('43062620140501002x')).toBe(sealer.index('43062620140501002X'));
    expect(sealer.index('43062620140501002X')).not.toBe(sealer.index('430626201405010038'));
    const other = createSealer({ encryptionKey: randomBytes(32), indexKey: randomBytes(32) });
    expect(other.index('43062620140501002X')).not.toBe(sealer.index('43062620140501002X'));
  });

  it('when keys are too short or the same, then the sealer refuses them', () => {
    expect(() => parseKey('KEY', randomBytes(16).toString('base64'))).toThrow(/at least 32 bytes/);
    const key = randomBytes(32);
    expect(() => createSealer({ encryptionKey: key, indexKey: key })).toThrow(/differ/);
    expect(parseKey('KEY', `hex:${key.toString('hex')}`).equals(key)).toBe(true);
  });
});
