/**
 * The region tree of counters. Each region code that has anything owns one document; an entry
 * (child, case, report, home) lives in the bucket of its exact region code, and every document's
 * `totals` = tally(own entries) + Σ totals of its direct sub-regions (`parts`).
 *
 * All reads and writes go through the write-behind store (./store.ts), which writes them when the
 * consumer flushes it. `set` changes the entry's own bucket and marks the region dirty; `flush` then brings the
 * ancestors up to date for every dirty region together, deepest level first, reading and writing
 * each ancestor once per flush (a city document is written once for a whole batch of events, not
 * once per event — that walk was most of the cost of every event). Every step is a `$set`-like
 * replace of a value computed from what is stored, never an increment, so a redelivered or
 * re-applied fact changes nothing. A crash between `set` and `flush` leaves ancestors behind their
 * buckets (the event's offset may already be committed): `repair` recomputes every ancestor from
 * the buckets and runs before the consumer starts. Callers hold the serialiser: one writer at a time.
 */
import { canonicalRegionCode, parentOf } from '@tongxin/contracts/values';

import { addTotals, emptyTotals, stable, tally, type BucketEntries, type Totals } from '../domain/tally.js';
import { byId, put, type ReadModels, type RegionDoc } from './models.js';
import type { Store } from './store.js';

export type Group = keyof BucketEntries;

/** The short canonical code ("430626000000" → "430626"); the input when it is not a region code. */
export function canonical(code: string): string {
  try {
    return canonicalRegionCode(code);
  } catch {
    return code;
  }
}

const fresh = (code: string): RegionDoc => ({ _id: code, own: {}, parts: {}, totals: emptyTotals() });

function recompute(doc: RegionDoc): Totals {
  return addTotals(tally(doc.own), ...Object.values(doc.parts));
}

/** The parent that carries a region's totals (the city is the top: a province is not kept). */
function upper(code: string): string | null {
  let parent: string | null;
  try {
    parent = parentOf(code);
  } catch {
    return null;
  }
  return parent && parent.length >= 4 ? parent : null;
}

/** A region's totals as stored. */
export async function regionTotals(models: ReadModels, code: string): Promise<Totals> {
  return (await byId<RegionDoc>(models.Regions, canonical(code)))?.totals ?? emptyTotals();
}

export function createRegionTree(models: ReadModels, store: Store) {
  const read = async (code: string) => (await store.get<RegionDoc>('Regions', code)) ?? fresh(code);
  /** Regions whose totals changed since the last flush, with those totals. */
  let dirty = new Map<string, Totals>();

  /** Pushes `frontier` (code → fresh totals) up to the city, one level at a time, deepest first. */
  async function propagate(frontier: Map<string, Totals>): Promise<number> {
    let writes = 0;
    while (frontier.size > 0) {
      const deepest = Math.max(...[...frontier.keys()].map((code) => code.length));
      const byParent = new Map<string, [string, Totals][]>();
      for (const [code, totals] of frontier) {
        if (code.length !== deepest) continue;
        frontier.delete(code);
        const parent = upper(code);
        if (!parent) continue;
        const siblings = byParent.get(parent) ?? [];
        siblings.push([code, totals]);
        byParent.set(parent, siblings);
      }
      for (const [parent, children] of byParent) {
        const doc = await read(parent);
        let changed = false;
        for (const [code, totals] of children) {
          if (stable(doc.parts[code]) === stable(totals)) continue;
          doc.parts[code] = totals;
          changed = true;
        }
        if (changed) {
          doc.totals = recompute(doc);
          store.put('Regions', doc);
          writes += 1;
        }
        // A parent that was dirty itself is now read afresh: its own entries and its parts together.
        frontier.set(parent, doc.totals);
      }
    }
    return writes;
  }

  return {
    /**
     * Sets (or, with null, removes) one entry of a bucket. The bucket's own totals are written now;
     * its ancestors on the next `flush`.
     */
    async set<G extends Group>(
      regionCode: string,
      group: G,
      id: string,
      entry: NonNullable<BucketEntries[G]>[string] | null,
    ): Promise<void> {
      const code = canonical(regionCode);
      const doc = await read(code);
      const entries = (doc.own[group] ??= {}) as Record<string, unknown>;
      const before = stable(entries[id]);
      if (entry === null) delete entries[id];
      else entries[id] = entry;
      const totals = recompute(doc);
      if (before !== stable(entry ?? undefined) || stable(totals) !== stable(doc.totals)) {
        doc.totals = totals;
        store.put('Regions', doc);
      }
      dirty.set(code, doc.totals);
    },
    /** How many regions wait for their ancestors to be brought up to date. */
    get pending(): number {
      return dirty.size;
    },
    /** Brings the ancestors of every region set since the last flush up to date. */
    async flush(): Promise<number> {
      if (dirty.size === 0) return 0;
      const batch = dirty;
      dirty = new Map();
      try {
        return await propagate(new Map(batch));
      } catch (error) {
        // Nothing is lost: the whole batch is pushed up again next time (what was written already
        // compares equal and is not written twice).
        for (const [code, totals] of batch) if (!dirty.has(code)) dirty.set(code, totals);
        throw error;
      }
    },
    /**
     * Recomputes every region's parts and totals from the stored buckets, deepest first, writing only
     * what differs: after a crash between `set` and `flush`. Returns the number of documents written.
     */
    async repair(): Promise<number> {
      const docs = new Map<string, RegionDoc>();
      for await (const doc of models.Regions.collection.find({}))
        docs.set(String(doc._id), doc as unknown as RegionDoc);
      for (const code of [...docs.keys()])
        for (let parent = upper(code); parent && !docs.has(parent); parent = upper(parent))
          docs.set(parent, fresh(parent));
      const children = new Map<string, string[]>();
      for (const code of docs.keys()) {
        const parent = upper(code);
        if (parent) children.set(parent, [...(children.get(parent) ?? []), code]);
      }
      let writes = 0;
      const deepestFirst = [...docs.keys()].sort((a, b) => b.length - a.length);
      for (const code of deepestFirst) {
        const doc = docs.get(code)!;
        const parts = Object.fromEntries((children.get(code) ?? []).map((c) => [c, docs.get(c)!.totals]));
        const totals = addTotals(tally(doc.own), ...Object.values(parts));
        if (stable(parts) === stable(doc.parts) && stable(totals) === stable(doc.totals)) continue;
        doc.parts = parts;
        doc.totals = totals;
        await put(models.Regions, doc);
        writes += 1;
      }
      dirty = new Map();
      return writes;
    },
    /** As stored (what the store holds is written on its flush). */
    totals: (code: string) => regionTotals(models, code),
  };
}
export type RegionTree = ReturnType<typeof createRegionTree>;
