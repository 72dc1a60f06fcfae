import { tongxinProject } from '@tongxin/testkit/vitest-preset';

/** The browser journeys build the console and launch the platform once: generous hook timeout. */
export default tongxinProject(import.meta.dirname, { test: { hookTimeout: 240_000, testTimeout: 90_000 } });
