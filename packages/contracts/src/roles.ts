import { z } from 'zod';

/** Roles the gateway grants (ARCHITECTURE §5); every service authorises by them. */
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

/** The three departments whose lists are cross-checked (比对核实). */
export const DEPARTMENTS = ['civil_affairs', 'education', 'public_security'] as const;
export const ZDepartment = z.enum(DEPARTMENTS);
export type Department = z.infer<typeof ZDepartment>;
