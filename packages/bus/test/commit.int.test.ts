import { connectTestDatabase, uniqueTopic } from '@tongxin/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { AggregateExistsError, AggregateNotFoundError, ConcurrencyError } from '../src/index.js';
import { counterEvents, counterModel, createCounter, incrementKnown, type CounterDoc } from './support/counter.js';

describe('commit: state, sequence and events in one write', () => {
  let db: Awaited<ReturnType<typeof connectTestDatabase>>;
  beforeAll(async () => {
    db = await connectTestDatabase('bus_commit');
  });
  afterAll(async () => {
    await db.closeAndDrop();
  });

  it('when a command commits, then state, sequence and the new events are stored together, in order', async () => {
    const events = counterEvents(uniqueTopic('commit'));
    const Counter = counterModel(db);
    await createCounter(Counter, events, 'c1');
    const state = { sequence: 1, value: 0 };
    await incrementKnown(Counter, events, 'c1', state, 5);
    const stored = (await Counter.findById('c1').lean()) as CounterDoc;
    expect(stored).toMatchObject({ value: 5, sequence: 2, outboxPending: true });
    expect(stored.outbox.map((e) => [e.type, e.sequence, e.subject, e.topic])).toEqual([
      ['test.counter.created', 1, 'c1', events.declaration.name],
      ['test.counter.incremented', 2, 'c1', events.declaration.name],
    ]);
    expect(stored.outbox[1]!.data).toEqual({ counterId: 'c1', by: 5, value: 5 });
    expect(stored.outbox[1]!.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('when two commands race on the same sequence, then exactly one wins and the other gets a ConcurrencyError', async () => {
    const events = counterEvents(uniqueTopic('race'));
    const Counter = counterModel(db.useDb(`${db.name}_race`));
    await createCounter(Counter, events, 'c2');
    const results = await Promise.allSettled([
      incrementKnown(Counter, events, 'c2', { sequence: 1, value: 0 }, 1),
      incrementKnown(Counter, events, 'c2', { sequence: 1, value: 0 }, 10),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(ConcurrencyError);
    const stored = (await Counter.findById('c2').lean()) as CounterDoc;
    expect(stored.sequence).toBe(2);
    expect(stored.outbox).toHaveLength(2); // created + the one winner, never both
    await Counter.db.dropDatabase();
  });

  it('when an aggregate is created twice or changed before it exists, then the error says which', async () => {
    const events = counterEvents(uniqueTopic('exists'));
    const Counter = counterModel(db.useDb(`${db.name}_exists`));
    await createCounter(Counter, events, 'c3');
    await expect(createCounter(Counter, events, 'c3')).rejects.toBeInstanceOf(AggregateExistsError);
    await expect(incrementKnown(Counter, events, 'nobody', { sequence: 0, value: 0 })).rejects.toBeInstanceOf(
      AggregateNotFoundError,
    );
    await Counter.db.dropDatabase();
  });
});
