/**
 * A list index: what the register's lists read instead of the aggregates themselves.
 *
 * Why: on FerretDB v1's SQLite backend only a filter on `_id` reaches SQLite. Any other filter (a
 * region prefix, a status) reads and decodes every document of the collection in Go, and a count
 * does it a second time. At Yueyang's size (38,229 children, each a large document) one township's
 * list took 43 s and the city's 62 s. The index keeps one slim entry per aggregate — its id, its
 * sequence and the fields the lists filter and sort on — in one collection per county, so a township
 * or county list reads one small collection (a few thousand slim entries: well under a second) and
 * then the page's aggregates by `_id`. The same Mongo filter applies to an entry and to its
 * aggregate, because the entry keeps the aggregate's field paths.
 *
 * Consistency without transactions: an entry is written after its aggregate's commit, serialised per
 * document in this process (on FerretDB one process writes an aggregate collection, see the bus's
 * document lock), and never replaced by an older sequence. What can still go wrong is repaired:
 * - a crash between a commit and its entry: `reconcile()` at start compares every aggregate with its
 *   entry (and removes entries whose aggregate is gone);
 * - an entry write that failed: remembered and retried every few seconds;
 * - an entry behind its aggregate on a page that is read: rewritten, and the page read again.
 * Until this process's first reconcile has finished, `ready` is false and `page`/`all` read the
 * aggregates themselves (a scan, in the same order), so a list is never missing what the index has
 * not caught up with; callers need not know which was read.
 */
import { withDocumentLock } from '@tongxin/bus';
import pMap from 'p-map';
import type { Connection, Model } from 'mongoose';

import { findPage } from './find-page.js';

export interface ListEntry {
  _id: string;
  sequence: number;
  regionCode: string;
}

interface Sourced {
  _id: string;
  sequence: number;
  regionCode: string;
}

export interface ListIndexOptions<D extends Sourced, E extends ListEntry> {
  connection: Connection;
  /** Collections are `<name>_by_county_<county code>`. */
  name: string;
  /** The aggregates. */
  source: Model<D>;
  /** The slim entry of an aggregate: `_id`, `sequence`, `regionCode` and the listed fields, same paths. */
  entryOf: (doc: D) => E;
  /** What `entryOf` reads, for the reconcile's scan. */
  projection: Record<string, 1>;
  onError?: (error: Error, what: string) => void;
  /** How often failed entry writes are retried. */
  repairEveryMs?: number;
}

/** The county (6 digits) of a region code: one collection each. */
export const countyOf = (regionCode: string): string => regionCode.slice(0, 6);

/** The order of every list: `regionCode`, then `_id`. */
const INDEX_ORDER: Record<string, 1> = { regionCode: 1, _id: 1 };
const byRegionThenId = (a: ListEntry, b: ListEntry): number =>
  a.regionCode < b.regionCode ? -1 : a.regionCode > b.regionCode ? 1 : a._id < b._id ? -1 : a._id > b._id ? 1 : 0;

export function createListIndex<D extends Sourced, E extends ListEntry>(options: ListIndexOptions<D, E>) {
  const { connection, name, source, entryOf, projection } = options;
  const prefix = `${name}_by_county_`;
  const lockName = `${name}_index`;
  const onError = options.onError ?? (() => {});
  const stale = new Set<string>();
  let ready = false;
  let stopping = false;
  let running: Promise<unknown> | undefined;
  let timer: NodeJS.Timeout | undefined;

  const db = () => connection.db!;
  const collection = (county: string) => db().collection<E>(`${prefix}${county}`);

  /** The counties that have entries. */
  async function counties(): Promise<string[]> {
    const found = await db().listCollections({}, { nameOnly: true }).toArray();
    return found
      .map((c) => c.name)
      .filter((n) => n.startsWith(prefix))
      .map((n) => n.slice(prefix.length))
      .sort();
  }

  /** Writes the aggregate's entry unless a newer one is there; `previousRegion` removes a moved one. */
  async function write(doc: D, previousRegion?: string, fresh = false): Promise<void> {
    await withDocumentLock(lockName, doc._id, async () => {
      const entry = entryOf(doc);
      const target = collection(countyOf(entry.regionCode));
      if (fresh) {
        // A new aggregate has no entry yet: one insert, no read (the common case of registration).
        const inserted = await target.insertOne(entry as never).then(
          () => true,
          (error: { code?: number }) => {
            if (error.code === 11000) return false;
            throw error;
          },
        );
        if (inserted) return;
      }
      const current = await target.findOne({ _id: entry._id } as never, { projection: { sequence: 1 } });
      if (!current || current.sequence < entry.sequence) {
        await target.replaceOne({ _id: entry._id } as never, entry, { upsert: true });
      }
      if (previousRegion !== undefined && countyOf(previousRegion) !== countyOf(entry.regionCode)) {
        await collection(countyOf(previousRegion)).deleteOne({ _id: entry._id } as never);
      }
    });
  }

  /** Rewrites one aggregate's entry from the aggregate as stored (or removes it everywhere if gone). */
  async function repair(id: string): Promise<'written' | 'removed'> {
    const doc = await source.findById(id, projection).lean<D>();
    const others = (await counties()).filter((county) => !doc || county !== countyOf(doc.regionCode));
    if (doc) await write(doc);
    await withDocumentLock(lockName, id, async () => {
      for (const county of others) await collection(county).deleteOne({ _id: id } as never);
    });
    return doc ? 'written' : 'removed';
  }

  async function repairStale(): Promise<void> {
    for (const id of [...stale]) {
      if (stopping) return;
      stale.delete(id);
      await repair(id).catch((error: Error) => {
        stale.add(id);
        onError(error, `repair of ${name} index entry ${id}`);
      });
    }
  }

  /**
   * Every aggregate against its entry: missing or older entries written, entries of aggregates that
   * are gone (or moved county) removed. Writes nothing when the index is right.
   */
  async function reconcile(): Promise<{ written: number; removed: number }> {
    const known = new Map<string, { county: string; sequence: number }>();
    for (const county of await counties()) {
      const entries = await collection(county)
        .find({}, { projection: { _id: 1, sequence: 1 } })
        .toArray();
      for (const entry of entries) {
        const id = entry._id as unknown as string;
        // An id in two counties (a move not yet tidied): the repair below settles it.
        if (known.has(id)) stale.add(id);
        known.set(id, { county, sequence: entry.sequence });
      }
    }
    let written = 0;
    let removed = 0;
    const cursor = source.find({}, projection).lean<D>().cursor();
    for await (const found of cursor) {
      const doc = found as D;
      if (stopping) {
        await cursor.close();
        return { written, removed };
      }
      const entry = known.get(doc._id);
      known.delete(doc._id);
      if (!entry || entry.sequence < doc.sequence || entry.county !== countyOf(doc.regionCode)) {
        await write(doc, entry ? entry.county : undefined);
        written += 1;
      }
    }
    // Entries no aggregate in the scan had: gone, or registered after the scan began.
    for (const [id] of known) {
      if ((await repair(id)) === 'removed') removed += 1;
    }
    await repairStale();
    return { written, removed };
  }

  /** The entries matching a Mongo filter on the entry paths, in `regionCode`, `_id` order. */
  async function select(filter: Record<string, unknown>, regions?: readonly string[]): Promise<E[]> {
    const wanted = (await counties()).filter(
      (county) => !regions || regions.some((region) => county.startsWith(region) || region.startsWith(county)),
    );
    const parts = await Promise.all(
      wanted.map((county) =>
        collection(county)
          .find(filter as never)
          .toArray(),
      ),
    );
    return (parts.flat() as E[]).sort(byRegionThenId);
  }

  /** Reads the entries' aggregates by `_id`; entries behind their aggregate are repaired. */
  async function load(entries: readonly E[]): Promise<{ docs: D[]; repaired: number }> {
    let repaired = 0;
    const found = await pMap(
      entries,
      async (entry) => {
        const doc = await source.findById(entry._id, { outbox: 0 }).lean<D>();
        if (!doc || doc.sequence !== entry.sequence || countyOf(doc.regionCode) !== countyOf(entry.regionCode)) {
          repaired += 1;
          await repair(entry._id);
        }
        return doc;
      },
      { concurrency: 16 },
    );
    return { docs: found.filter((doc): doc is NonNullable<typeof doc> => doc !== null) as D[], repaired };
  }

  return {
    get ready(): boolean {
      return ready;
    },

    /**
     * After a commit: the aggregate's entry (`created` for a new aggregate). Never throws: a failed
     * write is repaired later.
     */
    async put(doc: D, change: { previousRegion?: string; created?: boolean } = {}): Promise<void> {
      await write(doc, change.previousRegion, change.created).catch((error: Error) => {
        stale.add(doc._id);
        onError(error, `${name} index entry ${doc._id}`);
      });
    },

    /**
     * A page of the aggregates matching `filter` (which must hold for entries and aggregates alike),
     * ordered by `regionCode`, `_id`, with the total. `regions` limits the counties read.
     */
    async page(
      filter: Record<string, unknown>,
      regions: readonly string[] | undefined,
      paging: { page: number; pageSize: number },
    ): Promise<{ total: number; docs: D[] }> {
      if (!ready) {
        return findPage(source, filter, INDEX_ORDER, paging);
      }
      for (let attempt = 0; ; attempt++) {
        const entries = await select(filter, regions);
        const start = (paging.page - 1) * paging.pageSize;
        const { docs, repaired } = await load(entries.slice(start, start + paging.pageSize));
        // A repaired entry may have changed what matches: read the page again, once.
        if (repaired === 0 || attempt > 0) return { total: entries.length, docs };
      }
    },

    /** Every aggregate matching `filter`, in index order. */
    async all(filter: Record<string, unknown>, regions: readonly string[] | undefined): Promise<D[]> {
      if (!ready)
        return source
          .find(filter as never, { outbox: 0 })
          .sort(INDEX_ORDER)
          .lean<D[]>();
      for (let attempt = 0; ; attempt++) {
        const { docs, repaired } = await load(await select(filter, regions));
        if (repaired === 0 || attempt > 0) return docs;
      }
    },

    reconcile,

    /** Reconciles in the background (lists read the aggregates until it is done), then repairs as needed. */
    start(): void {
      stopping = false;
      running = reconcile()
        .then(() => {
          ready = !stopping;
        })
        .catch((error: Error) => onError(error, `${name} index reconcile`));
      timer = setInterval(() => {
        if (stale.size > 0 && ready) running = repairStale();
      }, options.repairEveryMs ?? 5_000);
      timer.unref();
    },

    /** Resolves when the first reconcile is done (tests). */
    async whenReady(): Promise<void> {
      await running;
    },

    async stop(): Promise<void> {
      stopping = true;
      if (timer) clearInterval(timer);
      await running?.catch(() => {});
      ready = false;
    },
  };
}
export type ListIndex<D extends Sourced, E extends ListEntry> = ReturnType<typeof createListIndex<D, E>>;
