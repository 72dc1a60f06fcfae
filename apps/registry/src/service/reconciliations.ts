/**
 * Cross-checking (比对核实) a township's three department lists into the register:
 * run → review (accept / reject / edit each proposed group) → apply. Applying registers the
 * children that are new and updates the ones already on the register (found by their ID blind
 * index), keeping the department each fact came from. Each group records the child it produced, so
 * applying again after an interruption skips what is done.
 */
import { newEventId } from '@tongxin/contracts';
import { Schema, type Connection, type Model } from 'mongoose';

import type { ChildFacts, Parent, SourceDepartment, SubmissionRow } from '../domain/child.js';
import type { Sealer } from '@tongxin/service-kit';
import {
  DEPARTMENTS,
  mergeFacts,
  reconcile,
  toSimplified,
  type MatchGroup,
  type MatchRecord,
  type MergedFacts,
  type ReconciliationInput,
  type ReconciliationSummary,
} from '../reconciliation/index.js';
import type { RegistryModels } from '../persistence/models.js';
import { DomainProblem } from '@tongxin/contracts/problems';
import type { Children } from './children.js';
import { openRow, type SubmissionDoc, type SubmissionModels, type Submissions } from './submissions.js';

export type GroupDecision = 'accepted' | 'rejected' | 'pending';

export interface StoredGroup extends MatchGroup {
  decision: GroupDecision;
  decidedBy?: string;
  /** Facts the reviewer set by hand, replacing the merged ones. */
  edits?: Partial<SubmissionRow>;
  /** What applying did: the child registered or updated, or why it was skipped. */
  applied?: { childId?: string; action: 'registered' | 'updated' | 'skipped'; reason?: string };
}

export interface ReconciliationDoc {
  _id: string;
  township: string;
  submissions: Partial<Record<SourceDepartment, string>>;
  status: 'open' | 'applied';
  summary: ReconciliationSummary;
  groups: StoredGroup[];
  createdAt: Date;
  createdBy: string;
  appliedAt?: Date;
  appliedBy?: string;
}

export function reconciliationModel(connection: Connection): Model<ReconciliationDoc> {
  return connection.model<ReconciliationDoc>(
    'Reconciliation',
    new Schema<ReconciliationDoc>(
      {
        _id: String,
        township: { type: String, index: true },
        submissions: Schema.Types.Mixed,
        status: String,
        summary: Schema.Types.Mixed,
        groups: { type: [Schema.Types.Mixed], default: [] } as never,
        createdAt: Date,
        createdBy: String,
        appliedAt: Date,
        appliedBy: String,
      },
      { collection: 'reconciliations', versionKey: false, minimize: false },
    ),
  ) as Model<ReconciliationDoc>;
}

/** Registered children need every fact; a list may lack some. These are the stated defaults. */
export function childFactsFrom(merged: MergedFacts): ChildFacts | { missing: string[] } {
  const missing: string[] = [];
  if (!merged.name) missing.push('name');
  if (!merged.sex) missing.push('sex');
  if (!merged.birthDate) missing.push('birthDate');
  if (!merged.regionCode) missing.push('regionCode');
  if (missing.length > 0) return { missing };
  const parents: Parent[] = [];
  for (const [relation, parent] of [
    ['father', merged.father],
    ['mother', merged.mother],
  ] as const) {
    if (parent?.status) parents.push({ ...parent, relation, status: parent.status } as Parent);
  }
  const facts: ChildFacts = {
    // Names are kept in simplified characters, as on mainland documents; a list typed in
    // traditional characters (張偉) gives the same child (张伟).
    name: toSimplified(merged.name),
    sex: merged.sex!,
    birthDate: merged.birthDate!,
    ethnicity: merged.ethnicity ?? '未填报',
    hukou: {
      status: merged.hukou?.status ?? 'registered',
      kind: merged.hukou?.kind ?? 'rural',
      ...(merged.hukou?.placeCode ? { placeCode: merged.hukou.placeCode } : {}),
    },
    regionCode: merged.regionCode!,
    address: merged.address ?? '',
    schooling: { status: merged.schooling?.status ?? 'enrolled', ...merged.schooling } as ChildFacts['schooling'],
    health: merged.health ?? { status: 'healthy' },
    parents,
    supervision: merged.supervision ?? (merged.guardian?.name ? 'supervised' : 'unsupervised'),
    assistance: merged.assistance ?? [],
  };
  if (merged.idNumber) facts.idNumber = merged.idNumber;
  const guardian = merged.guardian;
  if (guardian?.name && guardian.relation) {
    facts.guardian = {
      kind: guardian.kind ?? 'other_relative',
      name: guardian.name,
      relation: guardian.relation,
      capacity: guardian.capacity ?? 'capable',
      ...(guardian.phone ? { phone: guardian.phone } : {}),
    };
  }
  return facts;
}

export interface ReconciliationsDeps {
  models: RegistryModels;
  submissionModels: SubmissionModels;
  Reconciliations: Model<ReconciliationDoc>;
  submissions: Submissions;
  children: Children;
  sealer: Sealer;
  now: () => Date;
}

export function createReconciliations(deps: ReconciliationsDeps) {
  const { Reconciliations, submissionModels, submissions, children, sealer, now, models } = deps;

  async function recordsOf(submissionId: string | undefined, department: SourceDepartment): Promise<MatchRecord[]> {
    if (!submissionId) return [];
    const submission = await submissionModels.Submissions.findById(submissionId, { chunks: 1 }).lean<SubmissionDoc>();
    if (!submission) return [];
    const rows = await submissions.rowsOf(submission);
    return rows.map((stored) => ({
      source: department,
      rowId: String(stored.rowNumber),
      ...(stored.idIndex ? { idIndex: stored.idIndex } : {}),
      row: stored.row,
    }));
  }

  /** Reconciles the latest stored list of each department of a township. */
  async function run(township: string, actor: string): Promise<ReconciliationDoc> {
    const latest = await submissions.latestStored(township);
    if (Object.keys(latest).length === 0) {
      throw new DomainProblem(
        'no_submissions',
        'no department list of this township has been stored yet',
        '该乡镇尚无已入库的部门名单',
      );
    }
    const input = {} as ReconciliationInput;
    for (const department of DEPARTMENTS) input[department] = await recordsOf(latest[department]?._id, department);
    const result = reconcile(input);
    const doc: ReconciliationDoc = {
      _id: newEventId(),
      township,
      submissions: Object.fromEntries(Object.entries(latest).map(([d, s]) => [d, s!._id])),
      status: 'open',
      summary: result.summary,
      groups: result.groups.map((group) => ({ ...group, decision: group.needsReview ? 'pending' : 'accepted' })),
      createdAt: now(),
      createdBy: actor,
    };
    await Reconciliations.create(doc);
    return doc;
  }

  async function decide(
    id: string,
    groupId: string,
    input: { decision: 'accepted' | 'rejected'; edits?: Partial<SubmissionRow>; actor: string },
  ): Promise<ReconciliationDoc> {
    const doc = await Reconciliations.findById(id).lean<ReconciliationDoc>();
    if (!doc) throw new DomainProblem('not_found', 'no such reconciliation', '未找到该比对');
    if (doc.status === 'applied') {
      throw new DomainProblem('reconciliation_applied', 'the reconciliation is already applied', '该比对结果已入库');
    }
    const index = doc.groups.findIndex((g) => g.groupId === groupId);
    if (index < 0) throw new DomainProblem('not_found', 'no such group', '未找到该比对组');
    const $set: Record<string, unknown> = {
      [`groups.${index}.decision`]: input.decision,
      [`groups.${index}.decidedBy`]: input.actor,
    };
    if (input.edits) $set[`groups.${index}.edits`] = input.edits;
    await Reconciliations.updateOne({ _id: id }, { $set });
    return (await Reconciliations.findById(id).lean<ReconciliationDoc>())!;
  }

  /**
   * Applies the accepted groups. A rejected group of several rows is split: each row stands for a
   * child of its own. A rejected single row is left out. Refused while any group awaits review.
   */
  async function apply(id: string, actor: string): Promise<ReconciliationDoc> {
    const doc = await Reconciliations.findById(id).lean<ReconciliationDoc>();
    if (!doc) throw new DomainProblem('not_found', 'no such reconciliation', '未找到该比对');
    if (doc.status === 'applied') return doc;
    const pending = doc.groups.filter((g) => g.decision === 'pending').length;
    if (pending > 0) {
      throw new DomainProblem(
        'review_pending',
        `${pending} proposed matches still need a decision`,
        `还有 ${pending} 组疑似匹配待审核`,
        409,
        { pending },
      );
    }
    const input = {} as ReconciliationInput;
    for (const department of DEPARTMENTS) input[department] = await recordsOf(doc.submissions[department], department);
    const opened = new Map<string, MatchRecord>();
    for (const department of DEPARTMENTS) {
      for (const record of input[department]) {
        const clear = { ...record, row: openRow(sealer, record.row) };
        opened.set(`${department}:${record.rowId}`, clear);
      }
    }
    const allRecords = [...opened.values()];
    for (let i = 0; i < doc.groups.length; i++) {
      const group = doc.groups[i]!;
      if (group.applied) continue;
      const units =
        group.decision === 'accepted' ? [group.members] : group.members.length > 1 ? group.members.map((m) => [m]) : [];
      const outcomes: NonNullable<StoredGroup['applied']>[] = [];
      for (const members of units) {
        const merged = mergeFacts({ members }, allRecords);
        const edited = { ...merged, ...(group.decision === 'accepted' ? group.edits : {}) } as MergedFacts;
        outcomes.push(await applyOne(edited, actor));
      }
      const applied = outcomes[0] ?? { action: 'skipped' as const, reason: 'rejected' };
      await Reconciliations.updateOne({ _id: id }, { $set: { [`groups.${i}.applied`]: applied } });
    }
    await Reconciliations.updateOne({ _id: id }, { $set: { status: 'applied', appliedAt: now(), appliedBy: actor } });
    return (await Reconciliations.findById(id).lean<ReconciliationDoc>())!;
  }

  async function applyOne(merged: MergedFacts, actor: string): Promise<NonNullable<StoredGroup['applied']>> {
    const facts = childFactsFrom(merged);
    if ('missing' in facts) return { action: 'skipped', reason: `missing ${facts.missing.join(', ')}` };
    const factSources = Object.fromEntries(Object.entries(merged.sources).filter(([, v]) => v)) as Record<
      string,
      SourceDepartment
    >;
    const existing = facts.idNumber ? await models.IdClaims.findById(sealer.index(facts.idNumber)).lean() : null;
    if (existing && (await models.Children.exists({ _id: existing.childId, status: 'active' }))) {
      const updated = await children.change(existing.childId, (current) => ({ ...current, ...facts }), { factSources });
      return { childId: updated._id, action: 'updated' };
    }
    const created = await children.register(facts, actor, { factSources });
    return { childId: created._id, action: 'registered' };
  }

  return { run, decide, apply };
}
export type Reconciliations = ReturnType<typeof createReconciliations>;
