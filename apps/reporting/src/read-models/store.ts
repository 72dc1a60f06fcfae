/**
 * The read models' write-behind store: the projector reads and writes documents here, and `flush`
 * writes everything that changed, a collection at a time, several documents at once.
 *
 * Between two flushes (about a second of events; the consumer flushes before Kafka offsets are
 * marked done, see ../messaging/projections.ts) a region's bucket or a home is read once and written
 * once, however many events touch it — on FerretDB every write rewrites the whole document, and a
 * village's bucket holds every child of the village. Nothing is committed to Kafka before its
 * writes are stored, so a crash loses only work that is delivered again.
 *
 * Write order inside a flush: region buckets, timelines, homes and donations first, the
 * sequence-guarded snapshots (children, cases, reports, volunteer events) last — as each handler
 * did before, a crash half-way through a flush leaves the guards behind, and redelivery applies
 * the events again (every write is a set of values, never an increment).
 */
import type { Model } from 'mongoose';

import { byId, put, type ReadModels, type TimelineEntry } from './models.js';

type Doc = { _id: string };
type Collection = keyof ReadModels;

/** The order `flush` writes in (see above). */
const WRITE_ORDER: Collection[] = [
  'Regions',
  'Timelines',
  'Homes',
  'Donations',
  'Children',
  'Cases',
  'Reports',
  'VolunteerEvents',
];

/**
 * Writes in flight during a flush. Not `bulkWrite`: FerretDB v1.24 (SQLite) took ~5.6 ms per
 * statement of a multi-statement update and never answered one of 100 upserts of existing
 * documents; single writes, 16 at a time, took 0.6 ms each here (2.6 ms one after another).
 */
const WRITERS = 16;

/**
 * Reads in flight when a document is missing from the cache: it and the next hinted ones of its
 * collection are read together (see `hint`).
 */
const READERS = 16;
/** Hinted ids kept per collection; beyond that the oldest are dropped (a hint only saves time). */
const MAX_HINTS = 20_000;

/** Hinted ids of one collection, in order, read from `head` on. */
interface HintQueue {
  ids: string[];
  head: number;
}

/**
 * Beyond MAX_HINTS waiting, keeps only the newest MAX_HINTS; else drops the ids already taken once
 * they are half the list. One splice now and then, never a shift per id.
 */
function compact(queue: HintQueue): void {
  if (queue.ids.length - queue.head > MAX_HINTS) {
    queue.ids.splice(0, queue.ids.length - MAX_HINTS);
    queue.head = 0;
  } else if (queue.head * 2 >= queue.ids.length) {
    queue.ids.splice(0, queue.head);
    queue.head = 0;
  }
}

export function createStore(models: ReadModels) {
  /** Documents read or written since the last flush, per collection (null: known not to exist). */
  const cache = new Map<Collection, Map<string, Doc | null>>();
  const dirty = new Map<Collection, Set<string>>();
  /** Per child: timeline entries to set and keys to unset, in the order they were asked for. */
  let timelines = new Map<string, { set: Map<string, TimelineEntry>; unset: Set<string> }>();
  /**
   * Per collection: ids the consumer will ask for soon, in order (the keys of a Kafka batch), read
   * from `head` on; taken ids are dropped in one go once they are half the list (no shift per id).
   */
  const hints = new Map<Collection, HintQueue>();

  const cacheOf = (name: Collection) => {
    let map = cache.get(name);
    if (!map) cache.set(name, (map = new Map()));
    return map;
  };
  const model = (name: Collection) => models[name] as unknown as Model<never>;

  return {
    /** The document as the projector last left it, else as stored. */
    async get<T extends Doc>(name: Collection, id: string): Promise<T | null> {
      const map = cacheOf(name);
      if (map.has(id)) return map.get(id) as T | null;
      // With it, the next hinted documents not yet known: one wait instead of one each.
      const queue = hints.get(name);
      const batch = [id];
      while (queue && batch.length < READERS && queue.head < queue.ids.length) {
        const next = queue.ids[queue.head++]!;
        if (!map.has(next) && !batch.includes(next)) batch.push(next);
      }
      if (queue) compact(queue);
      const docs = await Promise.all(batch.map((each) => byId<Doc>(model(name), each)));
      // A document put meanwhile (by a handler of a flush racing this read) is newer than what was read.
      batch.forEach((each, i) => {
        if (!map.has(each)) map.set(each, docs[i]!);
      });
      return map.get(id) as T | null;
    },
    /**
     * Ids of one collection that will be asked for soon, in order: a cache miss reads the next of
     * them with it. They outlive a flush (the cache does not).
     */
    hint(name: Collection, ids: readonly string[]): void {
      let queue = hints.get(name);
      if (!queue) hints.set(name, (queue = { ids: [], head: 0 }));
      for (const id of ids) queue.ids.push(id); // not push(...ids): a large batch would overflow the stack
      compact(queue);
    },
    /** Replaces (or inserts) the whole document at the next flush. */
    put<T extends Doc>(name: Collection, doc: T): void {
      cacheOf(name).set(doc._id, doc);
      let set = dirty.get(name);
      if (!set) dirty.set(name, (set = new Set()));
      set.add(doc._id);
    },
    /** Sets and removes entries of a child's timeline at the next flush (the last word per key wins). */
    timeline(childId: string, set: Record<string, TimelineEntry>, unset: string[] = []): void {
      let pending = timelines.get(childId);
      if (!pending) timelines.set(childId, (pending = { set: new Map(), unset: new Set() }));
      for (const key of unset) {
        pending.set.delete(key);
        pending.unset.add(key);
      }
      for (const [key, entry] of Object.entries(set)) {
        pending.unset.delete(key);
        pending.set.set(key, entry);
      }
    },
    /** Documents and timelines waiting to be written. */
    get pending(): number {
      let n = timelines.size;
      for (const ids of dirty.values()) n += ids.size;
      return n;
    },
    /**
     * Writes everything that changed; the cache starts afresh. Returns the number of writes. When a
     * write fails, everything stays as it was and the next flush writes it all again (what was
     * written already is written once more, to the same value).
     */
    async flush(): Promise<number> {
      let writes = 0;
      /** One write per document, WRITERS at a time (documents of one collection are independent). */
      const each = async <X>(items: X[], write: (item: X) => Promise<unknown>) => {
        let next = 0;
        await Promise.all(
          Array.from({ length: Math.min(WRITERS, items.length) }, async () => {
            while (next < items.length) await write(items[next++]!);
          }),
        );
        writes += items.length;
      };
      for (const name of WRITE_ORDER) {
        const collection = model(name).collection;
        if (name === 'Timelines') {
          await each([...timelines], async ([childId, { set, unset }]) => {
            if (!set.size && !unset.size) return;
            const $set = Object.fromEntries([...set].map(([k, v]) => [`entries.${k}`, v]));
            const $unset = Object.fromEntries([...unset].map((k) => [`entries.${k}`, '']));
            await collection.updateOne(
              { _id: childId as never },
              { ...(set.size ? { $set } : {}), ...(unset.size ? { $unset } : {}) },
              { upsert: true },
            );
          });
          continue;
        }
        const ids = dirty.get(name);
        if (!ids?.size) continue;
        const map = cacheOf(name);
        await each([...ids], (id) => put(model(name), map.get(id)!));
      }
      this.discard();
      return writes;
    },
    /** Forgets what was read and not yet written. */
    discard(): void {
      cache.clear();
      dirty.clear();
      timelines = new Map();
    },
  };
}
export type Store = ReturnType<typeof createStore>;
