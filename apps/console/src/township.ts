import { findRegion, YUEYANG_TOWNSHIPS } from '@tongxin/contracts/values';

import type { Principal } from './api';

/** The townships an account may work on: its own, or every one inside its county/city regions. */
export function townshipsOf(principal: Principal): { code: string; name: string }[] {
  const out: { code: string; name: string }[] = [];
  for (const region of principal.regions) {
    if (region.length === 9) out.push({ code: region, name: findRegion(region)?.name ?? region });
    else
      for (const town of YUEYANG_TOWNSHIPS as readonly { code: string; name: string }[])
        if (town.code.startsWith(region)) out.push({ code: town.code, name: town.name });
  }
  return out;
}
