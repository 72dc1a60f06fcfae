/** Evaluations (考评): preview from the data, record with the evaluator's scores, county ranking. */
import { assertInScope, defineRoute } from '@tongxin/service-kit';
import { z } from 'zod';

import type { EvaluationResult } from '../domain/evaluation.js';
import type { FacilityDoc } from '../persistence/models.js';
import type { FacilitiesContext } from './routes.js';
import { ZId } from './schemas.js';

const ZPeriod = z.string().regex(/^\d{4}(-(0[1-9]|1[0-2]|Q[1-4]|H[12]))?$/, 'YYYY, YYYY-Hn, YYYY-Qn or YYYY-MM');
const ZScore = z.number().min(0).max(100);
const ZEvaluation = z.object({
  facilityId: z.string(),
  period: z.string(),
  from: z.string(),
  to: z.string(),
  criteria: z.array(
    z.object({
      key: z.string(),
      label: z.string(),
      labelEn: z.string(),
      source: z.enum(['data', 'evaluator']),
      value: z.number(),
      unit: z.string(),
      score: z.number(),
      weight: z.number(),
      detail: z.string(),
      detailZh: z.string(),
    }),
  ),
  totalScore: z.number(),
  grade: z.string(),
  recorded: z.boolean(),
});

export function evaluationRoutes(ctx: FacilitiesContext) {
  const visible = async (principal: Parameters<typeof assertInScope>[0], id: string) => {
    const doc = await ctx.models.Facilities.findById(id).lean<FacilityDoc>();
    return assertInScope(principal, doc && { ...doc, facilityId: doc._id });
  };

  const preview = defineRoute({
    method: 'get',
    path: '/facilities/:id/evaluations/:period',
    summary: 'The evaluation of a period (本期考评): recorded, or computed now from the data',
    description:
      'Data-derived criteria come from the home’s records; until an evaluator records safety and environment scores they count as 0 in the preview (`recorded: false`).',
    tags: ['evaluations'],
    params: z.object({ id: ZId, period: ZPeriod }),
    response: ZEvaluation,
    auth: { roles: ['city_admin', 'county_officer', 'township_officer', 'facility_manager'] },
    handler: async ({ params, principal }) => {
      await visible(principal, params.id);
      const stored = await ctx.models.Evaluations.findById(`${params.id}_${params.period}`).lean();
      if (stored) return { facilityId: params.id, ...(stored.result as unknown as EvaluationResult), recorded: true };
      const result = await ctx.evaluations.compute(params.id, params.period, { safety: 0, environment: 0 });
      return { facilityId: params.id, ...result, recorded: false };
    },
  });

  const record = defineRoute({
    method: 'post',
    path: '/facilities/:id/evaluations',
    summary: 'Record an evaluation with the evaluator’s scores (考评打分)',
    tags: ['evaluations'],
    params: z.object({ id: ZId }),
    body: z.object({ period: ZPeriod, safety: ZScore, environment: ZScore }),
    response: ZEvaluation,
    auth: { roles: ['county_officer'] },
    handler: async ({ params, body, principal, audit, req }) => {
      await visible(principal, params.id);
      const { evaluation } = await ctx.evaluations.record(
        params.id,
        body.period,
        { safety: body.safety, environment: body.environment },
        principal.sub,
        req.requestId,
      );
      await audit({ action: 'create', resource: 'evaluation', resourceId: evaluation._id, outcome: 'success' });
      return { facilityId: params.id, ...(evaluation.result as unknown as EvaluationResult), recorded: true };
    },
  });

  const ranking = defineRoute({
    method: 'get',
    path: '/evaluations/ranking',
    summary: 'County ranking of the homes evaluated for a period (考评排名)',
    tags: ['evaluations'],
    query: z.object({ county: z.string().regex(/^\d{6}$/), period: ZPeriod }),
    response: z.object({
      county: z.string(),
      period: z.string(),
      items: z.array(
        z.object({
          facilityId: z.string(),
          name: z.string(),
          rank: z.number(),
          totalScore: z.number(),
          grade: z.string(),
        }),
      ),
    }),
    auth: { roles: ['city_admin', 'county_officer'] },
    handler: async ({ query, principal }) => {
      assertInScope(principal, { regionCode: query.county });
      return {
        county: query.county,
        period: query.period,
        items: await ctx.evaluations.ranking(query.county, query.period),
      };
    },
  });

  return [preview, record, ranking];
}
