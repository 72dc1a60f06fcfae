/** The children's list index (see list-index.ts): what the register's lists and ledgers filter on. */
import type { Connection } from 'mongoose';

import { createListIndex, type ListEntry, type ListIndex } from './list-index.js';
import type { ChildDoc, RegistryModels } from './models.js';

/** Same paths as on the child, so one filter serves both. No ID number, health or guardian detail. */
export interface ChildEntry extends ListEntry {
  status: ChildDoc['status'];
  categories: string[];
  supervision: ChildDoc['supervision'];
  schooling: { status: ChildDoc['schooling']['status'] };
  name: string;
}

export const childEntryOf = (doc: ChildDoc): ChildEntry => ({
  _id: doc._id,
  sequence: doc.sequence,
  regionCode: doc.regionCode,
  status: doc.status,
  categories: doc.categories,
  supervision: doc.supervision,
  schooling: { status: doc.schooling.status },
  name: doc.name,
});

export function childIndex(
  connection: Connection,
  models: RegistryModels,
  onError?: (error: Error, what: string) => void,
): ChildIndex {
  return createListIndex<ChildDoc, ChildEntry>({
    connection,
    name: 'children',
    source: models.Children,
    entryOf: childEntryOf,
    projection: {
      sequence: 1,
      regionCode: 1,
      status: 1,
      categories: 1,
      supervision: 1,
      'schooling.status': 1,
      name: 1,
    },
    ...(onError ? { onError } : {}),
  });
}
export type ChildIndex = ListIndex<ChildDoc, ChildEntry>;
