/** commit() vs the same findOneAndUpdate through mongoose and through the driver, serial, 100 aggregates. */
import { draft, newEventId } from '@tongxin/contracts';
import mongoose from 'mongoose';
import { commit, commitNew } from '../src/index.js';
import { counterEvents, counterModel } from '../test/support/counter.js';
const conn = await mongoose
  .createConnection('mongodb://127.0.0.1:27027', { dbName: `bench_probe${Date.now().toString(36)}_x` })
  .asPromise();
const events = counterEvents('bench.p.x');
const Counter = counterModel(conn);
await Counter.init();
const ids = Array.from({ length: 100 }, (_, i) => `c${i}`);
for (const id of ids)
  await commitNew(Counter, {
    id,
    state: { value: 0 },
    events: [draft(events.Created, { counterId: id, value: 0 })],
    context: { source: 'p' },
  });
await Counter.collection.updateMany({}, { $set: { outbox: [], outboxPending: false } });
const seq = new Map(ids.map((id) => [id, 1]));
const entry = (id: string, s: number) => ({
  id: newEventId(),
  type: 'test.counter.incremented',
  version: 1,
  topic: 'bench.p.x',
  subject: id,
  sequence: s,
  time: new Date().toISOString(),
  source: 'p',
  data: { counterId: id, by: 1, value: s },
});
const time = async (name: string, f: (id: string, s: number) => Promise<unknown>) => {
  const t = performance.now();
  for (const id of ids) {
    const s = seq.get(id)!;
    await f(id, s);
    seq.set(id, s + 1);
  }
  console.log(name.padEnd(50), ((performance.now() - t) / ids.length).toFixed(2), 'ms/op');
  await Counter.collection.updateMany({}, { $set: { outbox: [], outboxPending: false } });
};
for (let round = 0; round < 2; round++) {
  await time('commit()', (id, s) =>
    commit(Counter, {
      id,
      expectedSequence: s,
      update: { $set: { value: s } },
      events: [draft(events.Incremented, { counterId: id, by: 1, value: s })],
      context: { source: 'p' },
    }),
  );
  const upd = (id: string, s: number) => ({
    $set: { value: s, outboxPending: true },
    $inc: { sequence: 1 },
    $push: { outbox: { $each: [entry(id, s + 1)] } },
  });
  await time('mongoose fOAU runValidators lean', (id, s) =>
    Counter.findOneAndUpdate({ _id: id, sequence: s }, upd(id, s) as never, {
      returnDocument: 'after',
      runValidators: true,
    }).lean(),
  );
  await time('mongoose fOAU lean', (id, s) =>
    Counter.findOneAndUpdate({ _id: id, sequence: s }, upd(id, s) as never, { returnDocument: 'after' }).lean(),
  );
  await time('driver fOAU', (id, s) =>
    Counter.collection.findOneAndUpdate({ _id: id as never, sequence: s }, upd(id, s) as never, {
      returnDocument: 'after',
    }),
  );
  await time('driver updateOne', (id, s) =>
    Counter.collection.updateOne({ _id: id as never, sequence: s }, upd(id, s) as never),
  );
}
await conn.dropDatabase();
await conn.close();
