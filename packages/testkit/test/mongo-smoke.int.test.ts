/**
 * Proves the MongoDB-API server (FerretDB here, MongoDB elsewhere) supports what the embedded
 * outbox and idempotent projections are built on — single-document atomicity, nothing more.
 */
import { Schema, type Connection } from 'mongoose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { connectTestDatabase } from '../src/index.js';

let db: Connection & { closeAndDrop(): Promise<void> };
beforeEach(async () => {
  db = await connectTestDatabase('smoke');
});
afterEach(async () => {
  await db.closeAndDrop();
});

const childSchema = new Schema(
  {
    _id: String,
    blindIndex: { type: String, required: true, unique: true },
    county: String,
    category: String,
    sequence: { type: Number, default: 0 },
    outbox: [{ id: String, type: { type: String } }],
  },
  { versionKey: false },
);

describe('MongoDB API smoke (mongoose against the real server)', () => {
  it('when a second document repeats a unique key, then it is rejected with a duplicate-key error', async () => {
    const Child = db.model('Child', childSchema);
    await Child.init(); // builds the unique index
    await Child.create({ _id: 'c1', blindIndex: 'h1' });
    const error = await Child.create({ _id: 'c2', blindIndex: 'h1' }).then(
      () => undefined,
      (e: { code?: number }) => e,
    );
    expect(error?.code).toBe(11000);
    expect(await Child.countDocuments()).toBe(1);
  });

  it('when two writers race on the same sequence, then only the first conditional update wins', async () => {
    const Child = db.model('Child', childSchema);
    await Child.create({ _id: 'c1', blindIndex: 'h1', sequence: 3 });
    const win = await Child.findOneAndUpdate(
      { _id: 'c1', sequence: 3 },
      {
        $set: { category: 'left_behind' },
        $inc: { sequence: 1 },
        $push: { outbox: { id: 'e4', type: 'categorised' } },
      },
      { new: true },
    ).lean();
    const lose = await Child.findOneAndUpdate(
      { _id: 'c1', sequence: 3 },
      { $set: { category: 'in_difficulty' }, $inc: { sequence: 1 } },
      { new: true },
    ).lean();
    expect(win?.sequence).toBe(4);
    expect(win?.outbox.map((e) => e.id)).toEqual(['e4']);
    expect(lose).toBeNull();
    const stored = await Child.findById('c1').lean();
    expect(stored).toMatchObject({ category: 'left_behind', sequence: 4 });
  });

  // FerretDB v1 matches $pull/$pullAll by exact value only: a condition such as
  // { $pull: { outbox: { id: { $in: [...] } } } } is accepted and silently removes nothing.
  // The relay therefore removes published entries by their exact stored value (portable to MongoDB).
  it('when events are pushed and then pulled by exact value, then exactly the pulled ones leave', async () => {
    const Child = db.model('Child', childSchema);
    await Child.create({ _id: 'c1', blindIndex: 'h1' });
    for (const id of ['e1', 'e2', 'e3', 'e4']) {
      await Child.updateOne({ _id: 'c1' }, { $push: { outbox: { id, type: 'x' } } });
    }
    const before = await Child.collection.findOne<{ outbox: object[] }>({ _id: 'c1' as never });
    expect(before?.outbox).toHaveLength(4);
    await Child.collection.updateOne({ _id: 'c1' as never }, { $pull: { outbox: before!.outbox[0] } } as never);
    await Child.collection.updateOne({ _id: 'c1' as never }, {
      $pullAll: { outbox: before!.outbox.slice(1, 3) },
    } as never);
    const stored = await Child.findById('c1').lean();
    expect(stored?.outbox.map((e) => e.id)).toEqual(['e4']);
  });

  it('when children are counted and grouped, then countDocuments and $group/$sum agree', async () => {
    const Child = db.model('Child', childSchema);
    const rows = [
      ['430626', 'left_behind'],
      ['430626', 'left_behind'],
      ['430626', 'in_difficulty'],
      ['430621', 'left_behind'],
      ['430681', 'in_difficulty'],
    ];
    await Child.insertMany(
      rows.map(([county, category], i) => ({ _id: `c${i}`, blindIndex: `h${i}`, county, category })),
    );
    expect(await Child.countDocuments({ category: 'left_behind' })).toBe(3);
    const grouped = await Child.aggregate<{ _id: string; n: number }>([
      { $match: { category: 'left_behind' } },
      { $group: { _id: '$county', n: { $sum: 1 } } },
      { $sort: { _id: 1 } },
    ]);
    expect(grouped).toEqual([
      { _id: '430621', n: 1 },
      { _id: '430626', n: 2 },
    ]);
  });
});
