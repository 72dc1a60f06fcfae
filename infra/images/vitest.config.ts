import { existsSync } from 'node:fs';

import { defineConfig } from 'vitest/config';

/**
 * The containers end-to-end suite (`npm run test:containers`), NOT one of the root `npm test`
 * projects: it needs a container engine and the images of `npm run images`.
 *
 * Without DOCKER_HOST, podman's API socket from infra/images/setup-podman.sh is used when present,
 * with Ryuk disabled (its image cannot be pulled here; the suite stops its own containers) and
 * 127.0.0.1 as the host testcontainers reports.
 */
const podmanSocket = process.env.TONGXIN_PODMAN_SOCKET ?? '/run/tongxin-podman.sock';
const engineEnv: Record<string, string> =
  process.env.DOCKER_HOST || !existsSync(podmanSocket)
    ? {}
    : {
        DOCKER_HOST: `unix://${podmanSocket}`,
        TESTCONTAINERS_RYUK_DISABLED: process.env.TESTCONTAINERS_RYUK_DISABLED ?? 'true',
        TESTCONTAINERS_HOST_OVERRIDE: process.env.TESTCONTAINERS_HOST_OVERRIDE ?? '127.0.0.1',
      };

export default defineConfig({
  test: {
    name: 'images-containers',
    root: import.meta.dirname,
    include: ['test/**/*.containers.test.ts'],
    env: engineEnv,
    testTimeout: 300_000,
    hookTimeout: 600_000,
    pool: 'forks',
  },
});
