/** Entry point: tracing first, then the service (SIGTERM/SIGINT stop it gracefully). */
import { initTelemetry } from '@tongxin/service-kit/telemetry';

await initTelemetry({ serviceName: 'volunteers' });
const { loadConfig, runService } = await import('@tongxin/service-kit');
const { createVolunteersService, volunteersConfigSchema } = await import('./service.js');
const { service } = createVolunteersService({ config: loadConfig(volunteersConfigSchema) });
await runService(service);
