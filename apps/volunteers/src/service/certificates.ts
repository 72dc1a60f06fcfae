/**
 * The certificate of service hours (志愿服务时长证明) of one volunteer: every event where the
 * organiser confirmed their minutes, as JSON or as a one-sheet .xlsx (exceljs).
 */
import ExcelJS from 'exceljs';

import { beijingDate } from '../domain/dates.js';
import type { EventDoc, OrganisationDoc, VolunteerDoc, VolunteerModels } from '../persistence/models.js';

export interface Certificate {
  volunteerId: string;
  name: string;
  organisation: string;
  issuedOn: string;
  entries: {
    eventId: string;
    title: string;
    organiser: string;
    startsOn: string;
    endsOn: string;
    minutes: number;
    confirmedOn: string;
  }[];
  totalMinutes: number;
  /** Hours with one decimal, e.g. "12.5". */
  totalHours: string;
}

export async function certificateOf(models: VolunteerModels, volunteer: VolunteerDoc, now: Date): Promise<Certificate> {
  const events = await models.Events.find({ 'hours.volunteerId': volunteer._id }, { outbox: 0 })
    .sort({ startsOn: 1 })
    .lean<EventDoc[]>();
  const orgIds = [...new Set([volunteer.organisationIds[0]!, ...events.map((e) => e.organisationId)])];
  const orgs = await models.Organisations.find({ _id: { $in: orgIds } }).lean<OrganisationDoc[]>();
  const orgName = (id: string) => orgs.find((o) => o._id === id)?.name ?? id;
  const entries = events.flatMap((e) =>
    e.hours
      .filter((h) => h.volunteerId === volunteer._id)
      .map((h) => ({
        eventId: e._id,
        title: e.title,
        organiser: orgName(e.organisationId),
        startsOn: e.startsOn,
        endsOn: e.endsOn,
        minutes: h.minutes,
        confirmedOn: beijingDate(new Date(h.confirmedAt)),
      })),
  );
  const totalMinutes = entries.reduce((sum, e) => sum + e.minutes, 0);
  return {
    volunteerId: volunteer._id,
    name: volunteer.name,
    organisation: orgName(volunteer.organisationIds[0]!),
    issuedOn: beijingDate(now),
    entries,
    totalMinutes,
    totalHours: (Math.round(totalMinutes / 6) / 10).toFixed(1),
  };
}

export async function certificateWorkbook(certificate: Certificate): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '童心平台';
  const sheet = workbook.addWorksheet('志愿服务时长证明');
  sheet.addRow(['志愿服务时长证明']).font = { bold: true, size: 14 };
  sheet.addRow([`志愿者：${certificate.name}`, `所属组织：${certificate.organisation}`]);
  sheet.addRow([`出具日期：${certificate.issuedOn}`]);
  sheet.addRow([]);
  sheet.addRow(['活动', '组织方', '开始日期', '结束日期', '确认时长（分钟）', '确认日期']).font = { bold: true };
  for (const e of certificate.entries) {
    sheet.addRow([e.title, e.organiser, e.startsOn, e.endsOn, e.minutes, e.confirmedOn]);
  }
  sheet.addRow([]);
  sheet.addRow(['合计', '', '', '', certificate.totalMinutes, `${certificate.totalHours} 小时`]).font = { bold: true };
  sheet.columns.forEach((column, index) => (column.width = index === 0 ? 30 : 16));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
