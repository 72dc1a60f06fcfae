/**
 * Effects that are not snapshots: a per-counter total, `$inc`-ed by each increment's `by` through
 * `applyOnce`, which remembers the applied event ids in the same document (`appliedEvents`).
 */
import { Schema, type Connection, type Model } from 'mongoose';

import { applyOnce, type ConsumerOptions } from '../../src/index.js';

export interface CounterTotal {
  _id: string;
  total: number;
  count: number;
  appliedEvents: string[];
}

export function counterTotalModel(connection: Connection): Model<CounterTotal> {
  return connection.model<CounterTotal>(
    'CounterTotal',
    new Schema<CounterTotal>(
      { _id: String, total: Number, count: Number, appliedEvents: [String] },
      { versionKey: false },
    ),
  );
}

export type ApplyResult = 'applied' | 'duplicate';

/** Each event: `count` +1 and `total` + its `by` (0 for a creation), at most once per event id. */
export function counterTotalHandlers(
  Totals: Model<CounterTotal>,
  onResult: (event: { id: string; subject: string }, result: ApplyResult) => void = () => {},
): ConsumerOptions['handlers'] {
  const apply = async (event: { id: string; subject: string }, by: number) => {
    const result = await applyOnce(Totals as never, event.subject, event.id, { $inc: { total: by, count: 1 } });
    onResult(event, result);
  };
  return {
    'test.counter.created': (event) => apply(event as { id: string; subject: string }, 0),
    'test.counter.incremented': (event) => {
      const e = event as { id: string; subject: string; data: { by: number } };
      return apply(e, e.data.by);
    },
  };
}
