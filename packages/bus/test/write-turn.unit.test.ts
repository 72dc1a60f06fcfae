import type { Connection } from 'mongoose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { inWriteTurn } from '../src/outbox/document-lock.js';

/** A model of a database by name; the dialect is set through TONGXIN_BUS_DIALECT (no server asked). */
const database = (name: string) => ({ db: { name } as unknown as Connection });

describe('inWriteTurn: FerretDB writes per database', () => {
  const before = process.env.TONGXIN_BUS_DIALECT;
  beforeEach(() => {
    process.env.TONGXIN_BUS_DIALECT = 'ferretdb';
  });
  afterEach(() => {
    if (before === undefined) delete process.env.TONGXIN_BUS_DIALECT;
    else process.env.TONGXIN_BUS_DIALECT = before;
  });

  it('when many writes to one database come at once, then at most two run and the rest start in order of arrival', async () => {
    const db = database(`turns_${Date.now()}`);
    const other = database(`${db.db.name}_other`);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const release: (() => void)[] = [];
    const write = (n: number) =>
      inWriteTurn(db, async () => {
        started.push(n);
        running += 1;
        most = Math.max(most, running);
        await new Promise<void>((resolve) => release.push(resolve));
        running -= 1;
        return n;
      });
    const all = [1, 2, 3, 4, 5].map(write);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(started).toEqual([1, 2]);
    // Another database is not held up by this one's queue.
    await expect(inWriteTurn(other, async () => 'other')).resolves.toBe('other');
    while (started.length < 5 || release.length > 0) {
      release.shift()?.();
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    expect(await Promise.all(all)).toEqual([1, 2, 3, 4, 5]);
    expect(started).toEqual([1, 2, 3, 4, 5]);
    expect(most).toBe(2);
  });

  it('when a write fails, then its turn passes to the next one', async () => {
    const db = database(`turns_fail_${Date.now()}`);
    const results = await Promise.allSettled([
      inWriteTurn(db, async () => {
        throw new Error('refused');
      }),
      inWriteTurn(db, async () => {
        throw new Error('refused too');
      }),
      inWriteTurn(db, async () => 'written'),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
    expect((results[2] as PromiseFulfilledResult<string>).value).toBe('written');
  });

  it('when the database is MongoDB, then writes take no turn: all run at once', async () => {
    process.env.TONGXIN_BUS_DIALECT = 'mongodb';
    const db = database(`turns_mongodb_${Date.now()}`);
    let running = 0;
    let most = 0;
    const release: (() => void)[] = [];
    const all = [1, 2, 3, 4, 5].map((n) =>
      inWriteTurn(db, async () => {
        running += 1;
        most = Math.max(most, running);
        await new Promise<void>((resolve) => release.push(resolve));
        running -= 1;
        return n;
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(most).toBe(5);
    for (const go of release) go();
    expect(await Promise.all(all)).toEqual([1, 2, 3, 4, 5]);
  });
});
