/**
 * The gateway's audit trail: one append-only, hash-chained log. Entry n stores
 * sha256(content of n + hash of n-1); changing, removing or inserting an entry breaks every hash
 * after it, and `verify()` names the first entry that no longer fits.
 *
 * One writer per process (a promise queue) appends `{ _id: n }`; a unique insert is atomic, so a
 * second process racing for the same slot gets a duplicate-key error, re-reads the tail and retries.
 */
import { createHash } from 'node:crypto';

import type { Logger } from '@tongxin/service-kit';

import type { AuditDoc, GatewayModels } from '../persistence/models.js';

export const GENESIS_HASH = '0'.repeat(64);

export type AuditInput = Omit<AuditDoc, '_id' | 'prevHash' | 'hash' | 'at'> & { at?: Date };

export interface AuditFilter {
  childId?: string | undefined;
  user?: string | undefined;
  action?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  limit?: number | undefined;
}

export type VerifyResult =
  { ok: true; entries: number; lastHash: string } | { ok: false; entries: number; brokenAt: number; reason: string };

/** The hashed content, in a fixed order (so the hash does not depend on key order in storage). */
export function entryHash(entry: Omit<AuditDoc, 'hash'>): string {
  const content = [
    entry._id,
    entry.at.toISOString(),
    entry.user,
    entry.roles,
    entry.method,
    entry.path,
    entry.status,
    entry.purpose ?? null,
    entry.action,
    entry.target,
    entry.childId ?? null,
    entry.requestId,
    entry.prevHash,
  ];
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}

const isDuplicate = (error: unknown): boolean => (error as { code?: number } | undefined)?.code === 11000;

export function createAuditChain(options: { models: GatewayModels; now: () => Date; logger?: Logger }) {
  const { AuditChain } = options.models;
  let tail: { seq: number; hash: string } | undefined;
  let queue: Promise<unknown> = Promise.resolve();

  async function readTail(): Promise<{ seq: number; hash: string }> {
    const last = await AuditChain.findOne({}, { _id: 1, hash: 1 })
      .sort({ _id: -1 })
      .lean<{ _id: number; hash: string }>();
    return last ? { seq: last._id, hash: last.hash } : { seq: 0, hash: GENESIS_HASH };
  }

  async function appendNow(input: AuditInput): Promise<AuditDoc> {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      tail ??= await readTail();
      const { purpose, childId, ...rest } = input;
      const base: Omit<AuditDoc, 'hash'> = {
        ...rest,
        ...(purpose ? { purpose: purpose.slice(0, 200) } : {}),
        ...(childId ? { childId } : {}),
        _id: tail.seq + 1,
        at: input.at ?? options.now(),
        prevHash: tail.hash,
      };
      const entry: AuditDoc = { ...base, hash: entryHash(base) };
      try {
        await AuditChain.collection.insertOne(entry as never);
        tail = { seq: entry._id, hash: entry.hash };
        return entry;
      } catch (error) {
        tail = undefined; // someone else took the slot (or the write failed): re-read
        if (!isDuplicate(error)) throw error;
      }
    }
    throw new Error('could not append to the audit chain after 5 attempts');
  }

  return {
    /** Appends one entry; entries of this process are appended one at a time, in call order. */
    append(input: AuditInput): Promise<AuditDoc> {
      const next = queue.then(() => appendNow(input));
      queue = next.catch(() => {});
      return next;
    },

    async verify(): Promise<VerifyResult> {
      let expectedSeq = 1;
      let prevHash = GENESIS_HASH;
      const cursor = AuditChain.find({}).sort({ _id: 1 }).lean<AuditDoc[]>().cursor();
      for await (const raw of cursor) {
        const entry = raw as unknown as AuditDoc;
        const broken = (reason: string): VerifyResult => ({
          ok: false,
          entries: expectedSeq - 1,
          brokenAt: expectedSeq,
          reason,
        });
        if (entry._id !== expectedSeq) {
          await cursor.close();
          return broken(`entry ${expectedSeq} is missing (found ${String(entry._id)})`);
        }
        if (entry.prevHash !== prevHash) {
          await cursor.close();
          return broken(`entry ${expectedSeq} does not follow entry ${expectedSeq - 1} (previous hash differs)`);
        }
        const { hash, ...content } = entry;
        if (!(content.at instanceof Date) || entryHash(content) !== hash) {
          await cursor.close();
          return broken(`entry ${expectedSeq} was altered (its hash does not match its content)`);
        }
        prevHash = hash;
        expectedSeq += 1;
      }
      return { ok: true, entries: expectedSeq - 1, lastHash: prevHash };
    },

    async find(filter: AuditFilter): Promise<AuditDoc[]> {
      const query: Record<string, unknown> = {};
      if (filter.childId) query.childId = filter.childId;
      if (filter.user) query.user = filter.user;
      if (filter.action) query.action = filter.action;
      if (filter.from || filter.to) {
        query.at = { ...(filter.from ? { $gte: filter.from } : {}), ...(filter.to ? { $lte: filter.to } : {}) };
      }
      return AuditChain.find(query)
        .sort({ _id: -1 })
        .limit(filter.limit ?? 500)
        .lean<AuditDoc[]>();
    },
  };
}
export type AuditChain = ReturnType<typeof createAuditChain>;
