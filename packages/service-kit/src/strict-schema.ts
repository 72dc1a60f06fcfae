import { z } from 'zod';

type AnyDef = Record<string, unknown> & { type: string };
const defOf = (schema: z.ZodType): AnyDef => (schema as unknown as { _zod: { def: AnyDef } })._zod.def;
const rebuild = <T extends z.ZodType>(schema: T, def: AnyDef): T =>
  // `parent: true` keeps `.describe()`/`.meta()` metadata visible on the copy.
  (schema as unknown as { clone(def: AnyDef, params: { parent: boolean }): T }).clone(def, { parent: true });

const WRAPPERS_WITH_INNER = new Set([
  'optional',
  'nullable',
  'default',
  'prefault',
  'nonoptional',
  'readonly',
  'catch',
]);

/**
 * A copy of `schema` where every object (at any depth) rejects unknown keys, so request schemas
 * written with plain `z.object()` cannot be used for mass assignment. Objects already declared
 * with a catchall (`z.looseObject`, `.catchall(…)`) keep it: that was a deliberate choice.
 */
export function strictDeep<T extends z.ZodType>(schema: T): T {
  const def = defOf(schema);
  const walk = (s: unknown): unknown => strictDeep(s as z.ZodType);
  if (def.type === 'object') {
    const shape = def.shape as Record<string, z.ZodType>;
    const strictShape = Object.fromEntries(Object.entries(shape).map(([key, value]) => [key, walk(value)]));
    return rebuild(schema, { ...def, shape: strictShape, catchall: def.catchall ?? z.never() });
  }
  if (def.type === 'array') return rebuild(schema, { ...def, element: walk(def.element) });
  if (WRAPPERS_WITH_INNER.has(def.type)) return rebuild(schema, { ...def, innerType: walk(def.innerType) });
  if (def.type === 'union') return rebuild(schema, { ...def, options: (def.options as unknown[]).map(walk) });
  if (def.type === 'intersection') return rebuild(schema, { ...def, left: walk(def.left), right: walk(def.right) });
  if (def.type === 'record') return rebuild(schema, { ...def, valueType: walk(def.valueType) });
  if (def.type === 'tuple') {
    return rebuild(schema, {
      ...def,
      items: (def.items as unknown[]).map(walk),
      rest: def.rest ? walk(def.rest) : def.rest,
    });
  }
  if (def.type === 'pipe') return rebuild(schema, { ...def, in: walk(def.in) });
  return schema;
}
