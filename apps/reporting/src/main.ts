/** Entry point: tracing first, then the service (SIGTERM/SIGINT stop it gracefully). */
import { initTelemetry } from '@tongxin/service-kit/telemetry';

await initTelemetry({ serviceName: 'reporting' });
const { loadConfig, runService } = await import('@tongxin/service-kit');
const { createReportingService, reportingConfigSchema } = await import('./service.js');
const { service } = createReportingService({ config: loadConfig(reportingConfigSchema) });
await runService(service);
