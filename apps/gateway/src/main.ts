/** Entry point: tracing first, then the gateway (SIGTERM/SIGINT stop it gracefully). */
import { initTelemetry } from '@tongxin/service-kit/telemetry';

await initTelemetry({ serviceName: 'gateway' });
const { loadConfig, runService } = await import('@tongxin/service-kit');
const { createGatewayService, gatewayConfigSchema } = await import('./service.js');
// The gateway verifies the tokens it signs with its own keys: no JWKS_URL / JWT_PUBLIC_JWK rule.
const { service } = await createGatewayService({ config: loadConfig(gatewayConfigSchema, process.env, []) });
await runService(service);
