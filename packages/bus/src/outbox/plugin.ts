/**
 * Gives an aggregate's mongoose schema the two fields the embedded outbox needs (ARCHITECTURE §4):
 * `sequence` (the aggregate's version; optimistic concurrency) and `outbox` (events committed with
 * the state change, not yet published), plus `outboxPending`, an indexed flag the relay polls on.
 */
import { Schema } from 'mongoose';

export interface OutboxEntry {
  id: string;
  type: string;
  version: number;
  topic: string;
  subject: string;
  sequence: number;
  time: string;
  source: string;
  correlationId?: string;
  traceparent?: string;
  tracestate?: string;
  data: unknown;
}

export interface OutboxFields {
  sequence: number;
  outbox: OutboxEntry[];
  outboxPending: boolean;
}

const outboxEntrySchema = new Schema<OutboxEntry>(
  {
    id: { type: String, required: true },
    type: { type: String, required: true },
    version: { type: Number, required: true },
    topic: { type: String, required: true },
    subject: { type: String, required: true },
    sequence: { type: Number, required: true },
    time: { type: String, required: true },
    source: { type: String, required: true },
    correlationId: String,
    traceparent: String,
    tracestate: String,
    data: { type: Schema.Types.Mixed, required: true },
  },
  { _id: false, minimize: false },
);

export function outboxPlugin(schema: Schema): void {
  schema.add({
    sequence: { type: Number, required: true, default: 0 },
    outbox: { type: [outboxEntrySchema], default: [] },
    outboxPending: { type: Boolean, default: false, index: true },
  });
}
