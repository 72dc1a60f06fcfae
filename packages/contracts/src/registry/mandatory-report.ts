/**
 * `registry.report.v1`: mandatory reports (强制报告) of a child at risk. The reporter's
 * organisation name, contact and the report's narrative stay in the registry; events carry the
 * reporter's kind and the timestamps that make timeliness measurable.
 */
import { z } from 'zod';

import { defineEvent } from '../events.js';

import { ZEntityId, ZIsoDateTime, ZRegionCode } from './fields.js';

export const REPORT_TOPIC = 'registry.report.v1';

export const ZReporterKind = z.enum([
  'school',
  'village_committee',
  'rescue_station',
  'welfare_institution',
  'hospital',
  'police',
  'social_work_org',
  'other',
]);
export const ZReportStatus = z.enum(['received', 'acknowledged', 'linked', 'dismissed']);
export const ZDismissalReason = z.enum(['duplicate', 'unfounded', 'outside_jurisdiction', 'other']);

export const ZReportSnapshot = z.object({
  reportId: ZEntityId,
  regionCode: ZRegionCode,
  reporterKind: ZReporterKind,
  status: ZReportStatus,
  receivedAt: ZIsoDateTime,
  /** When acknowledgement is due (the configured time limit after receipt). */
  dueAt: ZIsoDateTime,
  acknowledgedAt: ZIsoDateTime.optional(),
  childId: ZEntityId.optional(),
  caseId: ZEntityId.optional(),
});
export type ReportSnapshot = z.infer<typeof ZReportSnapshot>;

export const ZReportReceivedData = ZReportSnapshot;
export const ReportReceived = defineEvent({
  type: 'registry.report.received',
  version: 1,
  topic: REPORT_TOPIC,
  data: ZReportReceivedData,
  description:
    'A mandatory report (强制报告) was received from a school, village committee, institution, hospital or police.',
});

export const ZReportAcknowledgedData = ZReportSnapshot.extend({ acknowledgedAt: ZIsoDateTime });
export const ReportAcknowledged = defineEvent({
  type: 'registry.report.acknowledged',
  version: 1,
  topic: REPORT_TOPIC,
  data: ZReportAcknowledgedData,
  description: 'An officer acknowledged the report; acknowledgedAt against dueAt measures timeliness.',
});

export const ZReportLinkedData = ZReportSnapshot.extend({ childId: ZEntityId, linkedAt: ZIsoDateTime });
export const ReportLinked = defineEvent({
  type: 'registry.report.linked',
  version: 1,
  topic: REPORT_TOPIC,
  data: ZReportLinkedData,
  description:
    'The report was linked to a child on the register (existing or newly registered), and to the case opened for it if any.',
});

export const ZReportDismissedData = ZReportSnapshot.extend({ reason: ZDismissalReason, dismissedAt: ZIsoDateTime });
export const ReportDismissed = defineEvent({
  type: 'registry.report.dismissed',
  version: 1,
  topic: REPORT_TOPIC,
  data: ZReportDismissedData,
  description: 'The report was dismissed with a reason code.',
});

export const reportEvents = [ReportReceived, ReportAcknowledged, ReportLinked, ReportDismissed] as const;
