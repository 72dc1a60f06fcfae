import type { Request } from 'express';

export type Language = 'zh' | 'en';

/**
 * The language of problem titles and validation messages. Chinese when the caller's
 * `Accept-Language` prefers Chinese (its highest-weighted zh-* or en-* entry is zh-*), English
 * otherwise — including when the header is missing, so curl, logs and other services get English
 * and the console (which always sends zh-CN first) gets Chinese.
 */
export function languageOf(header: string | undefined): Language {
  if (!header) return 'en';
  let best: { lang: Language; q: number } | undefined;
  for (const part of header.split(',')) {
    const [tag = '', ...params] = part.trim().toLowerCase().split(';');
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!Number.isFinite(q) || q <= 0) continue;
    const lang: Language | undefined =
      tag === 'zh' || tag.startsWith('zh-') ? 'zh' : tag === 'en' || tag.startsWith('en-') ? 'en' : undefined;
    if (lang && (!best || q > best.q)) best = { lang, q };
  }
  return best?.lang ?? 'en';
}

export const requestLanguage = (req: Request): Language => languageOf(req.get('accept-language'));
