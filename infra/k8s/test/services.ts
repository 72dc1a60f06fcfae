/** What the deployment tests know of each service: its config schema, version and drain time. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { z } from 'zod';

import type { ServiceName } from '../../local/src/launch.js';

import { REPO_ROOT } from './render.js';

/** The service's own environment schema (what `loadConfig` checks at boot). */
export async function configSchema(name: ServiceName): Promise<z.ZodType> {
  switch (name) {
    case 'gateway':
      return (await import('../../../apps/gateway/src/config.js')).gatewayConfigSchema;
    case 'registry':
      return (await import('../../../apps/registry/src/service.js')).registryConfigSchema;
    case 'facilities':
      return (await import('../../../apps/facilities/src/service.js')).facilitiesConfigSchema;
    case 'donations':
      return (await import('../../../apps/donations/src/service.js')).donationsConfigSchema;
    case 'volunteers':
      return (await import('../../../apps/volunteers/src/service.js')).volunteersConfigSchema;
    case 'reporting':
      return (await import('../../../apps/reporting/src/service.js')).reportingConfigSchema;
  }
}

export const appVersion = (name: ServiceName): string =>
  (JSON.parse(readFileSync(join(REPO_ROOT, `apps/${name}/package.json`), 'utf8')) as { version: string }).version;

/** The service-kit default of SHUTDOWN_TIMEOUT_MS (HTTP drain before the consumers stop), read from source. */
export function defaultDrainMs(): number {
  const source = readFileSync(join(REPO_ROOT, 'packages/service-kit/src/config.ts'), 'utf8');
  const match = /SHUTDOWN_TIMEOUT_MS:[^\n]*\.default\(([\d_]+)\)/.exec(source);
  if (!match) throw new Error('SHUTDOWN_TIMEOUT_MS default not found in packages/service-kit/src/config.ts');
  return Number(match[1]!.replaceAll('_', ''));
}

/** A stand-in for a secret value: a base64 32-byte key (what the key settings expect). */
export const STAND_IN_SECRET = Buffer.alloc(32, 7).toString('base64') + 'AAAAAAAA';
