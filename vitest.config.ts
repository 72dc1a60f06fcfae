import { defineConfig } from 'vitest/config';

/**
 * `npm test` runs every workspace's tests in one vitest process. Each workspace's own
 * vitest.config.ts uses the shared preset (@tongxin/testkit/vitest-preset), whose global setup
 * finds or starts the real stack once.
 */
export default defineConfig({
  test: {
    projects: [
      'packages/*/vitest.config.ts',
      'apps/*/vitest.config.ts',
      'tools/*/vitest.config.ts',
      'infra/local/vitest.config.ts',
      'infra/k8s/vitest.config.ts',
    ],
  },
});
