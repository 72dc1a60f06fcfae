/**
 * On FerretDB, where one process writes a given collection: what this process last wrote per
 * document (its sequence, and for an aggregate the last event it appended), so a check against it
 * needs no read. Keyed by database, collection and id; bounded (the oldest entry is forgotten
 * first). Used by `commit` (aggregates), the relay and `applyProjection`.
 */
import { documentKey, type Located } from './keys.js';

export class DocumentMemory<V> {
  private readonly values = new Map<string, V>();

  constructor(private readonly max = 100_000) {}

  get(model: Located, id: string): V | undefined {
    return this.values.get(documentKey(model, id));
  }

  remember(model: Located, id: string, value: V): void {
    const key = documentKey(model, id);
    this.values.delete(key); // re-inserted last: the oldest is forgotten first
    this.values.set(key, value);
    if (this.values.size > this.max) this.values.delete(this.values.keys().next().value!);
  }

  forget(model: Located, id: string): void {
    this.values.delete(documentKey(model, id));
  }

  clear(): void {
    this.values.clear();
  }
}
