import { MongoClient } from 'mongodb';
const c = new MongoClient('mongodb://127.0.0.1:27027'); await c.connect();
const { databases } = await c.db('admin').admin().listDatabases();
for (const d of databases.filter((d) => /bus_(producer|consumer)/.test(d.name))) {
  for (const name of await c.db(d.name).listCollections().map((x) => x.name).toArray()) {
    const col = c.db(d.name).collection(name);
    const agg = await col.aggregate([{ $group: { _id: null, s: { $sum: '$sequence' }, n: { $sum: 1 } } }]).toArray();
    console.log(d.name, name, JSON.stringify(agg[0]));
  }
}
await c.close();
