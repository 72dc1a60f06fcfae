/**
 * Reading the read models. Region figures come from one document per region (`region_buckets`,
 * by `_id`). Donations and volunteer events are few (hundreds a year for a city) and are read whole
 * and filtered here.
 */
import { childrenOf, findRegion } from '@tongxin/contracts/values';

import {
  paragraphEn,
  paragraphZh,
  regionRow,
  registryFigures,
  type AnnualFigures,
  type AnnualReport,
} from '../domain/annual.js';
import { yearCounts, type Counts } from '../domain/tally.js';
import {
  byId,
  type ChildDoc,
  type DonationDoc,
  type HomeDoc,
  type ReadModels,
  type TimelineDoc,
  type TimelineEntry,
  type VolunteerEventDoc,
} from './models.js';
import { canonical, regionTotals } from './regions.js';

const within = (code: string, region: string) => canonical(code).startsWith(region);

/** The last `months` months ending with `to` (YYYY-MM), oldest first. */
export function monthRange(to: string, months: number): string[] {
  const [y, m] = to.split('-').map(Number) as [number, number];
  const out: string[] = [];
  for (let i = months - 1; i >= 0; i--) {
    const d = new Date(Date.UTC(y, m - 1 - i, 1));
    out.push(d.toISOString().slice(0, 7));
  }
  return out;
}

export function createQueries(models: ReadModels) {
  async function regionStats(code: string, months: string[]) {
    const totals = await regionTotals(models, code);
    return {
      counts: totals.counts,
      months: months.map((month) => ({ month, counts: totals.months[month] ?? {} })),
    };
  }

  async function donationFigures(region: string, year: number) {
    const all = (await models.Donations.collection.find({}).toArray()) as unknown as DonationDoc[];
    const inYear = all.filter((d) => d.receivedOn.startsWith(`${year}-`));
    const money = inYear.filter((d) => d.kind === 'money');
    const allocationsIn = (d: DonationDoc) =>
      Object.values(d.allocations).filter((a) => within(a.recipientRegionCode, region));
    const cityWide = region.length <= 4;
    const funds = cityWide
      ? money.filter((d) => d.status !== 'cancelled').reduce((s, d) => s + d.receivedValueFen, 0)
      : money.flatMap(allocationsIn).reduce((s, a) => s + a.amountFen, 0);
    const books = inYear.filter((d) => d.kind === 'books');
    const bookAllocations = books.flatMap((d) => allocationsIn(d).map((a) => ({ ...a, donorId: d.donorId })));
    return {
      funds: { fen: funds, basis: cityWide ? ('received' as const) : ('allocated' as const) },
      books: {
        quantity: bookAllocations.reduce((s, a) => s + a.quantity, 0),
        valueFen: bookAllocations.reduce((s, a) => s + a.valueFen, 0),
        recipients: new Set(bookAllocations.map((a) => a.recipientId)).size,
        donors: new Set(bookAllocations.map((a) => a.donorId)).size,
      },
    };
  }

  async function volunteerEvents(region: string): Promise<VolunteerEventDoc[]> {
    const all = (await models.VolunteerEvents.collection.find({}).toArray()) as unknown as VolunteerEventDoc[];
    return all.filter((e) => within(e.regionCode, region));
  }

  async function annual(region: string, year: number): Promise<AnnualReport> {
    const code = canonical(region);
    const record = findRegion(code);
    const name = record?.name ?? code;
    const nameEn = record?.nameEn ?? name;
    const totals = await regionTotals(models, code);
    const camps = (await volunteerEvents(code)).filter(
      (e) => e.kind === 'summer_camp' && e.startsOn.startsWith(`${year}-`) && e.outcome !== 'cancelled',
    );
    const figures: AnnualFigures = {
      ...registryFigures(totals.counts, yearCounts(totals, year)),
      ...(await donationFigures(code, year)),
      summerCamp: {
        events: camps.length,
        participants: camps.reduce((s, e) => s + e.childIds.length, 0),
      },
    };
    const table = [];
    for (const sub of childrenOf(code)) {
      const t = await regionTotals(models, sub.code);
      table.push(regionRow(sub, t.counts, yearCounts(t, year)));
    }
    return {
      region: { code, name, nameEn },
      year,
      figures,
      table,
      paragraph: { zh: paragraphZh(name, year, figures), en: paragraphEn(nameEn, year, figures) },
    };
  }

  async function home(facilityId: string) {
    const doc = await byId<HomeDoc>(models.Homes, facilityId);
    if (!doc?.facility) return null;
    const activities = Object.values(doc.activities).filter((a) => a.status !== 'cancelled');
    const byKind: Counts = {};
    const byMonth: Record<string, { activities: number; byKind: Counts; childAttendances: number }> = {};
    for (const a of activities) {
      byKind[a.kind] = (byKind[a.kind] ?? 0) + 1;
      const m = (byMonth[a.month] ??= { activities: 0, byKind: {}, childAttendances: 0 });
      m.activities += 1;
      m.byKind[a.kind] = (m.byKind[a.kind] ?? 0) + 1;
      m.childAttendances += a.childIds.length;
    }
    const evaluations = Object.values(doc.evaluations).sort((a, b) => a.evaluatedAt.localeCompare(b.evaluatedAt));
    const enrolments = Object.values(doc.enrolments);
    return {
      facilityId,
      ...doc.facility,
      enrolledChildren: new Set(enrolments.filter((e) => e.status === 'enrolled').map((e) => e.childId)).size,
      childrenEverEnrolled: new Set(enrolments.map((e) => e.childId)).size,
      activities: {
        total: activities.length,
        byKind,
        byMonth: Object.entries(byMonth)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([month, m]) => ({ month, ...m })),
      },
      evaluations,
      latestEvaluation: evaluations.at(-1) ?? null,
      fundingFen: Object.values(doc.funding).reduce((s, f) => s + f.amountFen, 0),
    };
  }

  async function donations(canSee: (regionCode: string) => boolean, cityWide: boolean) {
    const all = (await models.Donations.collection.find({}).toArray()) as unknown as DonationDoc[];
    const donors = new Map<
      string,
      {
        donorId: string;
        displayName: string;
        donorKind: string;
        donations: number;
        receivedValueFen: number;
        receivedQuantity: number;
        allocatedValueFen: number;
        deliveredQuantity: number;
        deliveredAmountFen: number;
      }
    >();
    const recipients = new Map<
      string,
      {
        recipientId: string;
        recipientKind: string;
        name: string;
        regionCode: string;
        allocatedQuantity: number;
        allocatedAmountFen: number;
        allocatedValueFen: number;
        dispatchedQuantity: number;
        deliveredQuantity: number;
        deliveredAmountFen: number;
      }
    >();
    const months = new Map<string, { receivedValueFen: number; donations: number }>();
    for (const d of all) {
      if (cityWide && d.status !== 'cancelled') {
        const donor = donors.get(d.donorId) ?? {
          donorId: d.donorId,
          displayName: d.donorDisplayName,
          donorKind: d.donorKind,
          donations: 0,
          receivedValueFen: 0,
          receivedQuantity: 0,
          allocatedValueFen: 0,
          deliveredQuantity: 0,
          deliveredAmountFen: 0,
        };
        donor.donations += 1;
        donor.receivedValueFen += d.receivedValueFen;
        donor.receivedQuantity += d.receivedQuantity;
        donor.allocatedValueFen += Object.values(d.allocations).reduce((s, a) => s + a.valueFen, 0);
        for (const k of Object.values(d.acknowledgements)) {
          donor.deliveredQuantity += k.quantityReceived;
          donor.deliveredAmountFen += k.amountFen;
        }
        donors.set(d.donorId, donor);
        const month = months.get(d.receivedOn.slice(0, 7)) ?? { receivedValueFen: 0, donations: 0 };
        month.receivedValueFen += d.receivedValueFen;
        month.donations += 1;
        months.set(d.receivedOn.slice(0, 7), month);
      }
      for (const [allocationId, a] of Object.entries(d.allocations)) {
        if (!canSee(a.recipientRegionCode)) continue;
        const r = recipients.get(a.recipientId) ?? {
          recipientId: a.recipientId,
          recipientKind: a.recipientKind,
          name: a.recipientName,
          regionCode: a.recipientRegionCode,
          allocatedQuantity: 0,
          allocatedAmountFen: 0,
          allocatedValueFen: 0,
          dispatchedQuantity: 0,
          deliveredQuantity: 0,
          deliveredAmountFen: 0,
        };
        r.allocatedQuantity += a.quantity;
        r.allocatedAmountFen += a.amountFen;
        r.allocatedValueFen += a.valueFen;
        for (const s of Object.values(d.shipments))
          if (s.allocationId === allocationId) r.dispatchedQuantity += s.quantity;
        for (const k of Object.values(d.acknowledgements)) {
          if (k.allocationId !== allocationId) continue;
          r.deliveredQuantity += k.quantityReceived;
          r.deliveredAmountFen += k.amountFen;
        }
        recipients.set(a.recipientId, r);
      }
    }
    const byId = <T extends object>(m: Map<string, T>) =>
      [...m.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, v]) => v);
    return {
      donors: byId(donors),
      recipients: byId(recipients),
      months: [...months.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([month, m]) => ({ month, ...m })),
    };
  }

  async function volunteers(region: string) {
    const events = (await volunteerEvents(canonical(region))).filter((e) => e.outcome !== 'cancelled');
    const byKind: Counts = {};
    const months = new Map<string, { events: number; childParticipants: number; confirmedMinutes: number }>();
    for (const e of events) {
      byKind[e.kind] = (byKind[e.kind] ?? 0) + 1;
      const m = months.get(e.startsOn.slice(0, 7)) ?? { events: 0, childParticipants: 0, confirmedMinutes: 0 };
      m.events += 1;
      m.childParticipants += e.childIds.length;
      m.confirmedMinutes += e.confirmedMinutes;
      months.set(e.startsOn.slice(0, 7), m);
    }
    const minutes = events.reduce((s, e) => s + e.confirmedMinutes, 0);
    return {
      events: events.length,
      byKind,
      childParticipants: events.reduce((s, e) => s + e.childIds.length, 0),
      childrenAttended: events.reduce((s, e) => s + e.attendedChildIds.length, 0),
      volunteerAssignments: events.reduce((s, e) => s + e.volunteerIds.length, 0),
      confirmedMinutes: minutes,
      confirmedHours: Math.round((minutes / 60) * 100) / 100,
      months: [...months.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([month, m]) => ({ month, ...m })),
    };
  }

  async function timeline(childId: string) {
    const child = await byId<ChildDoc>(models.Children, childId);
    if (!child) return null;
    const doc = await byId<TimelineDoc>(models.Timelines, childId);
    const entries = Object.entries(doc?.entries ?? {})
      .map(([key, e]) => ({ key, ...e }))
      .sort((a, b) => a.at.localeCompare(b.at) || Number(a.tie ?? 0) - Number(b.tie ?? 0) || a.key.localeCompare(b.key))
      .map(({ key: _key, tie: _tie, ...e }): TimelineEntry & { facilityId?: string } => e);
    // Home names are looked up now, not stored: a child's events and the home's arrive on different
    // topics in no fixed order, and a stored name would depend on that order (and go stale on renames).
    const names = new Map<string, string>();
    for (const facilityId of new Set(
      entries.map((e) => e.facilityId).filter((f): f is string => typeof f === 'string'),
    )) {
      const home = await byId<HomeDoc>(models.Homes, facilityId);
      if (home?.facility) names.set(facilityId, home.facility.name);
    }
    return {
      child,
      entries: entries.map((e) =>
        typeof e.facilityId === 'string' && names.has(e.facilityId)
          ? { ...e, facilityName: names.get(e.facilityId) }
          : e,
      ),
    };
  }

  return { regionStats, annual, home, donations, volunteers, timeline };
}
export type Queries = ReturnType<typeof createQueries>;
