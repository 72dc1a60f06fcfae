/**
 * Homes, the children enrolled at them and their personal files (个人档案). Facility and enrolment
 * changes are single-document commits carrying their events; personal files and counselling
 * records never produce events.
 */
import { commit, commitNew, type CommitContext } from '@tongxin/bus';
import { draft, newEventId } from '@tongxin/contracts';
import {
  ChildEnrolled,
  ChildLeft,
  FacilityFundingRecorded,
  FacilityOpened,
  FacilityStatusChanged,
  FacilityUpdated,
  type FacilitySnapshot,
} from '@tongxin/contracts/facilities';
import { DomainProblem, notFound } from '@tongxin/contracts/problems';
import type { Sealer } from '@tongxin/service-kit';

import type { EquipmentKind } from '../domain/evaluation.js';
import type { EnrolmentDoc, FacilityDoc, FacilityModels, Funding, PersonalFileDoc } from '../persistence/models.js';

export function facilitySnapshot(doc: FacilityDoc): FacilitySnapshot {
  return {
    facilityId: doc._id,
    code: doc.code,
    name: doc.name,
    kind: doc.kind,
    regionCode: doc.regionCode,
    ...(doc.hostSchool ? { hostSchool: doc.hostSchool } : {}),
    status: doc.status,
    openedOn: doc.openedOn,
    capacity: doc.capacity,
  };
}

const county = (regionCode: string) => regionCode.slice(0, 6);

export interface FacilityInput {
  code: string;
  name: string;
  kind: FacilityDoc['kind'];
  hostSchool?: string;
  hostVillage?: string;
  partner?: string;
  regionCode: string;
  address: string;
  openedOn: string;
  managers: string[];
  equipment: FacilityDoc['equipment'];
  openingHours: string;
  capacity: number;
}

export interface HomesDeps {
  models: FacilityModels;
  sealer: Sealer;
  now: () => Date;
}

export function createHomes(deps: HomesDeps) {
  const { models, sealer, now } = deps;
  const { Facilities, Enrolments, Children, PersonalFiles, Claims } = models;
  const context = (correlationId?: string): CommitContext => ({
    source: 'facilities',
    now,
    ...(correlationId ? { correlationId } : {}),
  });

  async function claim(id: string, ref: string): Promise<string | undefined> {
    try {
      await Claims.collection.insertOne({ _id: id as never, ref, at: now() });
      return undefined;
    } catch (error) {
      if ((error as { code?: number }).code !== 11000) throw error;
      return (await Claims.findById(id).lean())?.ref ?? 'unknown';
    }
  }

  async function load(facilityId: string): Promise<FacilityDoc> {
    const doc = await Facilities.findById(facilityId).lean<FacilityDoc>();
    if (!doc) throw notFound('home', '儿童之家');
    return doc;
  }

  async function open(input: FacilityInput, actor: string, correlationId?: string): Promise<FacilityDoc> {
    const id = newEventId();
    const holder = await claim(`facility-code:${input.code}`, id);
    if (holder) {
      throw new DomainProblem(
        'code_taken',
        `the code ${input.code} is used by another home`,
        `编号 ${input.code} 已被使用`,
        409,
        {
          facilityId: holder,
        },
      );
    }
    const state: Omit<FacilityDoc, '_id' | 'sequence' | 'outbox' | 'outboxPending'> = {
      ...input,
      status: 'open',
      funding: [],
      totalFundingFen: 0,
      createdAt: now(),
      createdBy: actor,
    };
    const doc = { _id: id, ...state } as FacilityDoc;
    try {
      return await commitNew(Facilities, {
        id,
        state: state as never,
        events: [draft(FacilityOpened, facilitySnapshot(doc))],
        context: context(correlationId),
      });
    } catch (error) {
      await Claims.deleteOne({ _id: `facility-code:${input.code}`, ref: id }).catch(() => {});
      throw error;
    }
  }

  async function update(
    facilityId: string,
    change: Partial<Omit<FacilityInput, 'code'>>,
    expectedSequence: number,
    correlationId?: string,
  ): Promise<FacilityDoc> {
    const doc = await load(facilityId);
    if (doc.sequence !== expectedSequence) {
      throw new DomainProblem(
        'stale_facility',
        'the home was changed by someone else',
        '该儿童之家信息已被他人修改',
        409,
        {
          currentSequence: doc.sequence,
        },
      );
    }
    const next = { ...doc, ...change } as FacilityDoc;
    const snapshotChanged = JSON.stringify(facilitySnapshot(doc)) !== JSON.stringify(facilitySnapshot(next));
    return commit(Facilities, {
      id: facilityId,
      expectedSequence,
      update: { $set: change },
      events: snapshotChanged ? [draft(FacilityUpdated, facilitySnapshot(next))] : [],
      context: context(correlationId),
    });
  }

  async function setEquipment(
    facilityId: string,
    equipment: { kind: EquipmentKind; name?: string; quantity: number }[],
    expectedSequence: number,
  ): Promise<FacilityDoc> {
    return update(facilityId, { equipment }, expectedSequence);
  }

  async function changeStatus(
    facilityId: string,
    input: { status: FacilityDoc['status']; reason: string; changedOn: string },
    correlationId?: string,
  ): Promise<FacilityDoc> {
    const doc = await load(facilityId);
    if (doc.status === input.status) {
      throw new DomainProblem('status_unchanged', `the home is already ${doc.status}`, '状态未改变');
    }
    const next = { ...doc, status: input.status };
    return commit(Facilities, {
      id: facilityId,
      expectedSequence: doc.sequence,
      update: { $set: { status: input.status } },
      events: [
        draft(FacilityStatusChanged, {
          ...facilitySnapshot(next),
          previousStatus: doc.status,
          reason: input.reason as never,
          changedOn: input.changedOn,
        }),
      ],
      context: context(correlationId),
    });
  }

  async function recordFunding(
    facilityId: string,
    input: Omit<Funding, 'fundingId' | 'recordedBy'>,
    actor: string,
    correlationId?: string,
  ): Promise<FacilityDoc> {
    const doc = await load(facilityId);
    const funding: Funding = { fundingId: newEventId(), ...input, recordedBy: actor };
    const total = doc.totalFundingFen + input.amountFen;
    if (!Number.isSafeInteger(total))
      throw new DomainProblem('amount_too_large', 'the total overflows', '金额过大', 400);
    return commit(Facilities, {
      id: facilityId,
      expectedSequence: doc.sequence,
      update: { $push: { funding }, $set: { totalFundingFen: total } },
      events: [
        draft(FacilityFundingRecorded, {
          ...facilitySnapshot(doc),
          funding: {
            fundingId: funding.fundingId,
            amountFen: funding.amountFen,
            source: funding.source as never,
            receivedOn: funding.receivedOn,
          },
          totalFundingFen: total,
        }),
      ],
      context: context(correlationId),
    });
  }

  // ----- enrolment -----

  async function enrol(
    facilityId: string,
    childId: string,
    enrolledOn: string,
    actor: string,
    correlationId?: string,
  ): Promise<EnrolmentDoc> {
    const facility = await load(facilityId);
    if (facility.status !== 'open') {
      throw new DomainProblem('facility_not_open', `the home is ${facility.status}`, '该儿童之家未开放');
    }
    const child = await Children.findById(childId).lean();
    if (!child) {
      throw new DomainProblem(
        'child_unknown',
        'no child with this id on the register (or not yet received from it)',
        '登记系统中没有该儿童（或尚未同步）',
        422,
      );
    }
    if (child.status !== 'active') {
      throw new DomainProblem('child_not_active', 'the child has left the register', '该儿童已退出台账', 422);
    }
    if (county(child.regionCode) !== county(facility.regionCode)) {
      throw new DomainProblem(
        'child_outside_county',
        'the child lives in another county than the home',
        '该儿童不在本儿童之家所在县（市、区）居住',
        422,
      );
    }
    const id = newEventId();
    const holder = await claim(`enrolment:${facilityId}:${childId}`, id);
    if (holder) {
      throw new DomainProblem(
        'already_enrolled',
        'the child is already enrolled at this home',
        '该儿童已在本儿童之家',
        409,
        {
          enrolmentId: holder,
        },
      );
    }
    const state = {
      facilityId,
      childId,
      regionCode: facility.regionCode,
      status: 'enrolled' as const,
      enrolledOn,
      enrolledBy: actor,
    };
    try {
      return await commitNew(Enrolments, {
        id,
        state: state as never,
        events: [draft(ChildEnrolled, { enrolmentId: id, facilityId, childId, status: 'enrolled', enrolledOn })],
        context: context(correlationId),
      });
    } catch (error) {
      await Claims.deleteOne({ _id: `enrolment:${facilityId}:${childId}`, ref: id }).catch(() => {});
      throw error;
    }
  }

  async function leave(
    enrolmentId: string,
    input: { leftOn: string; reason: string },
    correlationId?: string,
  ): Promise<EnrolmentDoc> {
    const doc = await Enrolments.findById(enrolmentId).lean<EnrolmentDoc>();
    if (!doc) throw notFound('enrolment', '入园记录');
    if (doc.status === 'left') throw new DomainProblem('already_left', 'the child has already left', '该儿童已离开');
    const left = await commit(Enrolments, {
      id: enrolmentId,
      expectedSequence: doc.sequence,
      update: { $set: { status: 'left', leftOn: input.leftOn, leftReason: input.reason } },
      events: [
        draft(ChildLeft, {
          enrolmentId,
          facilityId: doc.facilityId,
          childId: doc.childId,
          status: 'left',
          enrolledOn: doc.enrolledOn,
          leftOn: input.leftOn,
          reason: input.reason as never,
        }),
      ],
      context: context(correlationId),
    });
    await Claims.deleteOne({ _id: `enrolment:${doc.facilityId}:${doc.childId}`, ref: enrolmentId });
    return left;
  }

  async function enrolledChildIds(facilityId: string): Promise<string[]> {
    const enrolments = await Enrolments.find({ facilityId, status: 'enrolled' }, { childId: 1 }).lean();
    return enrolments.map((e) => e.childId);
  }

  // ----- personal files -----

  const fileId = (facilityId: string, childId: string) => `${facilityId}:${childId}`;

  async function assertEnrolled(facilityId: string, childId: string): Promise<void> {
    const claimDoc = await Claims.findById(`enrolment:${facilityId}:${childId}`).lean();
    if (!claimDoc)
      throw new DomainProblem(
        'not_enrolled',
        'the child is not enrolled at this home',
        '该儿童未在本儿童之家登记',
        404,
      );
  }

  async function readFile(facilityId: string, childId: string): Promise<PersonalFileDoc> {
    await assertEnrolled(facilityId, childId);
    const doc = await PersonalFiles.findById(fileId(facilityId, childId)).lean<Partial<PersonalFileDoc>>();
    const facility = await load(facilityId);
    // A file is written piece by piece: what was never written reads as empty.
    return {
      _id: fileId(facilityId, childId),
      facilityId,
      childId,
      regionCode: facility.regionCode,
      interests: doc?.interests ?? [],
      strengths: doc?.strengths ?? [],
      needs: doc?.needs ?? [],
      notes: doc?.notes ?? [],
      counselling: doc?.counselling ?? [],
      updatedAt: doc?.updatedAt ?? now(),
    };
  }

  async function writeFile(
    facilityId: string,
    childId: string,
    input: { interests?: string[]; strengths?: string[]; needs?: string[]; note?: string; counselling?: string },
    actor: string,
  ): Promise<PersonalFileDoc> {
    const current = await readFile(facilityId, childId);
    const at = now();
    const $set: Record<string, unknown> = { facilityId, childId, regionCode: current.regionCode, updatedAt: at };
    for (const key of ['interests', 'strengths', 'needs'] as const) if (input[key]) $set[key] = input[key];
    const $push: Record<string, unknown> = {};
    if (input.note) $push.notes = { at, by: actor, text: input.note };
    if (input.counselling)
      $push.counselling = { recordId: newEventId(), at, by: actor, sealed: sealer.seal(input.counselling) };
    await PersonalFiles.collection.updateOne(
      { _id: fileId(facilityId, childId) as never },
      { $set, ...(Object.keys($push).length > 0 ? { $push } : {}) } as never,
      { upsert: true },
    );
    return readFile(facilityId, childId);
  }

  /** A file is complete when interests, strengths and needs are all recorded. */
  const isComplete = (file: Pick<PersonalFileDoc, 'interests' | 'strengths' | 'needs'>) =>
    file.interests.length > 0 && file.strengths.length > 0 && file.needs.length > 0;

  async function completeFileChildIds(facilityId: string, childIds: string[]): Promise<string[]> {
    const complete: string[] = [];
    for (const childId of childIds) {
      const file = await PersonalFiles.findById(fileId(facilityId, childId)).lean<Partial<PersonalFileDoc>>();
      if (
        file &&
        isComplete({ interests: file.interests ?? [], strengths: file.strengths ?? [], needs: file.needs ?? [] })
      )
        complete.push(childId);
    }
    return complete;
  }

  const openCounselling = (file: PersonalFileDoc) =>
    file.counselling.map((r) => ({ recordId: r.recordId, at: r.at, by: r.by, text: sealer.open(r.sealed) }));

  return {
    load,
    open,
    update,
    setEquipment,
    changeStatus,
    recordFunding,
    enrol,
    leave,
    enrolledChildIds,
    readFile,
    writeFile,
    isComplete,
    completeFileChildIds,
    openCounselling,
  };
}
export type Homes = ReturnType<typeof createHomes>;
