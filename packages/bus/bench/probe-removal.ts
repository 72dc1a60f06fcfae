/**
 * What the relay's removal write costs on FerretDB: `$pullAll` of the published entries against
 * emptying the outbox (`$set: []`), on documents holding 4 outbox entries like the bench's.
 * Alternating rounds; the same documents are refilled before each write. `npx tsx bench/probe-removal.ts`
 */
import mongoose from 'mongoose';

const { MongoClient } = mongoose.mongo;
const N = Number(process.env.N ?? 200);
const client = await new MongoClient(process.env.MONGODB_URI ?? 'mongodb://127.0.0.1:27027').connect();
const db = client.db(`probe_rm_${Date.now().toString(36)}`);
const c = db.collection<{ _id: string; sequence: number; value: number; outbox: unknown[]; outboxPending: boolean }>(
  'x',
);
const entry = (id: string, k: number) => ({
  id: `0190c0de-0000-7000-8000-${String(k).padStart(12, '0')}`,
  type: 'bench.item.recorded',
  version: 1,
  topic: 'bench',
  subject: id,
  sequence: k,
  time: new Date().toISOString(),
  source: 'bench',
  data: { itemId: id, by: 1, value: k, note: 'x'.repeat(200), region: '430600' },
});
const ids = Array.from({ length: N }, (_, i) => `d${i}`);
await c.insertMany(ids.map((id) => ({ _id: id, sequence: 0, value: 0, outbox: [], outboxPending: false })));
let k = 0;
async function fill(): Promise<Map<string, unknown[]>> {
  const outboxes = new Map<string, unknown[]>();
  for (const id of ids) {
    const outbox = [1, 2, 3, 4].map(() => entry(id, ++k));
    await c.updateOne({ _id: id }, { $set: { outbox, outboxPending: true } });
    outboxes.set(id, outbox);
  }
  return outboxes;
}
const results: Record<string, number[]> = { pullAll: [], emptied: [] };
for (let round = 0; round < 4; round += 1) {
  for (const form of round % 2 === 0 ? (['pullAll', 'emptied'] as const) : (['emptied', 'pullAll'] as const)) {
    const outboxes = await fill();
    const t = performance.now();
    for (const id of ids) {
      await c.updateOne(
        { _id: id },
        form === 'pullAll'
          ? { $pullAll: { outbox: outboxes.get(id)! as never[] }, $set: { outboxPending: false } }
          : { $set: { outbox: [], outboxPending: false } },
      );
    }
    results[form]!.push((performance.now() - t) / ids.length);
  }
}
const left = await c.countDocuments({ 'outbox.0': { $exists: true } });
for (const [form, times] of Object.entries(results))
  console.log(
    form.padEnd(8),
    times.map((ms) => ms.toFixed(2)).join(' '),
    'ms/write; best',
    Math.min(...times).toFixed(2),
  );
console.log('documents with entries left:', left);
await db.dropDatabase();
await client.close();
