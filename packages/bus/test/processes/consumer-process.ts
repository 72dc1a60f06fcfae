/**
 * A consuming "service" as its own process, for crash tests: applies counter events as effects
 * with `applyOnce` (support/totals). Environment:
 *   MONGODB_URI, BUS_TEST_DATABASE   the effects' database
 *   KAFKA_BROKERS, BUS_TEST_TOPIC, BUS_TEST_GROUP
 *   BUS_TEST_DELIVERIES_FILE         one line `<event id> <applied|duplicate> <pid>` is appended per
 *                                    handled event (synchronously, so it survives a SIGKILL)
 *   BUS_TEST_SESSION_TIMEOUT_MS      optional; how soon the group forgets a killed member
 *   BUS_TEST_KILL_AFTER_APPLIED=<n>  fault injection: SIGKILL this process inside the handler right
 *       after the n-th effect was applied, before the runner could resolve or commit its offset.
 * Reports `{ event: 'ready' }` on stdout.
 */
import { appendFileSync } from 'node:fs';

import { createConsumer } from '../../src/index.js';
import { counterEvents } from '../support/counter.js';
import { childLifecycle, connectChild, report, requiredEnv } from '../support/processes.js';
import { counterTotalHandlers, counterTotalModel } from '../support/totals.js';

const { connection, kafka, logger } = await connectChild('consumer-process');
const Totals = counterTotalModel(connection);
const events = counterEvents(requiredEnv('BUS_TEST_TOPIC'));
const deliveries = requiredEnv('BUS_TEST_DELIVERIES_FILE');
const killAfter = Number(process.env.BUS_TEST_KILL_AFTER_APPLIED ?? 0);
let applied = 0;

const consumer = createConsumer({
  kafka,
  groupId: requiredEnv('BUS_TEST_GROUP'),
  subscriptions: [{ topic: events.declaration.name, events: [events.Created, events.Incremented] }],
  handlers: counterTotalHandlers(Totals, (event, result) => {
    appendFileSync(deliveries, `${event.id} ${result} ${process.pid}\n`);
    if (result === 'applied') applied += 1;
    if (killAfter > 0 && applied === killAfter) process.kill(process.pid, 'SIGKILL');
  }),
  logger,
  ...(process.env.BUS_TEST_SESSION_TIMEOUT_MS
    ? { sessionTimeoutMs: Number(process.env.BUS_TEST_SESSION_TIMEOUT_MS) }
    : {}),
});
childLifecycle(async () => {
  await consumer.stop();
  await connection.close();
});
await consumer.start();
report({ event: 'ready', pid: process.pid });
