/**
 * The registry's collections. Children, cases and reports are aggregates with an embedded outbox
 * (packages/bus): a state change and its events are one single-document write. Resident ID numbers
 * and phone numbers are stored sealed (AES-256-GCM) with a masked copy for display and, for the
 * child's own ID, an HMAC blind index.
 */
import { outboxPlugin, type OutboxFields } from '@tongxin/bus';
import { Schema, type Connection, type Model } from 'mongoose';

import type {
  AssistanceKind,
  CategoryDecision,
  ChildStatus,
  ExitReason,
  GuardianCapacity,
  GuardianKind,
  GuardianRelation,
  Health,
  Hukou,
  ParentRelation,
  ParentStatus,
  Schooling,
  Sex,
  SourceDepartment,
  Supervision,
} from '../domain/child.js';
import type { CaseOutcome, CaseStatus } from '../domain/cases.js';

export interface StoredParent {
  relation: ParentRelation;
  name?: string;
  idSealed?: string;
  idMasked?: string;
  phoneSealed?: string;
  phoneMasked?: string;
  status: ParentStatus;
  workPlace?: string;
}

export interface StoredGuardian {
  kind: GuardianKind;
  name: string;
  relation: GuardianRelation;
  phoneSealed?: string;
  phoneMasked?: string;
  capacity: GuardianCapacity;
}

export interface ChildDoc extends OutboxFields {
  _id: string;
  name: string;
  sex: Sex;
  birthDate: string;
  ethnicity: string;
  idSealed?: string;
  idMasked?: string;
  idIndex?: string;
  hukou: Hukou;
  regionCode: string;
  address: string;
  schooling: Schooling;
  health: Health;
  parents: StoredParent[];
  guardian?: StoredGuardian;
  supervision: Supervision;
  assistance: AssistanceKind[];
  decision: CategoryDecision;
  /** Denormalised from `decision` for queries. */
  categories: string[];
  reviewOn?: string;
  status: ChildStatus;
  exitReason?: ExitReason;
  exitedOn?: string;
  /** Which department each fact came from, when it came from a reconciled list. */
  factSources: Record<string, SourceDepartment>;
  /** Cases whose effect on this child was applied (idempotence of case effects). */
  appliedCases: string[];
  createdAt: Date;
  updatedAt: Date;
  createdBy: string;
}

export interface CaseAction {
  at: Date;
  by: string;
  note: string;
}

export interface CaseDoc extends OutboxFields {
  _id: string;
  childId: string;
  caseType: string;
  regionCode: string;
  ownerDepartment: string;
  ownerUser: string;
  status: CaseStatus;
  openedAt: Date;
  dueAt: Date;
  resolvedAt?: Date;
  closedAt?: Date;
  outcome?: CaseOutcome;
  reportId?: string;
  actions: CaseAction[];
  /** The change to the child that resolving this case makes, until it is applied. */
  pendingChildEffect?: Record<string, unknown>;
  createdBy: string;
}

export interface ReportDoc extends OutboxFields {
  _id: string;
  regionCode: string;
  reporterKind: string;
  reporterOrganisation: string;
  reporterContactSealed?: string;
  reporterContactMasked?: string;
  /** What the reporter said (sensitive: never in events or logs). */
  narrative: string;
  childName?: string;
  status: 'received' | 'acknowledged' | 'linked' | 'dismissed';
  receivedAt: Date;
  dueAt: Date;
  acknowledgedAt?: Date;
  acknowledgedBy?: string;
  childId?: string;
  caseId?: string;
  dismissal?: { reason: string; note?: string; at: Date; by: string };
  createdBy: string;
}

/** Claims one resident ID (by blind index) for one child: unique-key inserts are atomic everywhere. */
export interface IdClaimDoc {
  _id: string;
  childId: string;
  at: Date;
}

const mixed = Schema.Types.Mixed;

const childSchema = new Schema<ChildDoc>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    sex: { type: String, required: true },
    birthDate: { type: String, required: true },
    ethnicity: { type: String, required: true },
    idSealed: String,
    idMasked: String,
    idIndex: { type: String, index: true },
    hukou: { type: mixed, required: true },
    regionCode: { type: String, required: true, index: true },
    address: { type: String, default: '' },
    schooling: { type: mixed, required: true },
    health: { type: mixed, required: true },
    parents: { type: [mixed], default: [] } as never,
    guardian: mixed,
    supervision: { type: String, required: true },
    assistance: { type: [String], default: [] },
    decision: { type: mixed, required: true },
    categories: { type: [String], default: [] },
    reviewOn: { type: String, index: true },
    status: { type: String, required: true },
    exitReason: String,
    exitedOn: String,
    factSources: { type: mixed, default: {} },
    appliedCases: { type: [String], default: [] },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    createdBy: { type: String, required: true },
  },
  { collection: 'children', versionKey: false, minimize: false },
);
childSchema.plugin(outboxPlugin);

const caseSchema = new Schema<CaseDoc>(
  {
    _id: { type: String, required: true },
    childId: { type: String, required: true, index: true },
    caseType: { type: String, required: true },
    regionCode: { type: String, required: true, index: true },
    ownerDepartment: { type: String, required: true },
    ownerUser: { type: String, required: true },
    status: { type: String, required: true },
    openedAt: { type: Date, required: true },
    dueAt: { type: Date, required: true },
    resolvedAt: Date,
    closedAt: Date,
    outcome: String,
    reportId: String,
    actions: { type: [mixed], default: [] } as never,
    pendingChildEffect: mixed,
    createdBy: { type: String, required: true },
  },
  { collection: 'cases', versionKey: false, minimize: false },
);
caseSchema.plugin(outboxPlugin);

const reportSchema = new Schema<ReportDoc>(
  {
    _id: { type: String, required: true },
    regionCode: { type: String, required: true, index: true },
    reporterKind: { type: String, required: true },
    reporterOrganisation: { type: String, required: true },
    reporterContactSealed: String,
    reporterContactMasked: String,
    narrative: { type: String, required: true },
    childName: String,
    status: { type: String, required: true },
    receivedAt: { type: Date, required: true },
    dueAt: { type: Date, required: true },
    acknowledgedAt: Date,
    acknowledgedBy: String,
    childId: String,
    caseId: String,
    dismissal: mixed,
    createdBy: { type: String, required: true },
  },
  { collection: 'mandatory_reports', versionKey: false, minimize: false },
);
reportSchema.plugin(outboxPlugin);

const idClaimSchema = new Schema<IdClaimDoc>(
  { _id: { type: String, required: true }, childId: { type: String, required: true }, at: Date },
  { collection: 'child_id_claims', versionKey: false },
);

export function registryModels(connection: Connection) {
  return {
    Children: connection.model<ChildDoc>('Child', childSchema) as Model<ChildDoc>,
    Cases: connection.model<CaseDoc>('Case', caseSchema) as Model<CaseDoc>,
    Reports: connection.model<ReportDoc>('MandatoryReport', reportSchema) as Model<ReportDoc>,
    IdClaims: connection.model<IdClaimDoc>('ChildIdClaim', idClaimSchema) as Model<IdClaimDoc>,
  };
}
export type RegistryModels = ReturnType<typeof registryModels>;
