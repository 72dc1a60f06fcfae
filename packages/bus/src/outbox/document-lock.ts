/**
 * Turns for this process's writes: one at a time per document (`withDocumentLock`), and on FerretDB
 * a few at a time per database (`inWriteTurn`).
 *
 * Per document. Why: FerretDB v1 executes an update as read → apply in Go → write the whole
 * document back, with no isolation between the read and the write (internal/handler/msg_update.go:
 * Query, then UpdateDocument → UpdateAll). Two concurrent updates of one document can therefore
 * lose one of them — a conditional filter such as `{ _id, sequence }` is not a compare-and-set
 * there. MongoDB applies each single-document update atomically, so on MongoDB this lock is
 * redundant but harmless. Consequence for FerretDB deployments: one process writes a given
 * aggregate collection (the commands and the relay of one service replica); see
 * packages/bus/README.md.
 */
import type { Connection } from 'mongoose';

import { dialectOf } from './dialect.js';

/**
 * Turns under a key: at most `permits` pieces of work run at once, the rest start in order of
 * arrival. A failed piece of work passes its turn on like a finished one.
 */
class Turns {
  private readonly queues = new Map<string, { permits: number; free: number; waiting: (() => void)[] }>();

  constructor(private readonly permits: () => number) {}

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    let queue = this.queues.get(key);
    if (!queue) {
      const permits = this.permits();
      queue = { permits, free: permits, waiting: [] };
      this.queues.set(key, queue);
    }
    if (queue.free > 0) queue.free -= 1;
    else await new Promise<void>((resolve) => queue.waiting.push(resolve));
    try {
      return await work();
    } finally {
      const next = queue.waiting.shift();
      if (next) next();
      else if (++queue.free === queue.permits) this.queues.delete(key);
    }
  }
}

const documentTurns = new Turns(() => 1);

/** Runs `work` after every earlier `work` queued for the same document has settled (first come, first served). */
export function withDocumentLock<T>(collection: string, id: unknown, work: () => Promise<T>): Promise<T> {
  return documentTurns.run(`${collection}\u0000${String(id)}`, work);
}

/** How many FerretDB writes to one database this process has in flight at most. */
function writersPerDatabase(): number {
  const raw = process.env.TONGXIN_BUS_FERRETDB_WRITERS ?? '2';
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`TONGXIN_BUS_FERRETDB_WRITERS=${raw} is not a positive whole number (default 2)`);
  return value;
}

const writeTurns = new Turns(writersPerDatabase);

/**
 * FerretDB (SQLite backend): at most a few writes at a time per database from this process (2 by
 * default, `TONGXIN_BUS_FERRETDB_WRITERS`), the rest queued in order. SQLite lets one writer at a
 * time into a database file; FerretDB's concurrent writes wait in SQLite's busy handler, which
 * sleeps 1, 2, 5 … 100 ms between tries whatever the wait. Measured on one database (100 documents,
 * `updateOne` by `_id`): one writer 456–503 writes/s, p99 5.7–6.0 ms, max 10–13 ms; two 538/s, p99
 * 36 ms; eight 553–567/s, p99 185–188 ms, max 0.9–1.4 s. Two in flight keep FerretDB's own work on
 * one write (decoding, applying, encoding the document) beside another's turn in SQLite. Innermost:
 * nothing else is awaited while a turn is held but the one write. It asks the connection's dialect
 * itself: on MongoDB the write runs at once (no turn needed), so a write site serving both dialects
 * wraps its write the same way.
 */
export async function inWriteTurn<T>(model: { db: Connection }, work: () => Promise<T>): Promise<T> {
  if ((await dialectOf(model.db)) === 'mongodb') return work();
  return writeTurns.run(model.db.name, work);
}
