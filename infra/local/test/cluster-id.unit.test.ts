import { describe, expect, it } from 'vitest';

import { kafkaClusterId } from '../src/servers.js';

describe('the Kafka cluster id', () => {
  it('when the random bytes encode to an id starting with "-", then it draws again (the storage tool would read it as an option)', () => {
    const dashed = Buffer.alloc(16, 0xf8); // 111110… → "-" (62 in URL-safe base64)
    const plain = Buffer.alloc(16, 0x41);
    expect(dashed.toString('base64url').startsWith('-')).toBe(true);
    const draws = [dashed, dashed, plain];
    expect(kafkaClusterId(() => draws.shift()!)).toBe(plain.toString('base64url'));
    expect(draws).toEqual([]);
  });

  it('is 22 URL-safe base64 characters, never starting with "-"', () => {
    for (let i = 0; i < 2000; i += 1) expect(kafkaClusterId()).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
  });
});
