/**
 * Children on the register: registration, changes of facts, derived categories, exits and the
 * daily age review. Each change is one single-document commit carrying its events.
 */
import {
  AggregateExistsError,
  commit,
  commitNew,
  retryOnConflict,
  type CommitContext,
  type OutboxFields,
} from '@tongxin/bus';
import { draft, newEventId, type DraftEvent } from '@tongxin/contracts';
import {
  ChildCategorised,
  ChildExited,
  ChildGuardianAssigned,
  ChildRegistered,
  ChildUpdated,
  type ChildSnapshot,
} from '@tongxin/contracts/registry';
import { DomainProblem } from '@tongxin/contracts/problems';
import { maskResidentId } from '@tongxin/contracts/values';

import type { ChildFacts, ExitReason, Guardian, Parent, SourceDepartment } from '../domain/child.js';
import { decideCategories, hasAgedOut } from '../domain/eligibility.js';
import type { Sealer } from '@tongxin/service-kit';
import type { ChildIndex } from '../persistence/child-index.js';
import type { ChildDoc, RegistryModels, StoredGuardian, StoredParent } from '../persistence/models.js';

export const maskPhone = (phone: string): string => phone.replace(/^(\d{3})\d{4}(\d{4})$/, '$1****$2');
const isoDay = (date: Date): string => date.toISOString().slice(0, 10);

export interface ChildrenDeps {
  models: RegistryModels;
  sealer: Sealer;
  now: () => Date;
  /** The lists' index: each commit's entry is written right after it. */
  index: ChildIndex;
}

export function snapshotOf(doc: ChildDoc): ChildSnapshot {
  return {
    childId: doc._id,
    name: doc.name,
    sex: doc.sex,
    birthDate: doc.birthDate,
    regionCode: doc.regionCode,
    categories: doc.decision.categories,
    difficultyTypes: doc.decision.difficultyTypes,
    supervision: doc.supervision,
    schooling: { status: doc.schooling.status },
    status: doc.status,
  };
}

function sealParent(sealer: Sealer, parent: Parent): StoredParent {
  const stored: StoredParent = { relation: parent.relation, status: parent.status };
  if (parent.name) stored.name = parent.name;
  if (parent.workPlace) stored.workPlace = parent.workPlace;
  if (parent.idNumber) {
    stored.idSealed = sealer.seal(parent.idNumber);
    stored.idMasked = maskResidentId(parent.idNumber);
  }
  if (parent.phone) {
    stored.phoneSealed = sealer.seal(parent.phone);
    stored.phoneMasked = maskPhone(parent.phone);
  }
  return stored;
}

function sealGuardian(sealer: Sealer, guardian: Guardian): StoredGuardian {
  const stored: StoredGuardian = {
    kind: guardian.kind,
    name: guardian.name,
    relation: guardian.relation,
    capacity: guardian.capacity,
  };
  if (guardian.phone) {
    stored.phoneSealed = sealer.seal(guardian.phone);
    stored.phoneMasked = maskPhone(guardian.phone);
  }
  return stored;
}

/** The facts back from a stored child (sealed values opened), for re-deciding and merging. */
export function factsOf(sealer: Sealer, doc: ChildDoc): ChildFacts {
  const facts: ChildFacts = {
    name: doc.name,
    sex: doc.sex,
    birthDate: doc.birthDate,
    ethnicity: doc.ethnicity,
    hukou: doc.hukou,
    regionCode: doc.regionCode,
    address: doc.address,
    schooling: doc.schooling,
    health: doc.health,
    parents: doc.parents.map((p) => {
      const parent: Parent = { relation: p.relation, status: p.status };
      if (p.name) parent.name = p.name;
      if (p.workPlace) parent.workPlace = p.workPlace;
      if (p.idSealed) parent.idNumber = sealer.open(p.idSealed);
      if (p.phoneSealed) parent.phone = sealer.open(p.phoneSealed);
      return parent;
    }),
    supervision: doc.supervision,
    assistance: doc.assistance,
  };
  if (doc.idSealed) facts.idNumber = sealer.open(doc.idSealed);
  if (doc.guardian) {
    const g = doc.guardian;
    facts.guardian = { kind: g.kind, name: g.name, relation: g.relation, capacity: g.capacity };
    if (g.phoneSealed) facts.guardian.phone = sealer.open(g.phoneSealed);
  }
  return facts;
}

/** The stored form of facts (everything but identity bookkeeping and the outbox). */
function storedFacts(sealer: Sealer, facts: ChildFacts) {
  return {
    name: facts.name,
    sex: facts.sex,
    birthDate: facts.birthDate,
    ethnicity: facts.ethnicity,
    hukou: facts.hukou,
    regionCode: facts.regionCode,
    address: facts.address,
    schooling: facts.schooling,
    health: facts.health,
    parents: facts.parents.map((p) => sealParent(sealer, p)),
    ...(facts.guardian ? { guardian: sealGuardian(sealer, facts.guardian) } : {}),
    supervision: facts.supervision,
    assistance: facts.assistance,
  };
}

function categorised(doc: ChildDoc, previous: ChildDoc['decision'] | undefined, effectiveOn: string): DraftEvent {
  return draft(ChildCategorised, {
    ...snapshotOf(doc),
    previousCategories: previous?.categories ?? [],
    previousDifficultyTypes: previous?.difficultyTypes ?? [],
    rulesVersion: doc.decision.rulesVersion,
    effectiveOn,
    explanation: doc.decision.explanation,
  });
}

const sameDecision = (a: ChildDoc['decision'], b: ChildDoc['decision']) =>
  a.categories.join() === b.categories.join() && a.difficultyTypes.join() === b.difficultyTypes.join();

export function createChildren(deps: ChildrenDeps) {
  const { models, sealer, now, index } = deps;
  const { Children, IdClaims } = models;
  const context = (correlationId?: string): CommitContext => ({
    source: 'registry',
    now,
    ...(correlationId ? { correlationId } : {}),
  });

  /** Claims the ID number for a child id; a claim by another child is a duplicate registration. */
  async function claimId(idIndex: string, childId: string): Promise<void> {
    try {
      await IdClaims.collection.insertOne({ _id: idIndex as never, childId, at: now() });
    } catch (error) {
      if ((error as { code?: number }).code !== 11000) throw error;
      const existing = await IdClaims.findById(idIndex).lean();
      if (existing && existing.childId !== childId) {
        // Left behind by a registration that failed after claiming? Then the child does not exist.
        if (await Children.exists({ _id: existing.childId })) {
          throw new DomainProblem(
            'child_already_registered',
            'a child with this resident ID number is already on the register',
            '该公民身份号码的儿童已登记',
            409,
            { childId: existing.childId },
          );
        }
        await IdClaims.deleteOne({ _id: idIndex, childId: existing.childId });
        await IdClaims.collection.insertOne({ _id: idIndex as never, childId, at: now() });
      }
    }
  }

  async function register(
    facts: ChildFacts,
    actor: string,
    options: { factSources?: Record<string, SourceDepartment>; correlationId?: string; childId?: string } = {},
  ): Promise<ChildDoc> {
    const childId = options.childId ?? newEventId();
    const idIndex = facts.idNumber ? sealer.index(facts.idNumber) : undefined;
    if (idIndex) await claimId(idIndex, childId);
    const today = isoDay(now());
    const decision = decideCategories(facts, today);
    const at = now();
    const state: Omit<ChildDoc, keyof OutboxFields | '_id'> = {
      ...storedFacts(sealer, facts),
      ...(facts.idNumber
        ? { idSealed: sealer.seal(facts.idNumber), idMasked: maskResidentId(facts.idNumber), idIndex }
        : {}),
      decision,
      categories: decision.categories,
      ...(decision.reviewOn ? { reviewOn: decision.reviewOn } : {}),
      status: 'active',
      factSources: options.factSources ?? {},
      appliedCases: [],
      createdAt: at,
      updatedAt: at,
      createdBy: actor,
    };
    const doc = { _id: childId, ...state } as ChildDoc;
    const events: DraftEvent[] = [draft(ChildRegistered, snapshotOf(doc)), categorised(doc, undefined, today)];
    if (facts.guardian) {
      events.push(
        draft(ChildGuardianAssigned, {
          ...snapshotOf(doc),
          guardian: { kind: facts.guardian.kind, relation: facts.guardian.relation },
          assignedOn: today,
        }),
      );
    }
    try {
      const created = await commitNew(Children, {
        id: childId,
        state: state as never,
        events,
        context: context(options.correlationId),
      });
      await index.put(created, { created: true });
      return created;
    } catch (error) {
      if (idIndex) await IdClaims.deleteOne({ _id: idIndex, childId }).catch(() => {});
      if (error instanceof AggregateExistsError) {
        throw new DomainProblem('child_exists', 'a child with this id exists', '该儿童编号已存在');
      }
      throw error;
    }
  }

  /**
   * Changes facts of a child: re-decides the categories and announces what consumers see changed.
   * `change` receives the current facts and returns the new ones.
   */
  async function change(
    childId: string,
    change: (facts: ChildFacts, doc: ChildDoc) => ChildFacts,
    options: {
      expectedSequence?: number;
      correlationId?: string;
      caseId?: string;
      factSources?: Record<string, SourceDepartment>;
    } = {},
  ): Promise<ChildDoc> {
    // A concurrent change: re-read and apply again, unless the caller pinned a sequence. This
    // process's changes of one child queue rather than race.
    const attempts = options.expectedSequence === undefined ? 4 : 1;
    return retryOnConflict(
      Children.collection.collectionName,
      childId,
      async () => {
        const doc = await Children.findById(childId).lean<ChildDoc>();
        if (!doc) throw new DomainProblem('not_found', 'no such child', '未找到该儿童');
        if (options.expectedSequence !== undefined && doc.sequence !== options.expectedSequence) {
          throw new DomainProblem(
            'stale_child',
            'the child was changed by someone else',
            '该儿童信息已被他人修改',
            409,
            {
              currentSequence: doc.sequence,
            },
          );
        }
        if (doc.status === 'exited') {
          throw new DomainProblem('child_exited', 'the child has left the register', '该儿童已退出台账');
        }
        if (options.caseId && doc.appliedCases.includes(options.caseId)) return doc;
        const before = factsOf(sealer, doc);
        const after = change(structuredClone(before), doc);
        const newIndex = after.idNumber ? sealer.index(after.idNumber) : undefined;
        if (newIndex && newIndex !== doc.idIndex) await claimId(newIndex, childId);
        const today = isoDay(now());
        const decision = decideCategories(after, today);
        const next = {
          ...doc,
          ...storedFacts(sealer, after),
          decision,
          categories: decision.categories,
        } as ChildDoc;
        if (!after.guardian) delete next.guardian;
        const changedFields = (['name', 'sex', 'birthDate', 'regionCode', 'supervision'] as const).filter(
          (field) => before[field] !== after[field],
        ) as ('name' | 'sex' | 'birthDate' | 'regionCode' | 'supervision' | 'schooling')[];
        if (before.schooling.status !== after.schooling.status) changedFields.push('schooling');
        const events: DraftEvent[] = [];
        const guardianChanged =
          after.guardian &&
          (before.guardian?.name !== after.guardian.name ||
            before.guardian?.relation !== after.guardian.relation ||
            before.guardian?.kind !== after.guardian.kind);
        // A new guardian's event carries the snapshot with the supervision it brings.
        const announced = guardianChanged ? changedFields.filter((f) => f !== 'supervision') : changedFields;
        if (announced.length > 0) events.push(draft(ChildUpdated, { ...snapshotOf(next), changedFields: announced }));
        if (!sameDecision(doc.decision, decision)) events.push(categorised(next, doc.decision, today));
        if (guardianChanged && after.guardian) {
          events.push(
            draft(ChildGuardianAssigned, {
              ...snapshotOf(next),
              guardian: { kind: after.guardian.kind, relation: after.guardian.relation },
              assignedOn: today,
              ...(options.caseId ? { caseId: options.caseId } : {}),
            }),
          );
        }
        const $set: Record<string, unknown> = {
          ...storedFacts(sealer, after),
          decision,
          categories: decision.categories,
          updatedAt: now(),
          factSources: { ...doc.factSources, ...options.factSources },
        };
        const $unset: Record<string, ''> = {};
        if (!after.guardian) $unset.guardian = '';
        if (after.idNumber) {
          $set.idSealed = sealer.seal(after.idNumber);
          $set.idMasked = maskResidentId(after.idNumber);
          $set.idIndex = newIndex;
        }
        if (decision.reviewOn) $set.reviewOn = decision.reviewOn;
        else $unset.reviewOn = '';
        const update: Record<string, unknown> = { $set };
        if (Object.keys($unset).length > 0) update.$unset = $unset;
        if (options.caseId) update.$push = { appliedCases: options.caseId };
        const updated = await commit(Children, {
          id: childId,
          expectedSequence: doc.sequence,
          update: update as never,
          events,
          context: context(options.correlationId),
        });
        await index.put(updated, { previousRegion: doc.regionCode });
        if (doc.idIndex && newIndex !== doc.idIndex) {
          await IdClaims.deleteOne({ _id: doc.idIndex, childId }).catch(() => {});
        }
        return updated;
      },
      { attempts },
    );
  }

  async function exit(
    childId: string,
    reason: ExitReason,
    exitedOn: string,
    options: { expectedSequence?: number; correlationId?: string } = {},
  ): Promise<ChildDoc> {
    const doc = await Children.findById(childId).lean<ChildDoc>();
    if (!doc) throw new DomainProblem('not_found', 'no such child', '未找到该儿童');
    if (doc.status === 'exited')
      throw new DomainProblem('child_exited', 'the child has left the register', '该儿童已退出台账');
    const next = { ...doc, status: 'exited' as const };
    const exited = await commit(Children, {
      id: childId,
      expectedSequence: options.expectedSequence ?? doc.sequence,
      update: { $set: { status: 'exited', exitReason: reason, exitedOn, updatedAt: now() }, $unset: { reviewOn: '' } },
      events: [draft(ChildExited, { ...snapshotOf(next), reason, exitedOn })],
      context: context(options.correlationId),
    });
    await index.put(exited);
    return exited;
  }

  /**
   * The age review: every active child whose decision changes by age on or before `asOf` is
   * re-decided as of that birthday; a child who ages out leaves the register on that date.
   */
  async function reviewAges(asOf: string): Promise<{ reviewed: number; recategorised: number; exited: number }> {
    const due = await Children.find({ status: 'active', reviewOn: { $lte: asOf } }, { _id: 1 }).lean();
    const result = { reviewed: 0, recategorised: 0, exited: 0 };
    for (const { _id } of due) {
      const doc = await Children.findById(_id).lean<ChildDoc>();
      if (!doc || doc.status !== 'active' || !doc.reviewOn || doc.reviewOn > asOf) continue;
      result.reviewed += 1;
      const effectiveOn = doc.reviewOn;
      const facts = factsOf(sealer, doc);
      const decision = decideCategories(facts, effectiveOn);
      const next = { ...doc, decision, categories: decision.categories } as ChildDoc;
      const events: DraftEvent[] = [];
      if (!sameDecision(doc.decision, decision)) {
        events.push(categorised(next, doc.decision, effectiveOn));
        result.recategorised += 1;
      }
      const agedOut = hasAgedOut(facts, decision, effectiveOn);
      const $set: Record<string, unknown> = { decision, categories: decision.categories, updatedAt: now() };
      const update: Record<string, unknown> = { $set };
      if (agedOut) {
        Object.assign($set, { status: 'exited', exitReason: 'aged_out', exitedOn: effectiveOn });
        events.push(
          draft(ChildExited, {
            ...snapshotOf({ ...next, status: 'exited' }),
            reason: 'aged_out',
            exitedOn: effectiveOn,
          }),
        );
        update.$unset = { reviewOn: '' };
        result.exited += 1;
      } else if (decision.reviewOn) {
        $set.reviewOn = decision.reviewOn;
      } else {
        update.$unset = { reviewOn: '' };
      }
      const reviewed = await commit(Children, {
        id: doc._id,
        expectedSequence: doc.sequence,
        update: update as never,
        events,
        context: context(),
      });
      await index.put(reviewed);
    }
    return result;
  }

  return { register, change, exit, reviewAges, claimId };
}
export type Children = ReturnType<typeof createChildren>;
export const newId = (): string => newEventId();
