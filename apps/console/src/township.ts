import { regionName, YUEYANG_TOWNSHIPS } from '@tongxin/contracts/values';

import type { Principal } from './api';
import type { Lang } from './i18n';

/**
 * A region's name in the console's language, from its code (English where the directory has an
 * English name); what the API gave, else the code itself, when the directory does not know it.
 */
export function regionLabel(lang: Lang, code: string | undefined, given?: string): string {
  return (code ? regionName(code, lang) : undefined) ?? given ?? code ?? '';
}

/** The townships an account may work on: its own, or every one inside its county/city regions. */
export function townshipsOf(principal: Principal, lang: Lang): { code: string; name: string }[] {
  const out: { code: string; name: string }[] = [];
  for (const region of principal.regions) {
    if (region.length === 9) out.push({ code: region, name: regionLabel(lang, region) });
    else
      for (const town of YUEYANG_TOWNSHIPS as readonly { code: string }[])
        if (town.code.startsWith(region)) out.push({ code: town.code, name: regionLabel(lang, town.code) });
  }
  return out;
}
