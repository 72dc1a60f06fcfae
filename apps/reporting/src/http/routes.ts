/** The reporting API: statistics, the care timeline of a child, the annual situation report. */
import { AppError, canSeeRegion, defineRoute, type Principal } from '@tongxin/service-kit';
import { findRegion } from '@tongxin/contracts/values';
import { z } from 'zod';

import { annualHtml } from '../domain/annual.js';
import { monthOf } from '../domain/tally.js';
import { monthRange, type Queries } from '../read-models/queries.js';
import { canonical } from '../read-models/regions.js';
import { annualWorkbook } from './workbook.js';

export interface ReportingContext {
  queries: Queries;
  now: () => Date;
}

const READERS = ['city_admin', 'county_officer', 'township_officer', 'auditor'] as const;
const ZRegionParam = z.string().regex(/^\d{4}(\d{2}(\d{3}(\d{3})?)?)?$/, 'a region code of 4, 6, 9 or 12 digits');
const ZCounts = z.record(z.string(), z.number());
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The region when it exists and the caller may see it; otherwise 404 (no existence leak). */
function visibleRegion(principal: Principal, code: string): string {
  const region = canonical(code);
  if (!findRegion(region) || !canSeeRegion(principal, region)) throw AppError.notFound();
  return region;
}

/** The caller's broadest region: the city for a city admin, else its first scope. */
function defaultRegion(principal: Principal): string {
  if (principal.roles.includes('city_admin')) return '4306';
  const first = principal.regions[0];
  if (!first) throw AppError.notFound();
  return first;
}

const ZRegionRow = z.object({
  code: z.string(),
  name: z.string(),
  nameEn: z.string().describe('the English name where the region has one, else the Chinese name'),
  leftBehind: z.number(),
  inDifficulty: z.number(),
  unsupervised: z.number(),
  guardiansAssigned: z.number(),
  dropoutsReturned: z.number(),
  hukouRegistered: z.number(),
  rightsIncidentsHandled: z.number(),
  parentsEducated: z.number(),
  reportsReceived: z.number(),
  reportsOnTime: z.number(),
  homes: z.number(),
});
const ZCohort = z.object({ cases: z.number(), succeeded: z.number() });
export const ZAnnualReport = z.object({
  region: z.object({ code: z.string(), name: z.string(), nameEn: z.string() }),
  year: z.number(),
  figures: z.object({
    leftBehind: z.number(),
    inDifficulty: z.number(),
    inDifficultyByType: ZCounts,
    unsupervisedNow: z.number(),
    unsupervisedGivenGuardian: ZCohort,
    dropoutsReturned: ZCohort,
    hukouRegistered: ZCohort,
    rightsIncidentsHandled: z.number(),
    negligentParentsEducated: z.number(),
    mandatoryReports: z.object({
      received: z.number(),
      acknowledged: z.number(),
      onTime: z.number(),
      late: z.number(),
    }),
    homes: z.number(),
    funds: z.object({ fen: z.number(), basis: z.enum(['received', 'allocated']) }),
    books: z.object({ quantity: z.number(), valueFen: z.number(), recipients: z.number(), donors: z.number() }),
    summerCamp: z.object({ events: z.number(), participants: z.number() }),
  }),
  table: z.array(ZRegionRow),
  paragraph: z.object({ zh: z.string(), en: z.string() }),
});

const ZTimelineEntry = z.object({
  at: z.string(),
  service: z.enum(['registry', 'facilities', 'volunteers', 'donations']),
  type: z.string(),
  categories: z.array(z.string()).optional(),
  difficultyTypes: z.array(z.string()).optional(),
  changedFields: z.array(z.string()).optional(),
  guardianKind: z.string().optional(),
  guardianRelation: z.string().optional(),
  on: z.string().optional(),
  reason: z.string().optional(),
  caseType: z.string().optional(),
  outcome: z.string().optional(),
  status: z.string().optional(),
  facilityId: z.string().optional(),
  facilityName: z.string().optional(),
  activityKind: z.string().optional(),
  eventKind: z.string().optional(),
  title: z.string().optional(),
  /** Donations to this child: money/books/goods, the amount (fen) or quantity, the donor's display name. */
  donationKind: z.string().optional(),
  amountFen: z.number().optional(),
  quantity: z.number().optional(),
  donorDisplayName: z.string().optional(),
});

export function reportingRoutes(ctx: ReportingContext) {
  const { queries } = ctx;

  const timeline = defineRoute({
    method: 'get',
    path: '/children/:id/timeline',
    summary: "A child's care timeline across services (no counselling content, no notes)",
    tags: ['timeline'],
    params: z.object({ id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/) }),
    response: z.object({
      childId: z.string(),
      name: z.string(),
      regionCode: z.string(),
      status: z.string(),
      entries: z.array(ZTimelineEntry),
    }),
    auth: { roles: READERS },
    handler: async ({ params, principal, audit }) => {
      const found = await queries.timeline(params.id);
      if (!found || !canSeeRegion(principal, found.child.regionCode)) {
        await audit({ action: 'read', resource: 'child_timeline', resourceId: params.id, outcome: 'denied' });
        throw AppError.notFound();
      }
      await audit({ action: 'read', resource: 'child_timeline', resourceId: params.id, outcome: 'success' });
      return {
        childId: found.child._id,
        name: found.child.name,
        regionCode: found.child.regionCode,
        status: found.child.status,
        entries: found.entries as z.input<typeof ZTimelineEntry>[],
      };
    },
  });

  const regionStats = defineRoute({
    method: 'get',
    path: '/stats/regions/:code',
    summary: 'Counts of a region (current state and flows) and its monthly series',
    tags: ['statistics'],
    params: z.object({ code: ZRegionParam }),
    query: z.object({
      months: z.coerce.number().int().min(1).max(120).default(12),
      to: z
        .string()
        .regex(/^\d{4}-(0[1-9]|1[0-2])$/)
        .optional(),
    }),
    response: z.object({
      code: z.string(),
      name: z.string(),
      counts: ZCounts,
      months: z.array(z.object({ month: z.string(), counts: ZCounts })),
    }),
    auth: { roles: READERS },
    handler: async ({ params, query, principal }) => {
      const code = visibleRegion(principal, params.code);
      const to = query.to ?? monthOf(ctx.now().toISOString());
      const stats = await queries.regionStats(code, monthRange(to, query.months));
      return { code, name: findRegion(code)?.name ?? code, ...stats };
    },
  });

  const homeStats = defineRoute({
    method: 'get',
    path: '/stats/homes/:facilityId',
    summary: "A children's home: enrolled children, activities by kind and month, evaluations",
    tags: ['statistics'],
    params: z.object({ facilityId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/) }),
    response: z.object({
      facilityId: z.string(),
      code: z.string(),
      name: z.string(),
      kind: z.string(),
      regionCode: z.string(),
      status: z.string(),
      capacity: z.number(),
      enrolledChildren: z.number(),
      childrenEverEnrolled: z.number(),
      activities: z.object({
        total: z.number(),
        byKind: ZCounts,
        byMonth: z.array(
          z.object({ month: z.string(), activities: z.number(), byKind: ZCounts, childAttendances: z.number() }),
        ),
      }),
      evaluations: z.array(
        z.object({ period: z.string(), grade: z.string(), totalScore: z.number(), evaluatedAt: z.string() }),
      ),
      latestEvaluation: z
        .object({ period: z.string(), grade: z.string(), totalScore: z.number(), evaluatedAt: z.string() })
        .nullable(),
      fundingFen: z.number(),
    }),
    auth: { roles: READERS },
    handler: async ({ params, principal }) => {
      const home = await queries.home(params.facilityId);
      if (!home || !canSeeRegion(principal, home.regionCode)) throw AppError.notFound();
      return home;
    },
  });

  const donationStats = defineRoute({
    method: 'get',
    path: '/stats/donations',
    summary: 'Donations by donor (city-wide callers) and by recipient (within the caller’s regions)',
    tags: ['statistics'],
    response: z.object({
      donors: z.array(
        z.object({
          donorId: z.string(),
          displayName: z.string(),
          donorKind: z.string(),
          donations: z.number(),
          receivedValueFen: z.number(),
          receivedQuantity: z.number(),
          allocatedValueFen: z.number(),
          deliveredQuantity: z.number(),
          deliveredAmountFen: z.number(),
        }),
      ),
      recipients: z.array(
        z.object({
          recipientId: z.string(),
          recipientKind: z.string(),
          name: z.string(),
          regionCode: z.string(),
          allocatedQuantity: z.number(),
          allocatedAmountFen: z.number(),
          allocatedValueFen: z.number(),
          dispatchedQuantity: z.number(),
          deliveredQuantity: z.number(),
          deliveredAmountFen: z.number(),
        }),
      ),
      months: z.array(z.object({ month: z.string(), receivedValueFen: z.number(), donations: z.number() })),
    }),
    auth: { roles: READERS },
    handler: async ({ principal }) =>
      queries.donations((code) => canSeeRegion(principal, code), canSeeRegion(principal, '4306')),
  });

  const volunteerStats = defineRoute({
    method: 'get',
    path: '/stats/volunteers',
    summary: 'Volunteer events in a region: events, child participants, confirmed hours, by kind and month',
    tags: ['statistics'],
    query: z.object({ region: ZRegionParam.optional() }),
    response: z.object({
      region: z.string(),
      events: z.number(),
      byKind: ZCounts,
      childParticipants: z.number(),
      childrenAttended: z.number(),
      volunteerAssignments: z.number(),
      confirmedMinutes: z.number(),
      confirmedHours: z.number(),
      months: z.array(
        z.object({
          month: z.string(),
          events: z.number(),
          childParticipants: z.number(),
          confirmedMinutes: z.number(),
        }),
      ),
    }),
    auth: { roles: READERS },
    handler: async ({ query, principal }) => {
      const region = visibleRegion(principal, query.region ?? defaultRegion(principal));
      return { region, ...(await queries.volunteers(region)) };
    },
  });

  const ZAnnualQuery = z.object({
    region: ZRegionParam,
    year: z.coerce.number().int().min(2000).max(2100),
  });

  const annual = defineRoute({
    method: 'get',
    path: '/reports/annual',
    summary: 'The annual situation report (JSON): figures, the basic-situation paragraph, a table per sub-region',
    tags: ['reports'],
    query: ZAnnualQuery,
    response: ZAnnualReport,
    auth: { roles: READERS },
    handler: async ({ query, principal }) => queries.annual(visibleRegion(principal, query.region), query.year),
  });

  const annualPage = defineRoute({
    method: 'get',
    path: '/reports/annual.html',
    summary: 'The annual situation report as HTML (zh-CN, then English; lang=zh|en|both)',
    tags: ['reports'],
    query: ZAnnualQuery.extend({ lang: z.enum(['zh', 'en', 'both']).default('both') }),
    auth: { roles: READERS },
    handler: async ({ query, principal, res }) => {
      const report = await queries.annual(visibleRegion(principal, query.region), query.year);
      res.status(200).type('text/html; charset=utf-8').send(annualHtml(report, query.lang));
      return undefined;
    },
  });

  const annualXlsx = defineRoute({
    method: 'get',
    path: '/reports/annual.xlsx',
    summary: 'The annual situation report as .xlsx',
    tags: ['reports'],
    query: ZAnnualQuery,
    auth: { roles: READERS },
    handler: async ({ query, principal, res, audit }) => {
      const report = await queries.annual(visibleRegion(principal, query.region), query.year);
      const file = await annualWorkbook(report);
      await audit({
        action: 'export',
        resource: 'annual_report',
        resourceId: `${report.region.code}-${report.year}`,
        outcome: 'success',
      });
      res
        .status(200)
        .type(XLSX)
        .setHeader(
          'Content-Disposition',
          `attachment; filename*=UTF-8''${encodeURIComponent(`${report.region.name}${report.year}年工作情况.xlsx`)}`,
        )
        .send(file);
      return undefined;
    },
  });

  return [timeline, regionStats, homeStats, donationStats, volunteerStats, annual, annualPage, annualXlsx];
}
