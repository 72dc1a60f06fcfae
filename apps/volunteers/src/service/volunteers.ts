/**
 * Volunteers and their safeguarding record. A volunteer is one document with its own outbox; the
 * events (`volunteers.volunteer.v1`) carry only id, primary organisation, display name, clearance
 * status and expiry and `clearedForChildren` — never the phone, the full name, the certificate's
 * number or skills. The phone and the certificate number are sealed (AES-256-GCM) at rest.
 */
import { commit, commitNew, retryOnConflict, type CommitContext } from '@tongxin/bus';
import { draft, newEventId, type DraftEvent } from '@tongxin/contracts';
import { VolunteerClearanceChanged, VolunteerRegistered, type VolunteerSnapshot } from '@tongxin/contracts/volunteers';
import type { Sealer } from '@tongxin/service-kit';

import { addDays, beijingDate, daysBetween } from '../domain/dates.js';
import type { Skill } from '../domain/kinds.js';
import { clearanceStatus, clearedForChildren } from '../domain/safeguarding.js';
import type { VolunteerDoc, VolunteerModels } from '../persistence/models.js';
import type { Organisations } from './organisations.js';
import { DomainProblem, notFound } from '@tongxin/contracts/problems';

export interface VolunteerInput {
  organisationIds: string[];
  name: string;
  displayName: string;
  phone: string;
  skills: Skill[];
  counsellingQualification?: { title: string; issuer: string; issuedOn: string };
  availability: { periods: string[]; note?: string };
  userId?: string;
}

export interface ClearanceInput {
  documentType: string;
  number: string;
  issuedOn: string;
  expiresOn: string;
}

type State = Omit<VolunteerDoc, 'outbox' | 'outboxPending'>;

export function volunteerSnapshot(doc: State, today: string): VolunteerSnapshot {
  const status = clearanceStatus(doc, today);
  return {
    volunteerId: doc._id,
    organisationId: doc.organisationIds[0]!,
    displayName: doc.displayName,
    clearance: {
      status,
      ...(doc.clearance && status !== 'revoked' ? { expiresOn: doc.clearance.expiresOn } : {}),
    },
    clearedForChildren: clearedForChildren(doc, today),
  };
}

const MAX_ATTEMPTS = 20;

export function createVolunteers(deps: {
  models: VolunteerModels;
  organisations: Organisations;
  sealer: Sealer;
  now: () => Date;
}) {
  const { models, organisations, sealer, now } = deps;
  const { Volunteers } = models;
  const context = (correlationId?: string): CommitContext => ({
    source: 'volunteers',
    now,
    ...(correlationId ? { correlationId } : {}),
  });

  async function load(volunteerId: string): Promise<VolunteerDoc> {
    const doc = await Volunteers.findById(volunteerId, { outbox: 0 }).lean<VolunteerDoc>();
    if (!doc) throw notFound('volunteer', '志愿者');
    return doc;
  }

  async function register(input: VolunteerInput, actor: string, correlationId?: string): Promise<VolunteerDoc> {
    for (const id of input.organisationIds) await organisations.get(id);
    const id = newEventId();
    const state: State = {
      _id: id,
      sequence: 0,
      organisationIds: input.organisationIds,
      name: input.name,
      displayName: input.displayName,
      phoneSealed: sealer.seal(input.phone),
      skills: input.skills,
      ...(input.counsellingQualification ? { counsellingQualification: input.counsellingQualification } : {}),
      availability: input.availability,
      status: 'active',
      ...(input.userId ? { userId: input.userId } : {}),
      createdAt: now(),
      createdBy: actor,
    };
    const events = [draft(VolunteerRegistered, volunteerSnapshot(state, beijingDate(now())))];
    const { _id, sequence, ...fields } = state;
    void _id;
    void sequence;
    return commitNew(Volunteers, { id, state: fields as never, events, context: context(correlationId) });
  }

  /**
   * A change of the safeguarding record: `clearance_changed` is published when what other services
   * see (status, expiry, cleared for children) changes.
   */
  async function changeSafeguarding(
    volunteerId: string,
    correlationId: string | undefined,
    decide: (doc: VolunteerDoc) => { $set?: Record<string, unknown>; $unset?: Record<string, unknown> },
  ): Promise<VolunteerDoc> {
    return retryOnConflict(
      Volunteers.collection.collectionName,
      volunteerId,
      async () => {
        const doc = await load(volunteerId);
        const update = decide(doc);
        const today = beijingDate(now());
        const next: State = { ...doc, ...(update.$set ?? {}) } as State;
        for (const key of Object.keys(update.$unset ?? {})) delete (next as unknown as Record<string, unknown>)[key];
        const before = volunteerSnapshot(doc, today);
        const after = volunteerSnapshot(next, today);
        const events: DraftEvent[] =
          JSON.stringify(before) === JSON.stringify(after)
            ? []
            : [
                draft(VolunteerClearanceChanged, {
                  ...after,
                  previousStatus: before.clearance.status,
                  changedOn: today,
                }),
              ];
        return commit(Volunteers, {
          id: volunteerId,
          expectedSequence: doc.sequence,
          update,
          events,
          context: context(correlationId),
        });
      },
      { attempts: MAX_ATTEMPTS },
    );
  }

  /** A verified clearance certificate (replaces the previous one, lifts a revocation). */
  async function recordClearance(volunteerId: string, input: ClearanceInput, actor: string, correlationId?: string) {
    if (input.expiresOn <= input.issuedOn) {
      throw new DomainProblem(
        'clearance_dates_invalid',
        'a clearance expires after it was issued',
        '有效期截止日须晚于开具日期',
        400,
      );
    }
    const number = input.number.replace(/\s/g, '');
    return changeSafeguarding(volunteerId, correlationId, () => ({
      $set: {
        clearance: {
          documentType: input.documentType,
          numberSealed: sealer.seal(number),
          numberLast4: number.slice(-4),
          issuedOn: input.issuedOn,
          expiresOn: input.expiresOn,
          verifiedBy: actor,
          verifiedAt: now(),
        },
      },
      $unset: { revoked: '' },
    }));
  }

  async function recordTraining(
    volunteerId: string,
    input: { completedOn: string; provider?: string },
    actor: string,
    correlationId?: string,
  ) {
    if (input.completedOn > beijingDate(now())) {
      throw new DomainProblem(
        'training_in_future',
        'training cannot be completed in the future',
        '培训完成日期不能晚于今天',
        400,
      );
    }
    return changeSafeguarding(volunteerId, correlationId, () => ({
      $set: { training: { ...input, recordedBy: actor } },
    }));
  }

  async function revokeClearance(volunteerId: string, reason: string, actor: string, correlationId?: string) {
    return changeSafeguarding(volunteerId, correlationId, (doc) => {
      if (doc.revoked)
        throw new DomainProblem('already_revoked', 'the clearance is already revoked', '安全审查已被撤销');
      return { $set: { revoked: { on: beijingDate(now()), by: actor, reason } } };
    });
  }

  /** Clearances expiring within `days` (or already expired), soonest first. */
  async function renewals(days: number, inOrganisations?: string[]) {
    const today = beijingDate(now());
    const until = addDays(today, days);
    const filter: Record<string, unknown> = { status: 'active', 'clearance.expiresOn': { $lte: until } };
    const docs = await Volunteers.find(filter, { outbox: 0 }).lean<VolunteerDoc[]>();
    return docs
      .filter((d) => !d.revoked && d.clearance)
      .filter((d) => !inOrganisations || d.organisationIds.some((o) => inOrganisations.includes(o)))
      .map((d) => ({
        volunteerId: d._id,
        displayName: d.displayName,
        organisationId: d.organisationIds[0]!,
        documentType: d.clearance!.documentType,
        expiresOn: d.clearance!.expiresOn,
        daysLeft: daysBetween(today, d.clearance!.expiresOn),
      }))
      .sort((a, b) => a.expiresOn.localeCompare(b.expiresOn));
  }

  return {
    load,
    register,
    recordClearance,
    recordTraining,
    revokeClearance,
    renewals,
    openPhone: (d: VolunteerDoc) => sealer.open(d.phoneSealed),
  };
}
export type Volunteers = ReturnType<typeof createVolunteers>;
