import { tongxinProject } from '@tongxin/testkit/vitest-preset';

export default tongxinProject(import.meta.dirname);
