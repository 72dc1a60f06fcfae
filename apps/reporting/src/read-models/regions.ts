/**
 * The region tree of counters. Each region code that has anything owns one document; an entry
 * (child, case, report, home) lives in the bucket of its exact region code, and every document's
 * `totals` = tally(own entries) + Σ totals of its direct sub-regions (`parts`). A change writes the
 * entry's bucket and then walks up to the city, at each level setting `parts[<sub-region>]` to the
 * sub-region's fresh totals and recomputing — every step a `$set`-like replace of a value computed
 * from what is stored, never an increment. So a redelivered or re-applied fact changes nothing, and
 * a crash half-way is repaired by the redelivery (the walk always goes to the top and writes only
 * what differs). Callers hold the serialiser: one writer at a time.
 */
import { canonicalRegionCode, parentOf } from '@tongxin/contracts/values';

import { addTotals, emptyTotals, stable, tally, type BucketEntries, type Totals } from '../domain/tally.js';
import { byId, put, type ReadModels, type RegionDoc } from './models.js';

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

export function createRegionTree(models: ReadModels) {
  const read = async (code: string) => (await byId<RegionDoc>(models.Regions, code)) ?? fresh(code);

  async function propagate(code: string, totals: Totals): Promise<void> {
    let child = code;
    let childTotals = totals;
    for (let parent = parentOf(code); parent && parent.length >= 4; parent = parentOf(parent)) {
      const doc = await read(parent);
      if (stable(doc.parts[child]) !== stable(childTotals)) {
        doc.parts[child] = childTotals;
        doc.totals = recompute(doc);
        await put(models.Regions, doc);
      }
      child = parent;
      childTotals = doc.totals;
    }
  }

  return {
    /** Sets (or, with null, removes) one entry of a bucket and brings every ancestor up to date. */
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
        await put(models.Regions, doc);
      }
      await propagate(code, doc.totals);
    },
    async totals(code: string): Promise<Totals> {
      return (await byId<RegionDoc>(models.Regions, canonical(code)))?.totals ?? emptyTotals();
    },
  };
}
export type RegionTree = ReturnType<typeof createRegionTree>;
