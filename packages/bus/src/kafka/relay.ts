/**
 * The outbox relay: publishes each aggregate's pending events in order, then removes exactly those
 * from the document. A crash anywhere between publish and removal re-publishes (consumers are
 * idempotent), never loses.
 *
 * Ordering across replicas: a lease makes one relay the publisher at a time, and a relay only starts
 * a publish round with a good part of its lease left, so a paused ex-holder cannot interleave with
 * the new one. The lease is a sequence of time slots claimed by INSERTING `{ _id: "<name>:<slot>" }`:
 * only a unique-key insert decides who holds a slot, which is atomic on MongoDB and on FerretDB
 * alike (a conditional update is not atomic on FerretDB v1, see outbox/document-lock.ts). The holder
 * claims the next slot half-way through its current one; if it dies, the others claim the slot
 * after. Removal matches entries by exact
 * stored value (`$pullAll`), the one form FerretDB v1 supports (a `$pull` condition is a silent
 * no-op there), then clears `outboxPending` only if the outbox is empty at that moment — a commit
 * racing with the relay keeps its flag. On FerretDB, where this process's last commit of the
 * document is the one the relay read, the outbox is emptied outright (a smaller, cheaper write).
 *
 * Finding the pending documents: a commit in this process names its document (outbox/signal.ts), and
 * the relay reads exactly those by `_id`. The search for `{ outboxPending: true }` is only the
 * fallback, for commits of other processes and what was pending at start: on FerretDB v1 it reads
 * and decodes the whole collection (no filter but `_id` reaches SQLite), so it is paced by its own
 * cost — at most a twentieth of the time goes to it, and never more often than `scanIntervalMs`.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

import { metrics, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { toKafkaRecord, type EventEnvelope } from '@tongxin/contracts';
import type { Kafka } from 'kafkajs';
import type { Connection, Model } from 'mongoose';

import type { OutboxEntry } from '../outbox/plugin.js';
import { dialectOf } from '../outbox/dialect.js';
import { isLastCommit, markPublished, stillPublished, storedSequence } from '../outbox/last-commit.js';
import { inWriteTurn, withDocumentLock } from '../outbox/document-lock.js';
import { collectionKey, documentKey } from '../outbox/keys.js';
import { outboxSignal, type PendingSnapshot } from '../outbox/signal.js';
import { silentLogger, type BusLogger } from './client.js';
import { KafkaPublisher, type TopicRecord } from './publisher.js';

export interface RelayOptions {
  kafka: Kafka;
  /** The aggregates' models (each with outboxPlugin). Their connection holds the lease. */
  models: readonly Model<never>[];
  /** One lease per name: replicas of one service share it. */
  name: string;
  leaseMs?: number;
  pollMs?: number;
  /** Documents per round. */
  batchSize?: number;
  /**
   * The least time between two searches of a collection for pending documents when it is not
   * behind. Default `pollMs`. The search is also paced by its cost (see above).
   */
  scanIntervalMs?: number;
  /**
   * After a nudge, wait this long for more commits before publishing, so that under load one
   * round carries several events per document (fewer removal writes). Default 15 ms.
   */
  coalesceMs?: number;
  /**
   * FerretDB: how long the removal of a document's published events waits for the document's next
   * commit, which then replaces the outbox in its own write (no removal write at all). Only for a
   * document in use: one committed within this time of its commit before (others are removed at
   * once). A crash in the wait publishes those events again (consumers are idempotent). 0: remove
   * at once. Default 1000 ms.
   */
  removeAfterMs?: number;
  logger?: BusLogger;
  /** Replace the publisher (benchmarks, tests of the relay alone). */
  publisher?: Pick<KafkaPublisher, 'publish' | 'disconnect'>;
}

export interface RelayStats {
  published: number;
  rounds: number;
  /** Searches of a collection for pending documents. */
  scans: number;
  /** Documents read by `_id` after a commit named them (the rest came with their commit's outbox). */
  readById: number;
  failures: number;
  lastPendingDocuments: number;
  isLeader: boolean;
}

/** A document's outbox as read or passed along (all of it is removed once published), and… */
type PendingDocument = PendingSnapshot & {
  /** …what the round publishes of it: `outbox` less what this relay has published already. */
  publish: OutboxEntry[];
};

/** A collection's search costs at most 1/SCAN_COST_SHARE of the relay's time. */
const SCAN_COST_SHARE = 20;
/** Documents remembered per collection from commit signals; beyond that, a search finds them. */
const MAX_HINTS = 10_000;
/** Event ids remembered as published (a few rounds' worth is what matters). */
const MAX_PUBLISHED_IDS = 100_000;
const pendingProjection = { outbox: 1, sequence: 1 };

interface LeaseSlot {
  _id: string;
  relay: string;
  slot: number;
  owner: string;
}

const meter = metrics.getMeter('@tongxin/bus');
const publishedCounter = meter.createCounter('tongxin_outbox_published_total', {
  description: 'events published by the outbox relay',
});
const failureCounter = meter.createCounter('tongxin_outbox_publish_failures_total', {
  description: 'failed publish rounds',
});
const latencyHistogram = meter.createHistogram('tongxin_outbox_publish_latency_ms', {
  description: 'time from commit to acknowledged publish',
  unit: 'ms',
});
const pendingGauge = meter.createObservableGauge('tongxin_outbox_pending_documents', {
  description: 'documents with unpublished events, as of the last relay round',
});
const relays = new Set<OutboxRelay>();
const tracer = trace.getTracer('@tongxin/bus');
pendingGauge.addCallback((result) => {
  for (const relay of relays) result.observe(relay.stats.lastPendingDocuments, { relay: relay.name });
});

export function entryToEnvelope(entry: OutboxEntry): EventEnvelope {
  const envelope: EventEnvelope = {
    id: entry.id,
    type: entry.type,
    version: entry.version,
    source: entry.source,
    subject: entry.subject,
    sequence: entry.sequence,
    time: entry.time,
    data: entry.data,
  };
  if (entry.correlationId) envelope.correlationId = entry.correlationId;
  if (entry.traceparent) envelope.traceparent = entry.traceparent;
  if (entry.tracestate) envelope.tracestate = entry.tracestate;
  return envelope;
}

/**
 * The envelope as it goes to Kafka. An event committed inside a trace gets a publish span, a child
 * of the commit (its stored `traceparent`), and carries THAT span's context in its `traceparent`
 * header, so each consumer's process span continues the request's trace below the publish — per
 * event, though one round publishes events of many requests together.
 */
function publishedEnvelope(entry: OutboxEntry, spans: Span[]): EventEnvelope {
  const envelope = entryToEnvelope(entry);
  if (!entry.traceparent) return envelope;
  const parent = propagation.extract(ROOT_CONTEXT, {
    traceparent: entry.traceparent,
    ...(entry.tracestate ? { tracestate: entry.tracestate } : {}),
  });
  const span = tracer.startSpan(
    `${entry.topic} publish`,
    {
      kind: SpanKind.PRODUCER,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.operation.type': 'send',
        'messaging.destination.name': entry.topic,
        'messaging.message.id': entry.id,
        'tongxin.event.type': entry.type,
        'tongxin.event.subject': entry.subject,
      },
    },
    parent,
  );
  if (!span.isRecording()) return envelope;
  spans.push(span);
  const carrier: Record<string, string> = {};
  propagation.inject(trace.setSpan(parent, span), carrier);
  if (carrier.traceparent) envelope.traceparent = carrier.traceparent;
  if (carrier.tracestate) envelope.tracestate = carrier.tracestate;
  return envelope;
}

export class OutboxRelay {
  readonly name: string;
  readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  readonly stats: RelayStats = {
    published: 0,
    rounds: 0,
    scans: 0,
    readById: 0,
    failures: 0,
    lastPendingDocuments: 0,
    isLeader: false,
  };
  private readonly publisher: Pick<KafkaPublisher, 'publish' | 'disconnect'>;
  private readonly leases: Model<LeaseSlot>;
  private readonly ownedSlots = new Set<number>();
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly batchSize: number;
  private readonly coalesceMs: number;
  private readonly scanIntervalMs: number;
  private readonly removeAfterMs: number;
  /** FerretDB: documents whose events are all published, their removal waiting (in order of when due). */
  private readonly deferred = new Map<string, { model: Model<never>; doc: PendingSnapshot; due: number }>();
  private readonly logger: BusLogger;
  private leaseUntil = 0;
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private nudged = false;
  /**
   * Per collection: documents committed in this process since the relay last read them, each with
   * its outbox as the latest commit left it when that commit passed it along (else read by `_id`).
   */
  private readonly hinted = new Map<Model<never>, Map<unknown, PendingSnapshot | undefined>>();
  /**
   * Ids of the events this relay published lately (what a snapshot may still hold). By event id,
   * not sequence: an aggregate deleted and created anew starts its sequence again. Bounded, the
   * oldest forgotten first (at worst an event goes out twice, which consumers tolerate).
   */
  private readonly publishedIds = new Set<string>();
  /** Per collection: when the next search for pending documents is due (0: at once). */
  private readonly nextScanAt = new Map<Model<never>, number>();
  /** Set when a round stopped early to renew the lease: there may be more to publish. */
  private cutShort = false;
  private readonly onCommitted = (collection: string, id: unknown, snapshot?: PendingSnapshot) => {
    // By database and collection, compared now: a connection learns its database's name on opening.
    const model = this.options.models.find((m) => collectionKey(m) === collection);
    const ids = model && this.hinted.get(model);
    if (!ids) return;
    // A relay that does not publish keeps no snapshots: when it takes over, it reads.
    if (ids.size < MAX_HINTS || ids.has(id)) ids.set(id, this.stats.isLeader ? snapshot : undefined);
    else this.nextScanAt.set(model, 0);
    this.nudge();
  };

  constructor(private readonly options: RelayOptions) {
    if (options.models.length === 0) throw new Error('OutboxRelay needs at least one model');
    this.name = options.name;
    this.leaseMs = options.leaseMs ?? 10_000;
    this.pollMs = options.pollMs ?? 500;
    this.batchSize = options.batchSize ?? 200;
    this.coalesceMs = options.coalesceMs ?? 15;
    this.scanIntervalMs = options.scanIntervalMs ?? this.pollMs;
    this.removeAfterMs = options.removeAfterMs ?? 1000;
    this.logger = options.logger ?? silentLogger;
    this.publisher = options.publisher ?? new KafkaPublisher(options.kafka);
    for (const model of options.models) this.hinted.set(model, new Map());
    const connection: Connection = options.models[0]!.db;
    this.leases =
      (connection.models.OutboxLeaseSlot as Model<LeaseSlot> | undefined) ??
      connection.model<LeaseSlot>(
        'OutboxLeaseSlot',
        new connection.base.Schema(
          { _id: String, relay: String, slot: Number, owner: String },
          { versionKey: false, collection: 'outbox_lease_slots' },
        ),
      );
  }

  /** Publish soon: called by commit() through the in-process signal. */
  nudge(): void {
    this.nudged = true;
    this.wake?.();
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    relays.add(this);
    outboxSignal.on('committed', this.onCommitted);
    this.loop = this.run();
  }

  /** Stops after the current round, gives the lease up so another replica takes over at once. */
  async stop(): Promise<void> {
    if (this.running) {
      this.running = false;
      outboxSignal.off('committed', this.onCommitted);
      this.wake?.();
      await this.loop;
      relays.delete(this);
    }
    // What waits for removal is removed now, so a successor does not publish it again.
    await this.removeDeferred(true).catch(() => {});
    // Also after flush() alone: slots it claimed and its producer are released.
    // Give the slots up so another replica takes over at once.
    await this.leases.deleteMany({ relay: this.name, owner: this.owner }).catch(() => {});
    this.ownedSlots.clear();
    this.stats.isLeader = false;
    await this.publisher.disconnect();
  }

  ready(): boolean {
    return this.running;
  }

  /** Publishes until nothing is pending, searching every collection (used at shutdown and by tests). */
  async flush(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!(await this.holdLease()))
        throw new Error(`relay ${this.name} does not hold the lease; another replica publishes`);
      if ((await this.publishRound(true)) === 0 && !this.cutShort) {
        await this.removeDeferred(true);
        return;
      }
    }
    throw new Error(`relay ${this.name}: outbox not empty after ${timeoutMs} ms`);
  }

  private async run(): Promise<void> {
    let backoff = this.pollMs;
    while (this.running) {
      let published = 0;
      try {
        if (await this.holdLease()) {
          published = await this.publishRound();
          backoff = this.pollMs;
        }
      } catch (error) {
        this.stats.failures += 1;
        failureCounter.add(1, { relay: this.name });
        this.logger.warn({ err: (error as Error).message, relay: this.name }, 'outbox relay round failed; will retry');
        backoff = Math.min(backoff * 2, 5000);
        await this.idle(backoff);
        continue;
      }
      await this.removeDeferred(false).catch(() => {});
      if (published === 0) {
        const wait = this.stats.isLeader ? this.pollMs : Math.min(this.leaseMs / 4, 2000);
        await this.idle(Math.max(1, Math.min(wait, this.nextRemovalDue() - Date.now())));
      } else if (this.coalesceMs > 0) await new Promise((r) => setTimeout(r, this.coalesceMs));
    }
  }

  private idle(ms: number): Promise<void> {
    if (this.nudged) {
      this.nudged = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = undefined;
        this.nudged = false;
        done();
      };
    });
  }

  /** Takes or renews the lease; true while this relay may publish. */
  private async holdLease(): Promise<boolean> {
    const now = Date.now();
    const current = Math.floor(now / this.leaseMs);
    for (const slot of this.ownedSlots) if (slot < current) this.ownedSlots.delete(slot);
    if (!this.ownedSlots.has(current)) await this.claim(current);
    if (this.ownedSlots.has(current) && !this.ownedSlots.has(current + 1) && now >= (current + 0.5) * this.leaseMs) {
      if (await this.claim(current + 1)) {
        // Old slots are of no use to anyone; the holder tidies them.
        await this.leases.deleteMany({ relay: this.name, slot: { $lt: current - 2 } }).catch(() => {});
      }
    }
    let end = current;
    while (this.ownedSlots.has(end)) end += 1;
    this.leaseUntil = end * this.leaseMs;
    const wasLeader = this.stats.isLeader;
    this.stats.isLeader = this.ownedSlots.has(current);
    if (this.stats.isLeader && !wasLeader) this.forgetSnapshots();
    return this.stats.isLeader;
  }

  /**
   * Taking over the publishing (again): another relay may have published and removed what this
   * one's snapshots and memory hold, so the documents are read afresh.
   */
  private forgetSnapshots(): void {
    for (const ids of this.hinted.values()) for (const id of ids.keys()) ids.set(id, undefined);
    this.publishedIds.clear();
  }

  private async claim(slot: number): Promise<boolean> {
    try {
      await this.leases.collection.insertOne({
        _id: `${this.name}:${slot}` as never,
        relay: this.name,
        slot,
        owner: this.owner,
      });
      this.ownedSlots.add(slot);
      return true;
    } catch (error) {
      if ((error as { code?: number }).code === 11000) return false; // another relay holds it
      throw error;
    }
  }

  /**
   * One round over every model; returns how many events were published. `searchAll`: search every
   * collection now, whatever its pace (flush).
   */
  private async publishRound(searchAll = false): Promise<number> {
    this.stats.rounds += 1;
    this.cutShort = false;
    let total = 0;
    let pendingDocs = 0;
    for (const model of this.options.models) {
      if (this.leaseUntil - Date.now() < this.leaseMs / 3) {
        this.cutShort = true; // renew before publishing more
        break;
      }
      const docs = await this.pendingIn(model, searchAll);
      pendingDocs += docs.length;
      if (docs.length === 0) continue;
      try {
        total += await this.publishDocuments(model, docs);
      } catch (error) {
        // What was read by `_id` is no longer remembered: the next round searches instead.
        this.nextScanAt.set(model, 0);
        throw error;
      }
    }
    this.stats.published += total;
    this.stats.lastPendingDocuments = pendingDocs;
    return total;
  }

  /**
   * The documents of one collection with events to publish: a search when one is due, else those
   * this process's commits named — from the outbox the commit passed along, or read by `_id` (one
   * indexed lookup each).
   */
  private async pendingIn(model: Model<never>, searchAll: boolean): Promise<PendingDocument[]> {
    const ids = this.hinted.get(model)!;
    const started = Date.now();
    if (searchAll || started >= (this.nextScanAt.get(model) ?? 0)) {
      // Names given before the search began are covered by it; those given during it are kept —
      // also a document named again during the search, whose new commit the search may have missed.
      ids.clear();
      const docs = await model.collection
        .find<PendingSnapshot>({ outboxPending: true }, { projection: pendingProjection, limit: this.batchSize })
        .toArray();
      this.stats.scans += 1;
      const finished = Date.now();
      // A full batch: more are waiting, search again next round.
      const pause = Math.max(this.scanIntervalMs, (finished - started) * SCAN_COST_SHARE);
      this.nextScanAt.set(model, docs.length >= this.batchSize ? 0 : finished + pause);
      return this.toPublish(docs);
    }
    if (ids.size === 0) return [];
    const snapshots: PendingSnapshot[] = [];
    const unread: unknown[] = [];
    for (const [id, snapshot] of ids) {
      ids.delete(id);
      if (snapshot) snapshots.push(snapshot);
      else unread.push(id);
      if (snapshots.length + unread.length >= this.batchSize) break;
    }
    this.stats.readById += unread.length;
    const read = await Promise.all(
      unread.map((id) =>
        model.collection.findOne<PendingSnapshot>({ _id: id as never }, { projection: pendingProjection }),
      ),
    );
    return this.toPublish([...snapshots, ...read]);
  }

  /**
   * What to publish of each document's outbox: the events this relay has not published. A
   * snapshot can still hold events an earlier round published and removed (and a document read
   * after a failed removal, events published but not removed): they are removed with the rest,
   * not published twice.
   */
  private toPublish(docs: (PendingSnapshot | null)[]): PendingDocument[] {
    const out: PendingDocument[] = [];
    for (const doc of docs) {
      if (!doc || (doc.outbox?.length ?? 0) === 0) continue;
      out.push({ ...doc, publish: doc.outbox.filter((entry) => !this.publishedIds.has(entry.id)) });
    }
    return out;
  }

  /** Publishes the documents' events, then removes them from each document; returns how many. */
  private async publishDocuments(model: Model<never>, docs: PendingDocument[]): Promise<number> {
    const spans: Span[] = [];
    const records: TopicRecord[] = docs.flatMap((doc) =>
      doc.publish.map((entry) => ({ topic: entry.topic, ...toKafkaRecord(publishedEnvelope(entry, spans)) })),
    );
    try {
      if (records.length > 0) await this.publisher.publish(records);
    } catch (error) {
      for (const span of spans) span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      for (const span of spans) span.end();
    }
    const now = Date.now();
    for (const doc of docs) {
      for (const entry of doc.publish) {
        latencyHistogram.record(now - Date.parse(entry.time), { topic: entry.topic });
        this.publishedIds.add(entry.id);
      }
    }
    for (const id of this.publishedIds) {
      if (this.publishedIds.size <= MAX_PUBLISHED_IDS) break;
      this.publishedIds.delete(id); // a Set iterates oldest first
    }
    const dialect = await dialectOf(model.db);
    await Promise.all(
      docs.map((doc) =>
        withDocumentLock(model.collection.collectionName, doc._id, async () => {
          // FerretDB, the document as this process last committed it: all of it published. The
          // removal waits; the document's next commit replaces the outbox, and the wait ends
          // without a write of its own (only a document left alone gets its removal).
          if (
            dialect !== 'mongodb' &&
            this.removeAfterMs > 0 &&
            markPublished(model as never, doc._id as string, doc, this.removeAfterMs)
          )
            this.deferRemoval(model, doc);
          else await this.remove(model, doc, dialect);
        }),
      ),
    );
    publishedCounter.add(records.length, { relay: this.name });
    return records.length;
  }

  /**
   * Under the document's lock: removes what the snapshot holds (all published) from the stored
   * document, in one write. Where its sequence has not moved since it was read, nothing was
   * committed meanwhile, so pulling what was published empties the outbox and the flag is cleared in
   * the same write. Where it moved, only the published entries are pulled (with those a snapshot
   * still held that an earlier round published: removed again, a no-op).
   */
  private async remove(model: Model<never>, doc: PendingSnapshot, dialect: 'mongodb' | 'ferretdb'): Promise<void> {
    let settled: boolean;
    if (dialect === 'mongodb') {
      const result = await model.collection.updateOne({ _id: doc._id as never, sequence: doc.sequence }, {
        $pullAll: { outbox: doc.outbox },
        $set: { outboxPending: false },
      } as never);
      settled = result.matchedCount === 1;
    } else if (isLastCommit(model as never, doc._id as string, doc)) {
      // FerretDB, this process's last commit of the document is the one read: what it holds is what
      // was read (less what an earlier round removed), all published now or before.
      await emptyOutbox(model, doc._id);
      settled = true;
    } else {
      // FerretDB: by `_id` alone (pushed down), the sequence compared here under the lock (what this
      // process committed last, else read) — sound because one process writes an aggregate
      // collection there (commit.ts), and its commits take the same lock.
      settled = (await storedSequence(model as never, doc._id as string)) === doc.sequence;
      if (settled) {
        await inWriteTurn(model, () =>
          model.collection.updateOne({ _id: doc._id as never }, {
            $pullAll: { outbox: doc.outbox },
            $set: { outboxPending: false },
          } as never),
        );
      }
    }
    if (!settled) {
      const pull = () =>
        model.collection.updateOne({ _id: doc._id as never }, { $pullAll: { outbox: doc.outbox } } as never);
      await inWriteTurn(model, pull);
    }
  }

  /**
   * A document that published new events waits afresh (it is in use: its next commit is likely);
   * one found again by a search with nothing new keeps its time, so searches never put it off.
   */
  private deferRemoval(model: Model<never>, doc: PendingDocument): void {
    const key = documentKey(model, String(doc._id));
    const waiting = this.deferred.get(key);
    if (waiting && doc.publish.length === 0) {
      waiting.doc = doc;
      return;
    }
    this.deferred.delete(key); // re-inserted last: the map stays in order of when each is due
    this.deferred.set(key, { model, doc, due: Date.now() + this.removeAfterMs });
  }

  /**
   * The deferred removals that are due (all of them: `all`). A document committed since its events
   * were published needs none: that commit replaced its outbox. One this process no longer knows is
   * removed as any other, by what was published.
   */
  private async removeDeferred(all: boolean): Promise<void> {
    const now = Date.now();
    const due: { model: Model<never>; doc: PendingSnapshot }[] = [];
    for (const [key, entry] of this.deferred) {
      if (!all && entry.due > now) break;
      this.deferred.delete(key);
      due.push(entry);
    }
    if (due.length === 0) return;
    await Promise.all(
      due.map(({ model, doc }) =>
        withDocumentLock(model.collection.collectionName, doc._id, async () => {
          const still = stillPublished(model as never, doc._id as string);
          if (still === true) {
            await emptyOutbox(model, doc._id);
          } else if (still === undefined) {
            await this.remove(model, doc, 'ferretdb');
          }
        }).catch((error: Error) => {
          // Left as it is: still flagged, so a search finds it and removes what is published.
          this.logger.warn({ err: error.message, relay: this.name }, 'outbox relay: a deferred removal failed');
          this.nextScanAt.set(model, 0);
        }),
      ),
    );
  }

  /** When the next deferred removal is due (Infinity: none). */
  private nextRemovalDue(): number {
    for (const entry of this.deferred.values()) return entry.due;
    return Number.POSITIVE_INFINITY;
  }
}

/**
 * FerretDB: empties an outbox that holds only published events, in one small write — not a
 * `$pullAll` that sends every entry back to be compared.
 */
function emptyOutbox(model: Model<never>, id: unknown): Promise<unknown> {
  return inWriteTurn(model, () =>
    model.collection.updateOne({ _id: id as never }, { $set: { outbox: [], outboxPending: false } } as never),
  );
}

export function createRelay(options: RelayOptions): OutboxRelay {
  return new OutboxRelay(options);
}
