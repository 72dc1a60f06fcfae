/** The annual report as .xlsx: the paragraph and its figures, then the table per sub-region. */
import ExcelJS from 'exceljs';

import { COLUMNS, type AnnualReport } from '../domain/annual.js';

export async function annualWorkbook(report: AnnualReport): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Tongxin reporting';
  const f = report.figures;
  const summary = wb.addWorksheet('基本情况');
  summary.columns = [
    { header: '指标', key: 'zh', width: 34 },
    { header: 'Indicator', key: 'en', width: 44 },
    { header: '数值 Value', key: 'value', width: 16 },
  ];
  const rows: [string, string, number][] = [
    ['农村留守儿童（人）', 'Left-behind children', f.leftBehind],
    ['困境儿童（人）', 'Children in difficulty', f.inDifficulty],
    ...Object.entries(f.inDifficultyByType).map(
      ([type, count]) => [`困境儿童：${type}`, `In difficulty: ${type}`, count] as [string, string, number],
    ),
    ['无人监护儿童（年内立案）', 'Unsupervised children (cases opened)', f.unsupervisedGivenGuardian.cases],
    ['其中已安排监护人员', 'of whom given a guardian', f.unsupervisedGivenGuardian.succeeded],
    ['辍学儿童（年内立案）', 'Dropouts (cases opened)', f.dropoutsReturned.cases],
    ['其中已复学', 'of whom returned to school', f.dropoutsReturned.succeeded],
    ['无户籍儿童（年内立案）', 'Without hukou (cases opened)', f.hukouRegistered.cases],
    ['其中已上户', 'of whom registered', f.hukouRegistered.succeeded],
    ['调处权益保障事件（起）', 'Rights incidents handled', f.rightsIncidentsHandled],
    ['批评教育失职父母（名）', 'Negligent parents educated', f.negligentParentsEducated],
    ['强制报告（件）', 'Mandatory reports received', f.mandatoryReports.received],
    ['按时受理（件）', 'Acknowledged on time', f.mandatoryReports.onTime],
    ['逾期受理（件）', 'Acknowledged late', f.mandatoryReports.late],
    ['农村留守儿童之家（个）', "Children's homes open", f.homes],
    [
      f.funds.basis === 'received' ? '获得资金（元）' : '投入资金（元）',
      f.funds.basis === 'received' ? 'Funds received (yuan)' : 'Funds allocated (yuan)',
      f.funds.fen / 100,
    ],
    ['捐赠图书（册）', 'Books donated', f.books.quantity],
    ['图书价值（元）', 'Value of books (yuan)', f.books.valueFen / 100],
    ['受赠学校（单位）', 'Recipients of books', f.books.recipients],
    ['夏令营参加儿童（人）', 'Children at summer camps', f.summerCamp.participants],
  ];
  for (const [zh, en, value] of rows) summary.addRow({ zh, en, value });
  summary.addRow({});
  summary.addRow({ zh: report.paragraph.zh });
  summary.addRow({ zh: report.paragraph.en });
  summary.getRow(1).font = { bold: true };

  const table = wb.addWorksheet('分地区统计');
  table.columns = COLUMNS.map((c) => ({ header: `${c.zh} ${c.en}`, key: c.key, width: 16 }));
  for (const row of report.table) table.addRow(row);
  table.getRow(1).font = { bold: true };
  return Buffer.from(await wb.xlsx.writeBuffer());
}
