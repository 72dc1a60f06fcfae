/** Errors the bus raises. Each says whether trying again can help (`retriable`). */
export class BusError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly retriable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'BusError';
  }
}

/**
 * A command lost the race on an aggregate's `sequence`: someone else changed it first. The caller
 * re-reads and decides again (HTTP 409 when it comes from a request).
 */
export class ConcurrencyError extends BusError {
  constructor(
    readonly aggregateId: string,
    readonly expectedSequence: number,
  ) {
    super(
      `aggregate ${aggregateId} is no longer at sequence ${expectedSequence}: it was changed concurrently`,
      'concurrency_conflict',
      true,
    );
    this.name = 'ConcurrencyError';
  }
}

export class AggregateNotFoundError extends BusError {
  constructor(readonly aggregateId: string) {
    super(`aggregate ${aggregateId} does not exist`, 'not_found', false);
    this.name = 'AggregateNotFoundError';
  }
}

export class AggregateExistsError extends BusError {
  constructor(readonly aggregateId: string) {
    super(`aggregate ${aggregateId} already exists`, 'already_exists', false);
    this.name = 'AggregateExistsError';
  }
}

/** Database or broker unreachable: retry for as long as it takes, never dead-letter for this. */
export function isInfrastructureUnavailable(error: unknown): boolean {
  const e = error as { name?: string; code?: string; retriable?: boolean } | undefined;
  if (!e) return false;
  return (
    /^Mongo(Network|NetworkTimeout|ServerSelection|NotConnected|TopologyClosed|PoolCleared)Error$/.test(e.name ?? '') ||
    e.code === 'ECONNREFUSED' ||
    // FerretDB on SQLite answers a write that waited too long for the database lock with this.
    /database is locked|SQLITE_BUSY/.test(String((error as { message?: string }).message ?? '')) ||
    e.code === 'ECONNRESET' ||
    /^KafkaJS(Connection|NumberOfRetriesExceeded|RequestTimeout)Error$/.test(e.name ?? '')
  );
}

/** Whether a handler failure is worth another attempt (validation and programming errors are not). */
export function isRetriable(error: unknown): boolean {
  const e = error as { retriable?: boolean; name?: string } | undefined;
  if (e?.retriable === false) return false;
  if (e?.name === 'ZodError' || e?.name === 'EnvelopeError') return false;
  return true;
}
