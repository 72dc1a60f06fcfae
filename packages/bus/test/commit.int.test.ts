import { connectTestDatabase, mongodbUri, uniqueDatabase, uniqueTopic } from '@tongxin/testkit';
import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  AggregateExistsError,
  commit,
  AggregateNotFoundError,
  applyOnce,
  applyProjection,
  ConcurrencyError,
  dialectOf,
  forgetProjectionSequences,
} from '../src/index.js';
import { isLastCommit } from '../src/outbox/last-commit.js';
import { counterEvents, counterModel, createCounter, incrementKnown, type CounterDoc } from './support/counter.js';

describe('dialect detection', () => {
  it('when connected, then the dialect follows what the server says it is (buildInfo)', async () => {
    const db = await connectTestDatabase('bus_dialect');
    try {
      const info = await db.db!.admin().command({ buildInfo: 1 });
      expect(await dialectOf(db)).toBe('ferretdbVersion' in info ? 'ferretdb' : 'mongodb');
    } finally {
      await db.closeAndDrop();
    }
  });
});

// Each conditional write has two forms: the condition in the filter (MongoDB) and read-then-write by
// `_id` under the lock (FerretDB). Both run here: the detected one, and the other one forced.
describe.each(['detected', 'mongodb', 'ferretdb'] as const)(
  'commit: state, sequence and events in one write (%s form)',
  (form) => {
    let db: Awaited<ReturnType<typeof connectTestDatabase>>;
    beforeAll(async () => {
      if (form !== 'detected') process.env.TONGXIN_BUS_DIALECT = form;
      db = await connectTestDatabase('bus_commit');
    });
    afterAll(async () => {
      delete process.env.TONGXIN_BUS_DIALECT;
      await db.closeAndDrop();
    });

    it('when a command commits, then state, sequence and the new events are stored together, in order', async () => {
      const events = counterEvents(uniqueTopic('commit'));
      const Counter = counterModel(db);
      await createCounter(Counter, events, 'c1');
      const state = { sequence: 1, value: 0 };
      await incrementKnown(Counter, events, 'c1', state, 5);
      const stored = (await Counter.findById('c1').lean()) as CounterDoc;
      expect(stored).toMatchObject({ value: 5, sequence: 2, outboxPending: true });
      expect(stored.outbox.map((e) => [e.type, e.sequence, e.subject, e.topic])).toEqual([
        ['test.counter.created', 1, 'c1', events.declaration.name],
        ['test.counter.incremented', 2, 'c1', events.declaration.name],
      ]);
      expect(stored.outbox[1]!.data).toEqual({ counterId: 'c1', by: 5, value: 5 });
      expect(stored.outbox[1]!.id).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('when two commands race on the same sequence, then exactly one wins and the other gets a ConcurrencyError', async () => {
      const events = counterEvents(uniqueTopic('race'));
      const Counter = counterModel(db.useDb(`${db.name}_race`));
      await createCounter(Counter, events, 'c2');
      const results = await Promise.allSettled([
        incrementKnown(Counter, events, 'c2', { sequence: 1, value: 0 }, 1),
        incrementKnown(Counter, events, 'c2', { sequence: 1, value: 0 }, 10),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(rejected.reason).toBeInstanceOf(ConcurrencyError);
      const stored = (await Counter.findById('c2').lean()) as CounterDoc;
      expect(stored.sequence).toBe(2);
      expect(stored.outbox).toHaveLength(2); // created + the one winner, never both
      await Counter.db.dropDatabase();
    });

    it('when an aggregate is created twice or changed before it exists, then the error says which', async () => {
      const events = counterEvents(uniqueTopic('exists'));
      const Counter = counterModel(db.useDb(`${db.name}_exists`));
      await createCounter(Counter, events, 'c3');
      await expect(createCounter(Counter, events, 'c3')).rejects.toBeInstanceOf(AggregateExistsError);
      await expect(incrementKnown(Counter, events, 'nobody', { sequence: 0, value: 0 })).rejects.toBeInstanceOf(
        AggregateNotFoundError,
      );
      await Counter.db.dropDatabase();
    });

    it('when projection events arrive twice or out of order, then each applies once and never goes backwards', async () => {
      const View = db
        .useDb(`${db.name}_view`)
        .model(
          'View',
          new db.base.Schema(
            { _id: String, value: Number, sequence: Number, applied: [Number] },
            { versionKey: false },
          ),
        );
      const event = (sequence: number) => ({ subject: 'v1', sequence });
      expect(await applyProjection(View as never, event(1), { value: 1 }, { push: { applied: 1 } })).toBe('applied');
      expect(await applyProjection(View as never, event(1), { value: 1 }, { push: { applied: 1 } })).toBe('stale');
      expect(await applyProjection(View as never, event(3), { value: 3 }, { push: { applied: 3 } })).toBe('applied');
      expect(await applyProjection(View as never, event(2), { value: 2 }, { push: { applied: 2 } })).toBe('stale');
      const stored = await View.findById('v1').lean();
      expect(stored).toMatchObject({ value: 3, sequence: 3, applied: [1, 3] });

      expect(await applyOnce(View as never, 'total', 'e1', { $inc: { value: 5 } })).toBe('applied');
      expect(await applyOnce(View as never, 'total', 'e1', { $inc: { value: 5 } })).toBe('duplicate');
      expect(await applyOnce(View as never, 'total', 'e2', { $inc: { value: 2 } })).toBe('applied');
      expect(await View.findById('total').lean()).toMatchObject({ value: 7 });
      await View.db.dropDatabase();
    });

    it('when a change publishes no event, then it still moves the version, so a racing change on the old version is refused', async () => {
      const events = counterEvents(uniqueTopic('silent'));
      const Counter = counterModel(db.useDb(`${db.name}_silent`));
      await createCounter(Counter, events, 'c9');
      const silent = await commit(Counter, {
        id: 'c9',
        expectedSequence: 1,
        update: { $set: { value: 7 } },
        events: [],
        context: { source: 'test' },
      });
      expect(silent.sequence).toBe(2);
      await expect(
        commit(Counter, {
          id: 'c9',
          expectedSequence: 1,
          update: { $set: { value: 8 } },
          events: [],
          context: { source: 'test' },
        }),
      ).rejects.toBeInstanceOf(ConcurrencyError);
      // The next event carries the version its change produced: 3 (2 had no event).
      await incrementKnown(Counter, events, 'c9', { sequence: 2, value: 7 }, 1);
      const stored = (await Counter.findById('c9').lean()) as CounterDoc;
      expect(stored.sequence).toBe(3);
      expect(stored.outbox.at(-1)!.sequence).toBe(3);
      await Counter.db.dropDatabase();
    });
  },
);

/**
 * With the FerretDB form forced, runs `test` on its own connection and database, where `sent` lists
 * every command named in `commands` as it is sent.
 */
async function countingCommands(
  name: string,
  commands: string[],
  test: (db: mongoose.Connection, sent: string[]) => Promise<void>,
): Promise<void> {
  process.env.TONGXIN_BUS_DIALECT = 'ferretdb';
  const db = mongoose.createConnection(mongodbUri(), { dbName: uniqueDatabase(name), monitorCommands: true });
  try {
    await db.asPromise();
    const sent: string[] = [];
    db.getClient().on('commandStarted', (e) => {
      if (commands.includes(e.commandName)) sent.push(e.commandName);
    });
    await test(db, sent);
  } finally {
    delete process.env.TONGXIN_BUS_DIALECT;
    await db.dropDatabase().catch(() => {});
    await db.close();
  }
}

describe('commit on FerretDB: the sequence this process committed', () => {
  it('when this process committed an aggregate, then its next commit checks the sequence without a read, and a refused one reads again', async () => {
    await countingCommands('bus_known', ['find', 'findAndModify'], async (db, sent) => {
      const events = counterEvents(uniqueTopic('known'));
      const Counter = counterModel(db);
      await createCounter(Counter, events, 'k1');
      const state = { sequence: 1, value: 0 };
      sent.length = 0;
      // The create is this process's commit too: the first update checks against it, no read.
      await incrementKnown(Counter, events, 'k1', state);
      expect(sent).toEqual(['findAndModify']);
      sent.length = 0;
      await incrementKnown(Counter, events, 'k1', state); // this process committed 2: no read
      await incrementKnown(Counter, events, 'k1', state);
      expect(sent).toEqual(['findAndModify', 'findAndModify']);

      // A stale expectation is refused without a write, and what was remembered is forgotten.
      sent.length = 0;
      await expect(incrementKnown(Counter, events, 'k1', { sequence: 2, value: 1 })).rejects.toBeInstanceOf(
        ConcurrencyError,
      );
      expect(sent.filter((c) => c === 'findAndModify')).toEqual([]);
      sent.length = 0;
      await incrementKnown(Counter, events, 'k1', state);
      expect(sent).toEqual(['find', 'findAndModify']);
      const stored = (await Counter.findById('k1').lean()) as CounterDoc;
      expect(stored).toMatchObject({ sequence: 5, value: 4 });
      expect(stored.outbox.map((e) => e.sequence)).toEqual([1, 2, 3, 4, 5]);

      // An aggregate another process created: its first commit here reads the stored sequence.
      await Counter.collection.insertOne({
        _id: 'k2' as never,
        sequence: 1,
        value: 0,
        outbox: [],
        outboxPending: false,
      });
      sent.length = 0;
      await incrementKnown(Counter, events, 'k2', { sequence: 1, value: 0 });
      expect(sent).toEqual(['find', 'findAndModify']);

      // The id created anew (the aggregate deleted): checked against the new create — the old
      // aggregate's sequence (5) is refused without a write, the one read only to name the error
      // (the aggregate exists) — and the new one's passes.
      await Counter.deleteOne({ _id: 'k1' });
      await createCounter(Counter, events, 'k1');
      sent.length = 0;
      await expect(incrementKnown(Counter, events, 'k1', { sequence: 5, value: 4 })).rejects.toBeInstanceOf(
        ConcurrencyError,
      );
      expect(sent).toEqual(['find']);
      await incrementKnown(Counter, events, 'k1', { sequence: 1, value: 0 });
      expect(await Counter.findById('k1').lean()).toMatchObject({ sequence: 2, value: 1 });
    });
  });
});

describe('commit on FerretDB: what the relay may empty in one write', () => {
  it("when the relay asks whether a document's snapshot is this process's last commit, then only the latest commit of the same aggregate says yes", async () => {
    await countingCommands('bus_last_commit', [], async (db) => {
      const events = counterEvents(uniqueTopic('last'));
      const Counter = counterModel(db);
      const read = async () => (await Counter.findById('l1').lean()) as CounterDoc;
      await createCounter(Counter, events, 'l1');
      expect(isLastCommit(Counter as never, 'l1', await read())).toBe(true); // a create is this process's commit

      const state = { sequence: 1, value: 0 };
      await incrementKnown(Counter, events, 'l1', state);
      const first = await read();
      expect(first.outbox.map((e) => e.sequence)).toEqual([1, 2]);
      expect(isLastCommit(Counter as never, 'l1', first)).toBe(true);
      // What an earlier round left (an older sequence, or not the newest event): not this commit.
      expect(isLastCommit(Counter as never, 'l1', { sequence: 1, outbox: first.outbox.slice(0, 1) })).toBe(false);
      expect(isLastCommit(Counter as never, 'l1', { sequence: 2, outbox: first.outbox.slice(0, 1) })).toBe(false);
      expect(isLastCommit(Counter as never, 'l1', { sequence: 2, outbox: [] })).toBe(false);

      // The id created anew and brought to the same sequence: the old snapshot is not its last commit.
      await Counter.deleteOne({ _id: 'l1' });
      await createCounter(Counter, events, 'l1');
      await incrementKnown(Counter, events, 'l1', { sequence: 1, value: 0 });
      const anew = await read();
      expect(anew.sequence).toBe(first.sequence);
      expect(isLastCommit(Counter as never, 'l1', first)).toBe(false);
      expect(isLastCommit(Counter as never, 'l1', anew)).toBe(true);
    });
  });
});

describe('applyProjection on FerretDB: the sequence this process wrote', () => {
  it('when this process wrote a projection document, then a newer event is written without a read; anything else, or after forgetting, reads first', async () => {
    await countingCommands('bus_view_known', ['find', 'update', 'insert'], async (db, sent) => {
      const View = db.model(
        'View',
        new db.base.Schema({ _id: String, value: Number, sequence: Number, applied: [Number] }, { versionKey: false }),
      );
      const apply = (sequence: number) =>
        applyProjection(
          View as never,
          { subject: 'w1', sequence },
          { value: sequence },
          { push: { applied: sequence } },
        );

      expect(await apply(1)).toBe('applied'); // never written by this process: read, then insert
      expect(sent).toEqual(['find', 'insert']);
      sent.length = 0;
      expect(await apply(2)).toBe('applied'); // newer than what it wrote: no read
      expect(await apply(3)).toBe('applied');
      expect(sent).toEqual(['update', 'update']);

      sent.length = 0;
      expect(await apply(3)).toBe('stale'); // a redelivery is read and compared
      expect(await apply(2)).toBe('stale');
      expect(sent).toEqual(['find', 'find']);

      // Another member wrote sequence 5 while this process owned nothing (a rebalance): after the
      // group join forgets, event 4 is read, found stale, and does not overwrite 5.
      await View.updateOne({ _id: 'w1' }, { $set: { value: 5, sequence: 5 }, $push: { applied: 5 } });
      forgetProjectionSequences();
      sent.length = 0;
      expect(await apply(4)).toBe('stale');
      expect(sent).toEqual(['find']);

      // Deleted behind its back: the write by `_id` finds nothing, and the event is decided afresh.
      expect(await apply(6)).toBe('applied');
      await View.deleteOne({ _id: 'w1' });
      sent.length = 0;
      expect(await apply(7)).toBe('applied');
      expect(sent).toEqual(['update', 'find', 'insert']);
      expect(await View.findById('w1').lean()).toMatchObject({ value: 7, sequence: 7, applied: [7] });
    });
  });
});
