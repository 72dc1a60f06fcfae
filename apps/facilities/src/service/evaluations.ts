/**
 * Evaluations (考评): the data-derived criteria computed from the home's own records for the period,
 * the evaluator's scores, a weighting scheme, a total and grade, and the county ranking. Recording
 * an evaluation is an event on the home (`facilities.facility.evaluated`).
 */
import { commit } from '@tongxin/bus';
import { draft } from '@tongxin/contracts';
import { FacilityEvaluated } from '@tongxin/contracts/facilities';

import {
  evaluate,
  periodRange,
  rankWithinCounty,
  type CriterionKey,
  type EvaluationResult,
} from '../domain/evaluation.js';
import type { ActivityDoc, EvaluationDoc, FacilityDoc, FacilityModels } from '../persistence/models.js';
import { DomainProblem } from '@tongxin/contracts/problems';
import { facilitySnapshot, type Homes } from './homes.js';

export interface EvaluationsDeps {
  models: FacilityModels;
  homes: Homes;
  now: () => Date;
  weights?: Partial<Record<CriterionKey, number>>;
}

export function createEvaluations(deps: EvaluationsDeps) {
  const { models, homes, now } = deps;

  /** Computes the evaluation of a home for a period from its records (nothing stored). */
  async function compute(
    facilityId: string,
    period: string,
    evaluatorScores: { safety: number; environment: number },
  ): Promise<EvaluationResult> {
    try {
      periodRange(period);
    } catch (error) {
      throw new DomainProblem(
        'bad_period',
        (error as Error).message,
        '考评期间格式应为 YYYY、YYYY-Hn、YYYY-Qn 或 YYYY-MM',
        400,
      );
    }
    const facility = await homes.load(facilityId);
    const activities = await models.Activities.find({ facilityId }, { outbox: 0, history: 0 }).lean<ActivityDoc[]>();
    const enrolledChildIds = await homes.enrolledChildIds(facilityId);
    const completeFileChildIds = await homes.completeFileChildIds(facilityId, enrolledChildIds);
    try {
      return evaluate({
        period,
        activities: activities.map((a) => ({
          kind: a.kind as never,
          ...(a.subject ? { subject: a.subject } : {}),
          startsAt: new Date(a.startsAt).toISOString(),
          status: a.status,
          attendeeChildIds: a.attendeeChildIds,
        })),
        enrolledChildIds,
        completeFileChildIds,
        equipment: facility.equipment,
        evaluatorScores,
        ...(deps.weights ? { weights: deps.weights } : {}),
      });
    } catch (error) {
      if (error instanceof RangeError)
        throw new DomainProblem('bad_evaluation_input', error.message, '考评参数无效', 400);
      throw error;
    }
  }

  /** Computes and records the evaluation; a period is evaluated once per home (again replaces it). */
  async function record(
    facilityId: string,
    period: string,
    evaluatorScores: { safety: number; environment: number },
    actor: string,
    correlationId?: string,
  ): Promise<{ evaluation: EvaluationDoc; facility: FacilityDoc }> {
    const result = await compute(facilityId, period, evaluatorScores);
    const facility = await homes.load(facilityId);
    const at = now();
    const evaluation: EvaluationDoc = {
      _id: `${facilityId}_${period}`,
      facilityId,
      regionCode: facility.regionCode,
      period,
      result: result as unknown as Record<string, unknown>,
      totalScore: result.totalScore,
      grade: result.grade,
      evaluatedBy: actor,
      evaluatedAt: at,
    };
    await models.Evaluations.collection.replaceOne({ _id: evaluation._id as never }, evaluation as never, {
      upsert: true,
    });
    const updated = await commit(models.Facilities, {
      id: facilityId,
      expectedSequence: facility.sequence,
      update: {},
      events: [
        draft(FacilityEvaluated, {
          ...facilitySnapshot(facility),
          evaluation: {
            evaluationId: evaluation._id,
            period,
            totalScore: result.totalScore,
            grade: result.grade,
            evaluatedAt: at.toISOString(),
          },
        }),
      ],
      context: { source: 'facilities', now, ...(correlationId ? { correlationId } : {}) },
    });
    return { evaluation, facility: updated };
  }

  /** The recorded evaluations of a county's homes for a period, ranked. */
  async function ranking(countyCode: string, period: string) {
    const evaluations = await models.Evaluations.find({ period }).lean<EvaluationDoc[]>();
    const inCounty = evaluations.filter((e) => e.regionCode.startsWith(countyCode));
    const names = new Map<string, string>();
    for (const e of inCounty) names.set(e.facilityId, (await homes.load(e.facilityId)).name);
    return rankWithinCounty(inCounty.map((e) => ({ facilityId: e.facilityId, totalScore: e.totalScore }))).map((r) => ({
      ...r,
      name: names.get(r.facilityId) ?? r.facilityId,
      grade: inCounty.find((e) => e.facilityId === r.facilityId)!.grade,
    }));
  }

  return { compute, record, ranking };
}
export type Evaluations = ReturnType<typeof createEvaluations>;
