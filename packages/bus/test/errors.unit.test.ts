import { describe, expect, it } from 'vitest';

import { BusError, ConcurrencyError, isInfrastructureUnavailable, isRetriable } from '../src/index.js';

describe('error classification', () => {
  it('when the database or broker is unreachable or locked, then it counts as an outage (retry, never dead-letter)', () => {
    const named = (name: string, message = 'x') => Object.assign(new Error(message), { name });
    expect(isInfrastructureUnavailable(named('MongoServerSelectionError'))).toBe(true);
    expect(isInfrastructureUnavailable(named('MongoNetworkError'))).toBe(true);
    expect(isInfrastructureUnavailable(named('KafkaJSConnectionError'))).toBe(true);
    expect(isInfrastructureUnavailable(Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(
      isInfrastructureUnavailable(
        named('MongoServerError', '[fsql.(*DB).InTransaction] database is locked (5) (SQLITE_BUSY)'),
      ),
    ).toBe(true);
    expect(isInfrastructureUnavailable(named('MongoServerError', 'E11000 duplicate key error'))).toBe(false);
    expect(isInfrastructureUnavailable(new TypeError('x is undefined'))).toBe(false);
  });

  it('when an error says it is not retriable, or is a validation error, then it is not retried', () => {
    expect(isRetriable(new BusError('bad', 'bad', false))).toBe(false);
    expect(isRetriable(Object.assign(new Error('invalid'), { name: 'ZodError' }))).toBe(false);
    expect(isRetriable(new ConcurrencyError('a', 1))).toBe(true);
    expect(isRetriable(new Error('something odd'))).toBe(true);
  });
});
