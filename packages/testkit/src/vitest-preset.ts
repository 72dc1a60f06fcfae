import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';

import { defineProject, mergeConfig, type ViteUserConfig } from 'vitest/config';

const globalSetup = fileURLToPath(new URL('./global-setup.ts', import.meta.url));

/**
 * The one vitest configuration every workspace reuses (`vitest.config.ts`:
 * `export default tongxinProject(import.meta.dirname)`). Tests are named by suffix:
 * `*.unit.test.ts` (pure), `*.int.test.ts` (real Kafka + database), `*.e2e.test.ts`.
 */
export function tongxinProject(dir: string, overrides: ViteUserConfig = {}): ViteUserConfig {
  const base = defineProject({
    test: {
      name: basename(dir),
      root: dir,
      include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
      globalSetup: [globalSetup],
      testTimeout: 60_000,
      hookTimeout: 120_000,
      pool: 'forks',
      restoreMocks: true,
    },
  });
  return mergeConfig(base, overrides);
}
