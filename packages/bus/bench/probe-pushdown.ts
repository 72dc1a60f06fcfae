/** Which single-document write shapes FerretDB pushes down, at N documents. */
import mongoose from 'mongoose';
const { MongoClient } = mongoose.mongo;
const N = Number(process.env.N ?? 1000);
const client = await new MongoClient('mongodb://127.0.0.1:27027').connect();
const db = client.db(`probe_pd_${Date.now().toString(36)}`);
const c = db.collection<{ _id: string; sequence: number; value: number; outbox: unknown[]; pad: string }>('x');
const pad = 'x'.repeat(600);
for (let i = 0; i < N; i += 500)
  await c.insertMany(
    Array.from({ length: Math.min(500, N - i) }, (_, j) => ({
      _id: `c${i + j}`,
      sequence: 0,
      value: 0,
      outbox: [],
      pad,
    })),
  );
const ids = Array.from({ length: 100 }, (_, i) => `c${Math.floor((i * N) / 100)}`);
const seq = new Map(ids.map((id) => [id, 0]));
async function time(name: string, f: (id: string, s: number) => Promise<unknown>) {
  const t = performance.now();
  for (const id of ids) {
    const s = seq.get(id)!;
    await f(id, s);
    seq.set(id, s + 1);
  }
  console.log(name.padEnd(44), ((performance.now() - t) / ids.length).toFixed(2), 'ms/op');
}
const upd = { $inc: { sequence: 1, value: 1 } };
for (let r = 0; r < 2; r++) {
  await time('updateOne {_id}', (id) => c.updateOne({ _id: id }, upd));
  for (const id of ids) seq.set(id, (await c.findOne({ _id: id }))!.sequence);
  await time('updateOne {_id, sequence}', (id, s) => c.updateOne({ _id: id, sequence: s }, upd));
  await time('findOneAndUpdate {_id, sequence}', (id, s) =>
    c.findOneAndUpdate({ _id: id, sequence: s }, upd, { returnDocument: 'after' }),
  );
  await time('findOneAndUpdate {_id}', (id) => c.findOneAndUpdate({ _id: id }, upd, { returnDocument: 'after' }));
  await time('findOne {_id} + updateOne {_id}', async (id) => {
    await c.findOne({ _id: id });
    await c.updateOne({ _id: id }, upd);
  });
  await time('findOne {_id}', (id) => c.findOne({ _id: id }));
  await time('updateOne {_id} $pullAll', (id) => c.updateOne({ _id: id }, { $pullAll: { outbox: [1] } }));
}
await db.dropDatabase();
await client.close();
