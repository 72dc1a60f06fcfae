/** Removes what an interrupted bench run left behind: `tsx bench/cleanup-run.ts <run id>`. */
import mongoose from 'mongoose';
import { createKafkaClient } from '../src/index.js';
const run = process.argv[2];
if (!run || run.length < 8) throw new Error('usage: cleanup-run.ts <run id>');
const uri = process.env.MONGODB_URI ?? 'mongodb://127.0.0.1:27027';
const connection = await mongoose.createConnection(uri).asPromise();
// Not listDatabases: on FerretDB v1 (SQLite) it can block for minutes behind other databases' writers.
const parts = [
  'probe',
  'b_ours_cmd',
  'b_ours_view',
  'b_naive_cmd',
  'b_naive_view',
  'c1_cmd',
  'c1_view',
  'c2_cmd',
  'c2_view',
];
for (const name of parts.map((part) => `bench_${run}_${part}`)) {
  await connection.getClient().db(name).dropDatabase();
  console.log('dropped database', name);
}
await connection.close();
const kafka = createKafkaClient({ brokers: process.env.KAFKA_BROKERS ?? '127.0.0.1:19092', clientId: 'bench-cleanup' });
const admin = kafka.admin();
await admin.connect();
const topics = (await admin.listTopics()).filter((t) => t.includes(run));
if (topics.length > 0) await admin.deleteTopics({ topics });
console.log('deleted topics', topics);
const groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => g.endsWith(run));
if (groups.length > 0) await admin.deleteGroups(groups).catch((e: Error) => console.log('groups:', e.message));
console.log('deleted groups', groups);
await admin.disconnect();
