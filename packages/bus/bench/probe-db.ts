import mongoose from 'mongoose';
const c = mongoose.createConnection('mongodb://127.0.0.1:27027').getClient();
await c.connect();
const db = c.db('benchprobe_' + Date.now());
const col = db.collection<{ _id: string; [k: string]: unknown }>('x');
const time = async (name: string, n: number, f: (i: number) => Promise<unknown>) => {
  const t = performance.now();
  for (let i = 0; i < n; i++) await f(i);
  console.log(name, ((performance.now() - t) / n).toFixed(2), 'ms/op');
};
await time('insertOne', 100, (i) => col.insertOne({ _id: 'd' + i, v: 0, sequence: 0, outbox: [] }));
await time('findOne _id', 100, (i) => col.findOne({ _id: 'd' + i }));
await time('updateOne _id $set', 300, (i) => col.updateOne({ _id: 'd' + (i % 100) }, { $set: { v: i } }));
await time('updateOne _id $set upsert', 300, (i) =>
  col.updateOne({ _id: 'd' + (i % 100) }, { $set: { v: i } }, { upsert: true }),
);
await time('updateOne _id seq$lt push', 300, (i) =>
  col.updateOne({ _id: 'd' + (i % 100), sequence: { $lt: 1e9 } }, { $set: { v: i }, $push: { applied: i } as never }),
);
await time('fOAU _id+seq push outbox', 300, (i) =>
  col.findOneAndUpdate(
    { _id: 'd' + (i % 100) },
    {
      $inc: { sequence: 1 },
      $push: { outbox: { id: 'e' + i, data: { a: 1, s: 'x'.repeat(200) } } } as never,
      $set: { outboxPending: true },
    },
    { returnDocument: 'after' },
  ),
);
await time('find outboxPending', 20, () => col.find({ outboxPending: true }, { limit: 200 }).toArray());
const par = async (name: string, n: number, k: number, f: (i: number) => Promise<unknown>) => {
  const t = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: k }, async () => {
      while (next < n) await f(next++);
    }),
  );
  console.log(name, 'x' + k, ((performance.now() - t) / n).toFixed(2), 'ms/op');
};
await col.createIndex({ outboxPending: 1 });
await par('fOAU _id push outbox (indexed outboxPending)', 300, 8, (i) => col.findOneAndUpdate({ _id: 'd' + (i % 100) }, { $inc: { sequence: 1 }, $push: { outbox: { id: 'e' + i, data: { a: 1, s: 'x'.repeat(200) } } } as never, $set: { outboxPending: true } }, { returnDocument: 'after' }));
await par('fOAU _id push outbox', 300, 1, (i) => col.findOneAndUpdate({ _id: 'd' + (i % 100) }, { $inc: { sequence: 1 }, $push: { outbox: { id: 'e' + i, data: { a: 1, s: 'x'.repeat(200) } } } as never, $set: { outboxPending: true } }, { returnDocument: 'after' }));
await par('updateOne _id $set', 300, 8, (i) => col.updateOne({ _id: 'd' + (i % 100) }, { $set: { v: 2 } }));
const db2 = c.db('benchprobe2_' + Date.now());
const col2 = db2.collection<{ _id: string; v: number }>('y');
await col2.insertMany(Array.from({ length: 100 }, (_, i) => ({ _id: 'd' + i, v: 0 })));
await par('2 dbs updateOne', 600, 8, (i) =>
  (i % 2 ? col : col2).updateOne({ _id: 'd' + (i % 100) }, { $set: { v: 3 } }),
);
await db.dropDatabase();
await db2.dropDatabase();
await c.close();
