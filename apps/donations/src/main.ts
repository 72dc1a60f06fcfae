/** Entry point: tracing first, then the service (SIGTERM/SIGINT stop it gracefully). */
import { initTelemetry } from '@tongxin/service-kit/telemetry';

await initTelemetry({ serviceName: 'donations' });
const { loadConfig, runService } = await import('@tongxin/service-kit');
const { createDonationsService, donationsConfigSchema } = await import('./service.js');
const { service } = createDonationsService({ config: loadConfig(donationsConfigSchema) });
await runService(service);
