import { describe, expect, it } from 'vitest';

import { uniqueDatabase, uniqueTopic, waitFor } from '../src/index.js';

describe('waitFor', () => {
  it('when the condition becomes true, then it resolves with the value', async () => {
    let calls = 0;
    const value = await waitFor(() => (++calls >= 3 ? `after ${calls}` : false), { intervalMs: 1 });
    expect(value).toBe('after 3');
  });

  it('when the condition never holds, then it fails naming what it waited for and the last error', async () => {
    await expect(
      waitFor(
        () => {
          throw new Error('projection empty');
        },
        { timeoutMs: 30, intervalMs: 5, message: 'the projection' },
      ),
    ).rejects.toThrow(/waiting for the projection \(last error: projection empty\)/);
  });
});

describe('unique names', () => {
  it('when two names are made with one prefix, then they differ and fit Kafka and MongoDB rules', () => {
    const a = uniqueTopic('x');
    expect(a).not.toBe(uniqueTopic('x'));
    expect(a).toMatch(/^[a-zA-Z0-9._-]+$/);
    const db = uniqueDatabase('a-very-long-prefix-that-goes-on-and-on-and-on-for-ever');
    expect(db.length).toBeLessThanOrEqual(63);
    expect(db).toMatch(/^[a-zA-Z0-9_]+$/);
  });
});
