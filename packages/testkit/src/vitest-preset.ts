import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';

import { defineProject, mergeConfig, type ViteUserConfig } from 'vitest/config';

const globalSetup = fileURLToPath(new URL('./global-setup.ts', import.meta.url));

/**
 * The one vitest configuration every workspace reuses (`vitest.config.ts`:
 * `export default tongxinProject(import.meta.dirname)`). Tests are named by suffix:
 * `*.unit.test.ts` (pure), `*.int.test.ts` (real Kafka + database), `*.e2e.test.ts` (the whole
 * platform: every service as its own process, a browser, a generated city).
 *
 * `npm test` runs the unit and integration tests, files in parallel. The end-to-end tests each
 * start the whole platform and load the machine on their own, so they run as a second set, one
 * file at a time: `npm run test:e2e` (TONGXIN_TEST_SET=e2e), which CI runs after `npm test`.
 */
export function tongxinProject(dir: string, overrides: ViteUserConfig = {}): ViteUserConfig {
  const base = defineProject({
    test: {
      name: basename(dir),
      root: dir,
      ...(process.env.TONGXIN_TEST_SET === 'e2e'
        ? { include: ['test/**/*.e2e.test.ts'] }
        : { include: ['test/**/*.test.ts', 'src/**/*.test.ts'], exclude: ['**/node_modules/**', '**/*.e2e.test.ts'] }),
      globalSetup: [globalSetup],
      testTimeout: 60_000,
      hookTimeout: 120_000,
      pool: 'forks',
      restoreMocks: true,
    },
  });
  return mergeConfig(base, overrides);
}
