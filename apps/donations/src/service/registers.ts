/**
 * Donors, the schools register, plaques, and recipients (homes from the facilities projection,
 * schools, or children from the registry projection). Plain records without events: what other services need of them travels inside the
 * donation events (donor display name, recipient name and region).
 */
import { newEventId } from '@tongxin/contracts';

import type {
  ChildViewDoc,
  DonationModels,
  DonorDoc,
  OrganisationType,
  PlaqueDoc,
  RecipientKind,
  SchoolDoc,
} from '../persistence/models.js';
import { DomainProblem, notFound } from '@tongxin/contracts/problems';

export interface DonorInput {
  donorId?: string;
  kind: 'organisation' | 'individual';
  organisationType?: OrganisationType;
  displayName: string;
  legalName?: string;
  note?: string;
}

export interface Recipient {
  kind: RecipientKind;
  id: string;
  name: string;
  regionCode: string;
}

const isDuplicate = (error: unknown) => (error as { code?: number }).code === 11000;

export function createRegisters(deps: { models: DonationModels; now: () => Date }) {
  const { models, now } = deps;

  async function createDonor(input: DonorInput, actor: string): Promise<DonorDoc> {
    const { donorId, ...rest } = input;
    const doc: DonorDoc = { _id: donorId ?? newEventId(), ...rest, createdAt: now(), createdBy: actor };
    try {
      await models.Donors.collection.insertOne(doc as never);
    } catch (error) {
      if (isDuplicate(error))
        throw new DomainProblem('donor_exists', 'a donor with this id exists', '该捐赠方编号已存在');
      throw error;
    }
    return doc;
  }

  async function donor(donorId: string): Promise<DonorDoc> {
    const doc = await models.Donors.findById(donorId).lean<DonorDoc>();
    if (!doc) throw notFound('donor', '捐赠方');
    return doc;
  }

  async function registerSchool(
    input: { schoolId?: string; name: string; regionCode: string; contactName?: string },
    actor: string,
  ): Promise<SchoolDoc> {
    const { schoolId, ...rest } = input;
    const doc: SchoolDoc = { _id: schoolId ?? newEventId(), ...rest, createdAt: now(), createdBy: actor };
    try {
      await models.Schools.collection.insertOne(doc as never);
    } catch (error) {
      if (isDuplicate(error))
        throw new DomainProblem('school_exists', 'a school with this id exists', '该学校编号已存在');
      throw error;
    }
    return doc;
  }

  /**
   * A home (open, known through facilities' events), a registered school, or an active child known
   * through the registry's events; 422 otherwise. A child outside `inScope` (the caller's regions)
   * is refused exactly like an unknown one — 404, the same problem — so its existence does not leak.
   */
  async function recipient(
    kind: RecipientKind,
    id: string,
    inScope: (regionCode: string) => boolean = () => true,
  ): Promise<Recipient> {
    if (kind === 'child') {
      const child = await models.Children.findById(id).lean<ChildViewDoc>();
      if (!child || !inScope(child.regionCode)) {
        throw new DomainProblem(
          'recipient_unknown',
          'no child with this id in your region (or not yet received from the registry)',
          '您所辖区域内没有该儿童（或尚未从儿童信息系统同步）',
          404,
          { recipientKind: kind, recipientId: id },
        );
      }
      if (child.status !== 'active') {
        throw new DomainProblem(
          'recipient_not_active',
          `the child is no longer on the register (${child.status})`,
          '该儿童已不在册，不能分配',
          422,
          { recipientKind: kind, recipientId: id },
        );
      }
      return { kind, id, name: child.maskedName, regionCode: child.regionCode };
    }
    if (kind === 'school') {
      const school = await models.Schools.findById(id).lean<SchoolDoc>();
      if (!school) {
        throw new DomainProblem('recipient_unknown', 'no school with this id is registered', '未登记该学校', 422, {
          recipientKind: kind,
          recipientId: id,
        });
      }
      return { kind, id, name: school.name, regionCode: school.regionCode };
    }
    const home = await models.Homes.findById(id).lean();
    if (!home) {
      throw new DomainProblem(
        'recipient_unknown',
        'no children’s home with this id (or not yet received from the facilities service)',
        '没有该儿童之家（或尚未从儿童之家系统同步）',
        422,
        { recipientKind: kind, recipientId: id },
      );
    }
    if (home.status !== 'open') {
      throw new DomainProblem('recipient_not_open', `the home is ${home.status}`, '该儿童之家未开放', 422, {
        recipientKind: kind,
        recipientId: id,
      });
    }
    return { kind, id, name: home.name, regionCode: home.regionCode };
  }

  /** Name and region of a recipient for reports, whatever its state today. */
  async function recipientInfo(kind: RecipientKind, id: string): Promise<Recipient | undefined> {
    if (kind === 'child') {
      const child = await models.Children.findById(id).lean<ChildViewDoc>();
      return child ? { kind, id, name: child.maskedName, regionCode: child.regionCode } : undefined;
    }
    const doc =
      kind === 'school' ? await models.Schools.findById(id).lean<SchoolDoc>() : await models.Homes.findById(id).lean();
    return doc ? { kind, id, name: doc.name, regionCode: doc.regionCode } : undefined;
  }

  async function recordPlaque(
    input: Omit<PlaqueDoc, '_id' | 'recordedAt' | 'recordedBy'>,
    actor: string,
  ): Promise<PlaqueDoc> {
    await recipient(input.recipientKind, input.recipientId);
    await donor(input.donorId);
    const doc: PlaqueDoc = { _id: newEventId(), ...input, recordedAt: now(), recordedBy: actor };
    await models.Plaques.collection.insertOne(doc as never);
    return doc;
  }

  const plaquesAt = (kind: PlaqueDoc['recipientKind'], id: string) =>
    models.Plaques.find({ recipientKind: kind, recipientId: id }).sort({ installedOn: 1 }).lean<PlaqueDoc[]>();

  return { createDonor, donor, registerSchool, recipient, recipientInfo, recordPlaque, plaquesAt };
}
export type Registers = ReturnType<typeof createRegisters>;
