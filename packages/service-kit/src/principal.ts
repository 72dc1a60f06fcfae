import { ZDepartment, ZRole } from '@tongxin/contracts';
import { z } from 'zod';

export { DEPARTMENTS, ROLES, ZDepartment, ZRole, type Department, type Role } from '@tongxin/contracts';

/**
 * The claims a Tongxin access token carries beyond the registered ones (`iss`, `aud`, `exp`,
 * `iat`, `jti`), as the gateway issues them. Scope lists default to empty: no scope, no objects.
 */
export const ZTongxinClaims = z.object({
  sub: z.string().min(1),
  name: z.string().min(1),
  roles: z.array(ZRole).min(1),
  /** GB/T 2260 region code prefixes: '43' province, '4306' Yueyang, '430626' Pingjiang county. */
  regions: z.array(z.string().regex(/^\d{2,12}$/)).default([]),
  facilities: z.array(z.string().min(1)).default([]),
  donorOrgs: z.array(z.string().min(1)).default([]),
  volunteerOrgs: z.array(z.string().min(1)).default([]),
  department: ZDepartment.optional(),
});
export type TongxinClaims = z.input<typeof ZTongxinClaims>;

/** The authenticated caller, as handlers see it (`req.principal`, `ctx.principal`). */
export type Principal = z.output<typeof ZTongxinClaims>;
