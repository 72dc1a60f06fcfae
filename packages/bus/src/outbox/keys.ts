/**
 * Names for a collection of a database and for one document of it, as map keys: two databases of
 * one process may hold same-named collections (a service's and a test's, two benchmark runs).
 */
export type Located = { db: { name: string }; collection: { collectionName: string } };

/** One collection of one database. */
export const collectionKey = (model: Located): string => `${model.db.name}\u0000${model.collection.collectionName}`;

/** One document of one collection of one database. */
export const documentKey = (model: Located, id: string): string => `${collectionKey(model)}\u0000${id}`;
