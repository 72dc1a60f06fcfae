/** Entry point: tracing first, then the service (SIGTERM/SIGINT stop it gracefully). */
import { initTelemetry } from '@tongxin/service-kit/telemetry';

await initTelemetry({ serviceName: 'registry' });
const { loadConfig, runService } = await import('@tongxin/service-kit');
const { createRegistryService, registryConfigSchema } = await import('./service.js');
const { service } = createRegistryService({ config: loadConfig(registryConfigSchema) });
await runService(service);
