/**
 * On FerretDB, where one process writes a given collection: the sequence this process last wrote
 * per document, so a check against it needs no read. Keyed by database, collection and id; bounded
 * (the oldest entry is forgotten first). Used by `commit` (aggregates) and `applyProjection`.
 */
type Located = { db: { name: string }; collection: { collectionName: string } };

/** One document of one collection of one database, as a map key. */
export const documentKey = (model: Located, id: string): string =>
  `${model.db.name}\u0000${model.collection.collectionName}\u0000${id}`;

export class SequenceMemory {
  private readonly sequences = new Map<string, number>();

  constructor(private readonly max = 100_000) {}

  get(model: Located, id: string): number | undefined {
    return this.sequences.get(documentKey(model, id));
  }

  remember(model: Located, id: string, sequence: number): void {
    const key = documentKey(model, id);
    this.sequences.delete(key); // re-inserted last: the oldest is forgotten first
    this.sequences.set(key, sequence);
    if (this.sequences.size > this.max) this.sequences.delete(this.sequences.keys().next().value!);
  }

  forget(model: Located, id: string): void {
    this.sequences.delete(documentKey(model, id));
  }

  clear(): void {
    this.sequences.clear();
  }
}
