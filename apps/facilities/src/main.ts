/** Entry point: tracing first, then the service (SIGTERM/SIGINT stop it gracefully). */
import { initTelemetry } from '@tongxin/service-kit/telemetry';

await initTelemetry({ serviceName: 'facilities' });
const { loadConfig, runService } = await import('@tongxin/service-kit');
const { createFacilitiesService, facilitiesConfigSchema } = await import('./service.js');
const { service } = createFacilitiesService({ config: loadConfig(facilitiesConfigSchema) });
await runService(service);
