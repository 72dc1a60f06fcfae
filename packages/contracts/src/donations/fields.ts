/**
 * Field types of this producer's events.
 *
 * Deliberately plain, transform-free zod (regexes, ints) rather than the value types of
 * '../values/index.js' (ZRegionCode, ZFen, ZIsbn13): those normalise (transforms), refine
 * (superRefine) or check membership in the region directory. In an event schema that would (1) be
 * invisible in the generated JSON Schema, so the compatibility check and AsyncAPI could not see it,
 * and (2) make a consumer running an older region directory reject events about a newly created
 * village. Producers validate with the value types at their API edge; events carry the canonical
 * form those produce, and consumers only check its shape.
 */
import { z } from 'zod';

/** An aggregate id as our services make them (UUIDv7 or a MongoDB ObjectId in hex). */
export const ZEntityId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'an id: letters, digits, "-" or "_", at most 64');
/** GB/T 2260 + statistical division code, canonical short form: county 6, township 9, village 12 digits. */
export const ZRegionCode = z.string().regex(/^\d{6}(\d{3}(\d{3})?)?$/, 'a region code of 6, 9 or 12 digits');
/** A village-level (村/居委会) code: where a child lives. */
export const ZVillageCode = z.string().regex(/^\d{12}$/, 'a village-level region code of 12 digits');
export const ZIsoDate = z.iso.date();
export const ZIsoDateTime = z.iso.datetime({ offset: true });
/** Money as integer fen (1 yuan = 100 fen), never a float (the shape of values' ZFen, without its refinement). */
export const ZFen = z.number().int().nonnegative();
/** Why what arrived differs from what was dispatched (also the API's acknowledgement input). */
export const ZDiscrepancyReason = z.enum(['missing', 'damaged', 'surplus', 'wrong_item', 'other']);
