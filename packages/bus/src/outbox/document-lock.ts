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

export async function withDocumentLock<T>(collection: string, id: unknown, work: () => Promise<T>): Promise<T> {
  const key = `${collection}\u0000${String(id)}`;
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
