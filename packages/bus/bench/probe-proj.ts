import mongoose from 'mongoose';
import { applyProjection } from '../src/index.js';
import { counterViewModel } from '../test/support/counter.js';
const conn = await mongoose
  .createConnection('mongodb://127.0.0.1:27027', { dbName: 'benchprobe_' + Date.now() })
  .asPromise();
const View = counterViewModel(conn);
const t = performance.now();
const lat: number[] = [];
for (let s = 1; s <= 20; s++)
  for (let a = 0; a < 50; a++) {
    const t0 = performance.now();
    await applyProjection(View as never, { subject: 'c' + a, sequence: s }, { value: s }, { push: { applied: s } });
    lat.push(performance.now() - t0);
  }
console.log(
  'applyProjection',
  ((performance.now() - t) / 1000).toFixed(2),
  'ms/op; per round',
  Array.from({ length: 20 }, (_, r) => (lat.slice(r * 50, r * 50 + 50).reduce((a, b) => a + b) / 50).toFixed(1)).join(
    ' ',
  ),
);
await conn.dropDatabase();
await conn.close();
