/**
 * `gateway.audit.v1`: audit records (who read or changed which record, when, why) that every service
 * publishes for the gateway to collect into its hash-chained log (ARCHITECTURE §5). Ids only: no
 * names, no ID numbers, no content of the record.
 *
 * Key and subject = the audited resource's id. Audit records are not an aggregate's history: the
 * envelope `sequence` is the producer's per-resource counter when it keeps one, and consumers must
 * de-duplicate by event id, not by sequence.
 */
import { z } from 'zod';

import { defineEvent } from '../events.js';
import { ROLES } from '../roles.js';

import { ZEntityId, ZIsoDateTime } from './fields.js';

export const AUDIT_TOPIC = 'gateway.audit.v1';

/** The actor's role: a person's, or `service` for a service acting on its own. */
export const ZAuditRole = z.enum([...ROLES, 'service']);

export const ZAuditRecordedData = z.object({
  /** The actor's `sub` (user id, or the service's name for machine actions). */
  actorSub: z.string().min(1).max(128),
  role: ZAuditRole,
  /** What was done, e.g. "read", "update", "export", "login". */
  action: z.string().regex(/^[a-z][a-z_.]{0,63}$/, 'an action code such as "read" or "child.export"'),
  /** The kind of record, e.g. "child", "case", "personal_file". */
  resource: z.string().regex(/^[a-z][a-z_]{0,63}$/, 'a resource kind such as "child"'),
  resourceId: ZEntityId,
  /** The purpose the user gave (查阅目的), when the route asks for one. */
  purpose: z.string().min(1).max(200).optional(),
  at: ZIsoDateTime,
  requestId: z.string().min(1).max(128),
});
export const AuditRecorded = defineEvent({
  type: 'gateway.audit.recorded',
  version: 1,
  topic: AUDIT_TOPIC,
  data: ZAuditRecordedData,
  description: 'Someone read or changed a record: actor, role, action, resource id, purpose, time, request id.',
});

export const auditEvents = [AuditRecorded] as const;
