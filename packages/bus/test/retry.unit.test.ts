import { setTimeout as sleep } from 'node:timers/promises';

import { describe, expect, it } from 'vitest';

import { ConcurrencyError, retryOnConflict } from '../src/index.js';

describe('retryOnConflict', () => {
  it('when an attempt loses a race, then it is tried again until it commits, and other errors are not retried', async () => {
    let tries = 0;
    const result = await retryOnConflict('things', 'a', async () => {
      tries += 1;
      if (tries < 3) throw new ConcurrencyError('a', tries);
      return 'committed';
    });
    expect(result).toBe('committed');
    expect(tries).toBe(3);

    let refused = 0;
    await expect(
      retryOnConflict('things', 'a', async () => {
        refused += 1;
        throw new RangeError('over the balance');
      }),
    ).rejects.toThrow(RangeError);
    expect(refused).toBe(1);
  });

  it('when every attempt loses, then the ConcurrencyError reaches the caller after the given attempts, pausing between them', async () => {
    let tries = 0;
    let pauses = 0;
    await expect(
      retryOnConflict(
        'things',
        'b',
        async () => {
          tries += 1;
          throw new ConcurrencyError('b', 0);
        },
        { attempts: 4, pause: async () => void (pauses += 1) },
      ),
    ).rejects.toBeInstanceOf(ConcurrencyError);
    expect(tries).toBe(4);
    expect(pauses).toBe(3);
  });

  it('when commands on one aggregate are in flight together, then they run one at a time in arrival order; other aggregates do not wait', async () => {
    const log: string[] = [];
    let inside = 0;
    let most = 0;
    const command = (id: string, name: string) =>
      retryOnConflict('things', id, async () => {
        inside += 1;
        most = Math.max(most, inside);
        log.push(`${name} start`);
        await sleep(5);
        log.push(`${name} end`);
        inside -= 1;
      });
    const other = retryOnConflict('things', 'd', async () => log.push('other'));
    await Promise.all([command('c', 'first'), command('c', 'second'), command('c', 'third'), other]);
    expect(log.filter((l) => l !== 'other')).toEqual([
      'first start',
      'first end',
      'second start',
      'second end',
      'third start',
      'third end',
    ]);
    // The other aggregate's command did not queue behind the three.
    expect(log.indexOf('other')).toBeLessThan(log.indexOf('first end'));
    expect(most).toBe(1);
  });
});
