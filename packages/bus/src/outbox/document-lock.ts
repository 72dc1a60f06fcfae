/**
 * Serialises this process's writes to one document.
 *
 * Why: FerretDB v1 executes an update as read → apply in Go → write the whole document back, with
 * no isolation between the read and the write (internal/handler/msg_update.go: Query, then
 * UpdateDocument → UpdateAll). Two concurrent updates of one document can therefore lose one of
 * them — a conditional filter such as `{ _id, sequence }` is not a compare-and-set there. MongoDB
 * applies each single-document update atomically, so on MongoDB this lock is redundant but harmless.
 * Consequence for FerretDB deployments: one process writes a given aggregate collection (the
 * commands and the relay of one service replica); see packages/bus/README.md.
 */
const tails = new Map<string, Promise<unknown>>();

/** Runs `work` after every earlier `work` queued under the same key has settled (first come, first served). */
async function inTurn<T>(key: string, work: () => Promise<T>): Promise<T> {
  const previous = tails.get(key) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((resolve) => (release = resolve));
  const tail = previous.then(() => mine);
  tails.set(key, tail);
  await previous.catch(() => {});
  try {
    return await work();
  } finally {
    release();
    if (tails.get(key) === tail) tails.delete(key);
  }
}

export function withDocumentLock<T>(collection: string, id: unknown, work: () => Promise<T>): Promise<T> {
  return inTurn(`${collection}\u0000${String(id)}`, work);
}

/** How many FerretDB writes to one database this process has in flight at most (`writeTurns`). */
function writersPerDatabase(): number {
  const raw = process.env.TONGXIN_BUS_FERRETDB_WRITERS ?? '2';
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`TONGXIN_BUS_FERRETDB_WRITERS=${raw} is not a positive whole number (default 2)`);
  return value;
}

const turns = new Map<string, { free: number; waiting: (() => void)[] }>();

/**
 * FerretDB (SQLite backend): at most a few writes at a time per database from this process (2 by
 * default, `TONGXIN_BUS_FERRETDB_WRITERS`), the rest queued in order. SQLite lets one writer at a
 * time into a database file; FerretDB's concurrent writes wait in SQLite's busy handler, which
 * sleeps 1, 2, 5 … 100 ms between tries whatever the wait. Measured on one database (100 documents,
 * `updateOne` by `_id`): one writer 456–503 writes/s, p99 5.7–6.0 ms, max 10–13 ms; two 538/s, p99
 * 36 ms; eight 553–567/s, p99 185–188 ms, max 0.9–1.4 s. Two in flight keep FerretDB's own work on
 * one write (decoding, applying, encoding the document) beside another's turn in SQLite. Innermost:
 * nothing else is awaited while a turn is held but the one write. Only for FerretDB writes; reads
 * and MongoDB need no turn.
 */
export async function inWriteTurn<T>(model: { db: { name: string } }, work: () => Promise<T>): Promise<T> {
  const key = model.db.name;
  let turn = turns.get(key);
  if (!turn) {
    turn = { free: writersPerDatabase(), waiting: [] };
    turns.set(key, turn);
  }
  if (turn.free > 0) turn.free -= 1;
  else await new Promise<void>((resolve) => turn.waiting.push(resolve));
  try {
    return await work();
  } finally {
    const next = turn.waiting.shift();
    if (next) next();
    else turn.free += 1;
  }
}
