/**
 * The annual situation report (年度工作情况): the "basic situation" (一、基本情况) paragraph of the
 * Yueyang 2018 reply, regenerated from the read models. Every figure is computed by the caller from
 * the read models and passed in; this module only words them (zh-CN first, then English).
 */
import { formatYuan, formatYuanZh } from '@tongxin/contracts/values';

import type { Counts } from './tally.js';

export interface CohortFigure {
  /** Cases of this kind opened in the year. */
  cases: number;
  /** Of those, how many reached their purpose (guardian assigned, back at school, hukou registered). */
  succeeded: number;
}

export interface RegionRow {
  code: string;
  name: string;
  /** The English name where the region has one, else `name`. */
  nameEn: string;
  leftBehind: number;
  inDifficulty: number;
  unsupervised: number;
  guardiansAssigned: number;
  dropoutsReturned: number;
  hukouRegistered: number;
  rightsIncidentsHandled: number;
  parentsEducated: number;
  reportsReceived: number;
  reportsOnTime: number;
  homes: number;
}

export interface AnnualFigures {
  /** Active children, now (the register's current state). */
  leftBehind: number;
  inDifficulty: number;
  inDifficultyByType: Record<string, number>;
  unsupervisedNow: number;
  unsupervisedGivenGuardian: CohortFigure;
  dropoutsReturned: CohortFigure;
  hukouRegistered: CohortFigure;
  /** Rights-protection cases resolved in the year. */
  rightsIncidentsHandled: number;
  /** Parent-education cases resolved in the year with parents educated. */
  negligentParentsEducated: number;
  mandatoryReports: { received: number; acknowledged: number; onTime: number; late: number };
  /** Open children's homes, now. */
  homes: number;
  /** Money: received by the platform in the year (city report) or allocated to recipients in the region. */
  funds: { fen: number; basis: 'received' | 'allocated' };
  books: { quantity: number; valueFen: number; recipients: number; donors: number };
  summerCamp: { events: number; participants: number };
}

export interface AnnualReport {
  /** `nameEn`: the English name where the region has one, else the Chinese name. */
  region: { code: string; name: string; nameEn: string };
  year: number;
  figures: AnnualFigures;
  /** One row per direct sub-region (county for the city, township for a county…). */
  table: RegionRow[];
  paragraph: { zh: string; en: string };
}

const succeededOf = (year: Counts, type: string): CohortFigure => ({
  cases: year[`cases:opened:${type}`] ?? 0,
  succeeded: year[`cases:opened_succeeded:${type}`] ?? 0,
});

/** The registry-derived figures of one region: current counts and the year's flows. */
export function registryFigures(now: Counts, year: Counts) {
  const byType: Record<string, number> = {};
  for (const [key, value] of Object.entries(now))
    if (key.startsWith('children:difficulty:')) byType[key.slice('children:difficulty:'.length)] = value;
  return {
    leftBehind: now['children:left_behind'] ?? 0,
    inDifficulty: now['children:in_difficulty'] ?? 0,
    inDifficultyByType: byType,
    unsupervisedNow: now['children:unsupervised'] ?? 0,
    unsupervisedGivenGuardian: succeededOf(year, 'guardian_assignment'),
    dropoutsReturned: succeededOf(year, 'return_to_school'),
    hukouRegistered: succeededOf(year, 'hukou_registration'),
    rightsIncidentsHandled: year['cases:resolved:rights_protection'] ?? 0,
    negligentParentsEducated: year['cases:succeeded:parent_education'] ?? 0,
    mandatoryReports: {
      received: year['reports:received'] ?? 0,
      acknowledged: year['reports:acknowledged'] ?? 0,
      onTime: year['reports:on_time'] ?? 0,
      late: year['reports:late'] ?? 0,
    },
    homes: now['homes:open'] ?? 0,
  };
}

export function regionRow(
  region: { code: string; name: string; nameEn?: string },
  now: Counts,
  year: Counts,
): RegionRow {
  const f = registryFigures(now, year);
  return {
    code: region.code,
    name: region.name,
    nameEn: region.nameEn ?? region.name,
    leftBehind: f.leftBehind,
    inDifficulty: f.inDifficulty,
    unsupervised: f.unsupervisedGivenGuardian.cases,
    guardiansAssigned: f.unsupervisedGivenGuardian.succeeded,
    dropoutsReturned: f.dropoutsReturned.succeeded,
    hukouRegistered: f.hukouRegistered.succeeded,
    rightsIncidentsHandled: f.rightsIncidentsHandled,
    parentsEducated: f.negligentParentsEducated,
    reportsReceived: f.mandatoryReports.received,
    reportsOnTime: f.mandatoryReports.onTime,
    homes: f.homes,
  };
}

const n = (value: number) => value.toLocaleString('en-US');

function cohortZh(f: CohortFigure, who: string, done: string, all: string): string {
  if (f.cases === 0) return '';
  return f.succeeded === f.cases ? `${f.cases}名${who}${all}，` : `${f.cases}名${who}中${f.succeeded}名${done}，`;
}

function cohortEn(f: CohortFigure, who: string, done: string): string {
  if (f.cases === 0) return '';
  return f.succeeded === f.cases
    ? `all ${n(f.cases)} ${who} ${done}; `
    : `${n(f.succeeded)} of ${n(f.cases)} ${who} ${done}; `;
}

export function paragraphZh(regionName: string, year: number, f: AnnualFigures): string {
  const parts = [
    `${regionName}共有农村留守儿童${f.leftBehind}人，困境儿童${f.inDifficulty}人。`,
    `${year}年，`,
    cohortZh(f.unsupervisedGivenGuardian, '无人监护儿童', '已安排监护人员', '全部安排监护人员'),
    cohortZh(f.dropoutsReturned, '辍学儿童', '已复学', '全部复学'),
    cohortZh(f.hukouRegistered, '无户籍儿童', '已上户', '已全部上户'),
    `共调处留守儿童权益保障事件${f.rightsIncidentsHandled}起，`,
    `对${f.negligentParentsEducated}名失职父母进行了批评教育。`,
    f.funds.fen > 0 ? `${f.funds.basis === 'received' ? '争取资金' : '投入资金'}${formatYuanZh(f.funds.fen)}，` : '',
    `建成${f.homes}个“农村留守儿童之家”。`,
    f.mandatoryReports.received > 0
      ? `全年接到强制报告${f.mandatoryReports.received}件，已受理${f.mandatoryReports.acknowledged}件，其中按时受理${f.mandatoryReports.onTime}件。`
      : '',
    f.books.quantity > 0
      ? `${f.books.donors}家捐赠方为${f.books.recipients}所学校（单位）捐赠图书${f.books.quantity}册，价值${formatYuanZh(f.books.valueFen)}。`
      : '',
    f.summerCamp.participants > 0 ? `${f.summerCamp.participants}名留守儿童参加了夏令营活动。` : '',
  ];
  return parts.join('').replace(/，。/g, '。');
}

export function paragraphEn(regionName: string, year: number, f: AnnualFigures): string {
  const cohorts = [
    cohortEn(f.unsupervisedGivenGuardian, 'unsupervised children', 'were given a guardian'),
    cohortEn(f.dropoutsReturned, 'children who had dropped out', 'returned to school'),
    cohortEn(f.hukouRegistered, 'children without household registration', 'were registered'),
  ].join('');
  const parts = [
    `${regionName} has ${n(f.leftBehind)} rural left-behind children and ${n(f.inDifficulty)} children in difficulty on the register. `,
    `In ${year}, ${cohorts}${n(f.rightsIncidentsHandled)} rights-protection incidents were handled and ${n(f.negligentParentsEducated)} negligent parents were criticised and educated. `,
    f.funds.fen > 0
      ? `Funds of ${formatYuan(f.funds.fen)} yuan were ${f.funds.basis === 'received' ? 'obtained' : 'allocated'}. `
      : '',
    `${n(f.homes)} rural left-behind children's homes are open. `,
    f.mandatoryReports.received > 0
      ? `${n(f.mandatoryReports.received)} mandatory reports were received, ${n(f.mandatoryReports.acknowledged)} acknowledged, ${n(f.mandatoryReports.onTime)} of them on time. `
      : '',
    f.books.quantity > 0
      ? `${n(f.books.donors)} donors gave ${n(f.books.quantity)} books worth ${formatYuan(f.books.valueFen)} yuan to ${n(f.books.recipients)} schools or homes. `
      : '',
    f.summerCamp.participants > 0
      ? `${n(f.summerCamp.participants)} left-behind children took part in summer camps.`
      : '',
  ];
  return parts.join('').trim();
}

export const COLUMNS: readonly { key: keyof RegionRow; zh: string; en: string }[] = [
  { key: 'name', zh: '地区', en: 'Region' },
  { key: 'code', zh: '区划代码', en: 'Code' },
  { key: 'leftBehind', zh: '留守儿童', en: 'Left-behind children' },
  { key: 'inDifficulty', zh: '困境儿童', en: 'Children in difficulty' },
  { key: 'unsupervised', zh: '无人监护（年内立案）', en: 'Unsupervised (cases opened)' },
  { key: 'guardiansAssigned', zh: '已安排监护', en: 'Guardian assigned' },
  { key: 'dropoutsReturned', zh: '辍学复学', en: 'Dropouts returned' },
  { key: 'hukouRegistered', zh: '无户籍上户', en: 'Hukou registered' },
  { key: 'rightsIncidentsHandled', zh: '权益保障事件', en: 'Rights incidents handled' },
  { key: 'parentsEducated', zh: '失职父母教育', en: 'Parents educated' },
  { key: 'reportsReceived', zh: '强制报告', en: 'Mandatory reports' },
  { key: 'reportsOnTime', zh: '按时受理', en: 'Acknowledged on time' },
  { key: 'homes', zh: '留守儿童之家', en: "Children's homes" },
];

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function tableHtml(rows: RegionRow[], lang: 'zh' | 'en'): string {
  const head = COLUMNS.map((c) => `<th>${escape(c[lang])}</th>`).join('');
  const body = rows
    .map(
      (r) =>
        `<tr>${COLUMNS.map((c) => `<td>${escape(String(lang === 'en' && c.key === 'name' ? r.nameEn : r[c.key]))}</td>`).join('')}</tr>`,
    )
    .join('\n');
  return `<table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

export function annualHtml(report: AnnualReport, lang: 'zh' | 'en' | 'both'): string {
  const sections: string[] = [];
  if (lang !== 'en')
    sections.push(
      `<section lang="zh-CN">\n<h1>${escape(report.region.name)}${report.year}年农村留守儿童和困境儿童关爱保护工作情况</h1>\n<h2>一、基本情况</h2>\n<p>${escape(report.paragraph.zh)}</p>\n<h2>分地区统计</h2>\n${tableHtml(report.table, 'zh')}\n</section>`,
    );
  if (lang !== 'zh')
    sections.push(
      `<section lang="en">\n<h1>${escape(report.region.nameEn)} (${report.region.code}): care and protection of left-behind children and children in difficulty, ${report.year}</h1>\n<h2>1. Basic situation</h2>\n<p>${escape(report.paragraph.en)}</p>\n<h2>By region</h2>\n${tableHtml(report.table, 'en')}\n</section>`,
    );
  return `<!doctype html>\n<html lang="${lang === 'en' ? 'en' : 'zh-CN'}">\n<head><meta charset="utf-8"><title>${escape(report.region.name)} ${report.year}</title>\n<style>body{font-family:sans-serif;max-width:60em;margin:auto}table{border-collapse:collapse}td,th{border:1px solid #999;padding:.2em .5em;text-align:right}td:first-child{text-align:left}</style></head>\n<body>\n${sections.join('\n<hr>\n')}\n</body>\n</html>\n`;
}
