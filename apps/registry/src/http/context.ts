import type { Sealer } from '@tongxin/service-kit';
import type { RegistryModels } from '../persistence/models.js';
import type { Cases } from '../service/cases.js';
import type { Children } from '../service/children.js';

/** What the routes work with: the service's models and application services, and its clock. */
export interface RegistryContext {
  models: RegistryModels;
  sealer: Sealer;
  children: Children;
  cases: Cases;
  now: () => Date;
}
