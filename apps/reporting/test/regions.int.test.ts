/**
 * The region tree and the write-behind store against the real FerretDB: buckets written on the
 * store's flush, ancestors on the tree's (each written once per flush), a repair that brings
 * ancestors up after a crash between the two, and a store that keeps what a failed flush did not
 * write.
 */
import { createDatabase } from '@tongxin/service-kit';
import { mongodbUri, uniqueDatabase } from '@tongxin/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { ChildEntry } from '../src/domain/tally.js';
import { byId, readModels, type ReadModels, type RegionDoc } from '../src/read-models/models.js';
import { createRegionTree } from '../src/read-models/regions.js';
import { createStore } from '../src/read-models/store.js';

const child = (categories: string[]): ChildEntry => ({
  active: 1,
  categories,
  difficultyTypes: [],
  unsupervised: 0,
  schooling: 'enrolled',
  guardianAssigned: 0,
});

describe('the region tree', () => {
  const db = createDatabase({ uri: mongodbUri(), dbName: uniqueDatabase('reporting-regions') });
  let models: ReadModels;

  beforeAll(async () => {
    await db.open();
    models = readModels(db.connection);
  });
  afterAll(async () => {
    await db.connection.dropDatabase().catch(() => {});
    await db.close();
  });

  it('writes a bucket on the store flush and its ancestors on the tree flush, each ancestor once for a whole batch', async () => {
    const store = createStore(models);
    const tree = createRegionTree(models, store);
    // Two villages of one township, one of another township, one township-level entry: Yueyang county.
    await tree.set('430621101201', 'children', 'c1', child(['left_behind']));
    await tree.set('430621101202', 'children', 'c2', child(['left_behind']));
    await tree.set('430621101202', 'children', 'c3', child(['in_difficulty']));
    await tree.set('430621201201', 'children', 'c4', child(['left_behind']));
    await tree.set('430621101', 'children', 'c5', child(['in_difficulty']));
    expect(await byId<RegionDoc>(models.Regions, '430621101202')).toBeNull(); // nothing written yet
    // Four buckets, the second village's once for its two children.
    expect(await store.flush()).toBe(4);

    expect((await tree.totals('430621101202')).counts['children:active']).toBe(2);
    expect((await tree.totals('4306')).counts['children:active']).toBeUndefined();
    expect(tree.pending).toBe(4);

    // Townships 430621101 and 430621201, county 430621, city 4306: four documents, once each.
    expect(await tree.flush()).toBe(4);
    expect(tree.pending).toBe(0);
    expect(await store.flush()).toBe(4);
    const city = await tree.totals('4306');
    expect(city.counts['children:active']).toBe(5);
    expect(city.counts['children:left_behind']).toBe(3);
    expect(city.counts['children:in_difficulty']).toBe(2);
    expect((await tree.totals('430621101')).counts['children:active']).toBe(4);

    // A child moves to another county and one exits: both ancestors follow.
    await tree.set('430621201201', 'children', 'c4', null);
    await tree.set('430626101201', 'children', 'c4', child(['left_behind']));
    await tree.set('430621101201', 'children', 'c1', null);
    await tree.flush();
    await store.flush();
    expect((await tree.totals('430621')).counts['children:active']).toBe(3);
    expect((await tree.totals('430626')).counts['children:active']).toBe(1);
    expect((await tree.totals('4306')).counts['children:active']).toBe(4);

    // The same facts again change nothing anywhere.
    await tree.set('430626101201', 'children', 'c4', child(['left_behind']));
    expect(await tree.flush()).toBe(0);
    expect(await store.flush()).toBe(0);
    expect(await tree.repair()).toBe(0);
  });

  it('repairs ancestors left behind by a crash between an event and the flush', async () => {
    const store = createStore(models);
    const crashed = createRegionTree(models, store);
    await crashed.set('430681101201', 'children', 'm1', child(['left_behind']));
    await crashed.set('430681101201', 'children', 'm2', child(['in_difficulty']));
    await store.flush(); // the events' batch is written (and its offsets may be committed)…
    // …and the process dies here: nothing above the village knows about Miluo's two children.
    expect(await byId<RegionDoc>(models.Regions, '430681')).toBeNull();
    const before = (await crashed.totals('4306')).counts['children:active'] ?? 0;

    const restarted = createRegionTree(models, createStore(models));
    expect(await restarted.repair()).toBe(3); // township 430681101, county 430681, city 4306
    expect((await restarted.totals('430681')).counts['children:active']).toBe(2);
    expect((await restarted.totals('4306')).counts['children:active']).toBe(before + 2);
    expect(await restarted.repair()).toBe(0);
  });

  it('keeps what a failed flush did not write, and writes it on the next flush', async () => {
    const store = createStore(models);
    const tree = createRegionTree(models, store);
    await tree.set('430682101201', 'children', 'k1', child(['left_behind']));
    store.timeline('k1', {
      child_1: { at: '2026-11-30T00:00:00.000Z', tie: 1, service: 'registry', type: 'registered' },
    });
    const regions = models.Regions.collection;
    const original = regions.replaceOne.bind(regions);
    let failures = 1;
    regions.replaceOne = (async (...args: Parameters<typeof original>) => {
      if (failures-- > 0) throw Object.assign(new Error('connection reset'), { name: 'MongoNetworkError' });
      return original(...args);
    }) as typeof regions.replaceOne;
    try {
      await expect(store.flush()).rejects.toThrow('connection reset');
      expect(store.pending).toBe(2);
      expect(await store.flush()).toBe(2);
    } finally {
      regions.replaceOne = original;
    }
    expect(store.pending).toBe(0);
    expect((await tree.totals('430682101201')).counts['children:active']).toBe(1);
    expect(await byId(models.Timelines, 'k1')).toMatchObject({ entries: { child_1: { type: 'registered' } } });
  });

  it('reads the documents a batch will ask for together: a cache miss reads the next hinted ones with it', async () => {
    const store = createStore(models);
    const children = models.Children.collection;
    const ids = Array.from({ length: 20 }, (_, i) => `h${i}`);
    // Every other child exists; the rest are new to the read model.
    for (const id of ids.filter((_, i) => i % 2 === 0))
      await children.insertOne({ _id: id as never, sequence: 3, regionCode: '430621101201' });
    const original = children.findOne.bind(children);
    let reads = 0;
    let inFlight = 0;
    let mostAtOnce = 0;
    children.findOne = (async (...args: Parameters<typeof original>) => {
      reads += 1;
      mostAtOnce = Math.max(mostAtOnce, ++inFlight);
      try {
        return await original(...args);
      } finally {
        inFlight -= 1;
      }
    }) as typeof children.findOne;
    try {
      store.hint('Children', ids);
      expect(await store.get('Children', 'h0')).toMatchObject({ _id: 'h0', sequence: 3 });
      expect(reads).toBe(16); // h0 and the next 15 hinted, at once
      expect(mostAtOnce).toBeGreaterThan(1);
      for (const id of ids.slice(1, 16)) {
        expect(await store.get('Children', id)).toEqual(
          Number(id.slice(1)) % 2 === 0 ? expect.objectContaining({ _id: id }) : null,
        );
      }
      expect(reads).toBe(16); // all of them from the cache
      await store.flush(); // the cache starts afresh; the hints not yet used are kept
      expect(await store.get('Children', 'h16')).toMatchObject({ _id: 'h16' });
      expect(reads).toBe(20); // h16 with h17–h19
      expect(await store.get('Children', 'h19')).toBeNull();
      expect(await store.get('Children', 'h2')).toMatchObject({ _id: 'h2' }); // not hinted any more: alone
      expect(reads).toBe(21);
    } finally {
      children.findOne = original;
    }
  });

  it('keeps the newest 20,000 hinted ids: a cache miss reads the next of those with it, the older ones are dropped', async () => {
    const store = createStore(models);
    const children = models.Children.collection;
    const original = children.findOne.bind(children);
    const asked: string[] = [];
    children.findOne = (async (...args: Parameters<typeof original>) => {
      asked.push(String((args[0] as unknown as { _id: string })._id));
      return original(...args);
    }) as typeof children.findOne;
    try {
      store.hint(
        'Children',
        Array.from({ length: 15_000 }, (_, i) => `old${i}`),
      );
      store.hint(
        'Children',
        Array.from({ length: 10_000 }, (_, i) => `new${i}`),
      );
      expect(await store.get('Children', 'miss1')).toBeNull();
      // 25,000 hinted: the oldest 5,000 dropped, so the next after the miss are old5000…old5014.
      expect(asked).toEqual(['miss1', ...Array.from({ length: 15 }, (_, i) => `old${5000 + i}`)]);
      asked.length = 0;
      expect(await store.get('Children', 'miss2')).toBeNull();
      expect(asked).toEqual(['miss2', ...Array.from({ length: 15 }, (_, i) => `old${5015 + i}`)]);
    } finally {
      children.findOne = original;
    }
  });
});
