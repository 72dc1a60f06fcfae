/** `npm run rebuild -w @tongxin/reporting`: stop the service first (its group must have no members). */
import { createKafkaClient } from '@tongxin/bus';
import { loadConfig } from '@tongxin/service-kit';

import { readModels } from './read-models/models.js';
import { rebuild } from './rebuild.js';
import { createReportingDatabase, reportingConfigSchema } from './service.js';

const config = loadConfig(reportingConfigSchema);
const db = createReportingDatabase(config);
await db.open();
try {
  const result = await rebuild({
    kafka: createKafkaClient({ clientId: 'reporting-rebuild', brokers: config.KAFKA_BROKERS }),
    models: readModels(db.connection),
    groupId: config.REPORTING_CONSUMER_GROUP,
    progress: (line) => console.log(line),
  });
  console.log(`rebuilt from ${result.processed} events in ${(result.ms / 1000).toFixed(1)} s`);
} finally {
  await db.close();
}
