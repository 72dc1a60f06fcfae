import type { Sealer } from '@tongxin/service-kit';
import type { ChildIndex } from '../persistence/child-index.js';
import type { RegistryModels } from '../persistence/models.js';
import type { Cases } from '../service/cases.js';
import type { Children } from '../service/children.js';

/** What the routes work with: the service's models and application services, and its clock. */
export interface RegistryContext {
  models: RegistryModels;
  sealer: Sealer;
  children: Children;
  /** What the children's lists and ledgers read once it is ready (persistence/list-index.ts). */
  childIndex: ChildIndex;
  cases: Cases;
  now: () => Date;
}
