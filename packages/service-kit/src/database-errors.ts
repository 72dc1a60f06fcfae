/**
 * Recognises "the database is not there right now" among mongoose / MongoDB driver errors, by
 * name (the classes live in the driver copy mongoose bundles, so `instanceof` is unreliable).
 */
const UNAVAILABLE_NAMES = new Set([
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoPoolClearedError',
  'MongoExpiredSessionError',
]);

export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 4) return false;
  if (UNAVAILABLE_NAMES.has(error.name)) return true;
  // mongoose: "Operation `notes.insertOne()` buffering timed out after 1500ms"
  if (error.name === 'MongooseError' && /buffering timed out|before initial connection/i.test(error.message))
    return true;
  const labels = (error as { errorLabelSet?: Set<string> }).errorLabelSet;
  if (labels?.has('ResetPool') || labels?.has('PoolRequestedRetry')) return true;
  return isDatabaseUnavailable((error as { cause?: unknown }).cause, depth + 1);
}

/** E11000: a unique index refused the write. */
export function isDuplicateKey(error: unknown): boolean {
  return error instanceof Error && (error as { code?: unknown }).code === 11000;
}
