import { z } from 'zod';

/** Roles the gateway grants (ARCHITECTURE §5). */
export const ROLES = [
  'city_admin',
  'county_officer',
  'township_officer',
  'department_clerk',
  'facility_manager',
  'charity',
  'volunteer_coordinator',
  'auditor',
  'ops',
] as const;
export const ZRole = z.enum(ROLES);
export type Role = z.infer<typeof ZRole>;

export const ZDepartment = z.enum(['civil_affairs', 'education', 'public_security']);
export type Department = z.infer<typeof ZDepartment>;

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
