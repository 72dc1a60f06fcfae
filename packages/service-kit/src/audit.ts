import { randomUUID } from 'node:crypto';

import type { Request } from 'express';
import { Schema, type Connection, type Model } from 'mongoose';

import { redactString } from './redact.js';

export type AuditAction = 'read' | 'create' | 'update' | 'delete' | 'export';
export type AuditOutcome = 'success' | 'denied' | 'failure';

/** What a handler says: what was done to which record, and how it ended. */
export interface AuditEvent {
  action: AuditAction;
  /** Kind of record: 'child', 'case', 'guardian', … */
  resource: string;
  /** The record's id (never a resident ID number). */
  resourceId: string;
  /** Why (PIPL): defaults to the `X-Purpose` header, then `body.purpose`. */
  purpose?: string;
  outcome: AuditOutcome;
}

/** What is stored: the event plus who, when, where. No personal data beyond the actor's id. */
export interface AuditEntry extends AuditEvent {
  id: string;
  at: Date;
  service: string;
  actor: string;
  actorRoles: string[];
  requestId: string;
  method: string;
  route: string;
}

export type AuditFn = (event: AuditEvent) => Promise<void>;

/** Where audit entries go. A failed write rejects, so the handler fails rather than act unaudited. */
export interface AuditSink {
  write(entry: AuditEntry): Promise<void>;
}

const MAX_TEXT = 200;
/** Scrubs free text: audit entries never hold ID numbers, phone numbers or long notes. */
const clean = (text: string | undefined): string | undefined =>
  text === undefined ? undefined : redactString(text).slice(0, MAX_TEXT);

function purposeOf(req: Request, explicit: string | undefined): string | undefined {
  if (explicit) return explicit;
  const header = req.get('x-purpose');
  if (header) {
    try {
      return decodeURIComponent(header); // non-ASCII purposes arrive percent-encoded
    } catch {
      return header;
    }
  }
  const body = req.body as { purpose?: unknown } | undefined;
  return typeof body?.purpose === 'string' ? body.purpose : undefined;
}

export function auditEntryFor(req: Request, service: string, route: string, event: AuditEvent): AuditEntry {
  return {
    id: randomUUID(),
    at: new Date(),
    service,
    actor: req.principal?.sub ?? 'anonymous',
    actorRoles: req.principal?.roles ?? [],
    requestId: req.requestId,
    method: req.method,
    route,
    action: event.action,
    resource: event.resource,
    resourceId: clean(event.resourceId) ?? '',
    purpose: clean(purposeOf(req, event.purpose)),
    outcome: event.outcome,
  };
}

const auditSchema = new Schema(
  {
    _id: { type: String, required: true },
    at: { type: Date, required: true },
    service: String,
    actor: { type: String, required: true },
    actorRoles: [String],
    requestId: String,
    method: String,
    route: String,
    action: { type: String, required: true },
    resource: { type: String, required: true },
    resourceId: { type: String, required: true },
    purpose: String,
    outcome: { type: String, required: true },
  },
  { collection: 'audit_log', versionKey: false, strict: 'throw' },
);
// Append-only: any attempt to change or remove an entry through the model fails.
const refuse = () => {
  throw new Error('audit_log is append-only');
};
for (const op of [
  'updateOne',
  'updateMany',
  'findOneAndUpdate',
  'findOneAndReplace',
  'findOneAndDelete',
  'replaceOne',
  'deleteOne',
  'deleteMany',
] as const) {
  auditSchema.pre(op, refuse);
}

/** The default sink: insert-only writes to `audit_log` in the service's own database. */
export function mongooseAuditSink(connection: Connection): AuditSink & { model: Model<unknown> } {
  const model = (connection.models.AuditEntry ??
    connection.model('AuditEntry', auditSchema)) as unknown as Model<unknown>;
  return {
    model,
    async write(entry) {
      const { id, purpose, ...rest } = entry;
      await model.collection.insertOne({ _id: id as never, ...rest, ...(purpose === undefined ? {} : { purpose }) });
    },
  };
}

/** A sink keeping entries in memory (tests, or services without a database). */
export function memoryAuditSink(): AuditSink & { entries: AuditEntry[] } {
  const entries: AuditEntry[] = [];
  return {
    entries,
    async write(entry) {
      entries.push(entry);
    },
  };
}
