/**
 * Department lists through HTTP on the real stack: the template, uploads as jobs with per-row or
 * per-file reports and nothing stored on error, cross-checking three overlapping lists (exact,
 * fuzzy and conflicting matches), review, applying to the register, and the ledger export re-read.
 */
import { makeResidentId } from '@tongxin/contracts/values';
import { waitFor } from '@tongxin/testkit';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { readLedger } from '../src/ledger/index.js';
import {
  ANDING_TOWN,
  CHANGFENG_VILLAGE,
  FUSHOU_VILLAGE,
  startRegistry,
  townshipOfficer,
  type Api,
  type RunningRegistry,
} from './support/harness.js';

type Row = Record<string, string>;

function csvOf(rows: Row[], headers = [...new Set(rows.flatMap((r) => Object.keys(r)))]): Buffer {
  const quote = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const lines = [headers.join(','), ...rows.map((r) => headers.map((h) => quote(r[h] ?? '')).join(','))];
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}

async function xlsxOf(rows: Row[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('名单');
  const headers = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  sheet.addRow(headers);
  for (const row of rows) sheet.addRow(headers.map((h) => row[h] ?? ''));
  sheet.columns.forEach((c) => (c.numFmt = '@'));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const id = (birthDate: string, sex: 'male' | 'female', sequence: number) =>
  makeResidentId({ regionCode: '430626', birthDate, sex, sequence });

const base = (name: string, sex: '男' | '女', birthDate: string, village = FUSHOU_VILLAGE): Row => ({
  姓名: name,
  性别: sex,
  出生日期: birthDate,
  '现居住地村（社区）代码': village,
});
const leftBehind: Row = { 父亲状况: '外出务工', 母亲状况: '外出务工', 户籍性质: '农业' };

describe('department lists, cross-checking and the ledger', () => {
  let registry: RunningRegistry;
  let officer: Api;

  beforeAll(async () => {
    registry = await startRegistry();
    officer = await registry.as(townshipOfficer());
  });
  afterAll(async () => {
    await registry?.close();
  });

  async function upload(department: string, file: Buffer, contentType = 'text/csv') {
    const started = await officer.put(`/submissions/${ANDING_TOWN}/${department}?filename=list`, file, contentType);
    if (started.status !== 202) return started;
    return waitFor(
      async () => {
        const job = await officer.get(`/submissions/${started.body.id}`);
        return job.body.status !== 'processing' && job;
      },
      { timeoutMs: 30_000, message: 'the upload job to finish' },
    );
  }
  const storedRows = () => registry.listModels.listCollections();

  it('when the template is downloaded, then it is a workbook with the Chinese headers', async () => {
    const res = await officer.raw('/submissions/template.xlsx');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await res.arrayBuffer()) as never);
    const headers = (workbook.getWorksheet('填报模板')!.getRow(1).values as unknown[]).filter(Boolean).map(String);
    expect(headers).toEqual(expect.arrayContaining(['姓名', '性别', '出生日期', '公民身份号码']));
  });

  it('when a list is broken, then the report names each row, column and problem and nothing is stored', async () => {
    const before = await storedRows();
    const good = id('2014-05-01', 'female', 11);
    const badChecksum = `${good.slice(0, 17)}${good.endsWith('0') ? '1' : '0'}`;
    const broken = csvOf([
      { ...base('甲', '女', '2014-05-01'), 公民身份号码: badChecksum },
      { ...base('乙', '男', '2015-02-30') },
      { ...base('丙', '女', '2013-01-01', '430626101999') },
      { ...base('丁', '男', '2012-06-01'), 公民身份号码: id('2012-06-01', 'male', 12) },
      { ...base('丁', '男', '2012-06-01'), 公民身份号码: id('2012-06-01', 'male', 12) },
    ]);
    const job = await upload('civil_affairs', broken);
    expect(job.body.status).toBe('rejected');
    const issues = job.body.issues as { row: number; column: string; code: string; messageZh: string }[];
    const at = (row: number) => issues.filter((i) => i.row === row).map((i) => i.code);
    expect(at(2)).toContain('bad_checksum');
    expect(at(3)).toContain('impossible_date');
    expect(at(4)).toContain('unknown_region');
    expect(at(6)).toContain('duplicate_row');
    expect(issues.every((i) => i.messageZh.length > 0 && i.column !== undefined)).toBe(true);
    expect(JSON.stringify(issues)).not.toContain(badChecksum);
    expect(await storedRows()).toBe(before);

    const wrongHeaders = await upload('civil_affairs', csvOf([{ 名字: '甲', 性别: '女', 生日: '2014-05-01' }]));
    expect(wrongHeaders.body.status).toBe('rejected');
    expect(wrongHeaders.body.issues.map((i: { code: string }) => i.code)).toEqual(
      expect.arrayContaining(['unknown_column', 'missing_column']),
    );

    const empty = await upload('civil_affairs', Buffer.alloc(0));
    expect(empty.body.issues[0].code).toBe('empty_file');

    const png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(200, 1)]);
    const renamed = await upload(
      'civil_affairs',
      png,
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(renamed.body.status).toBe('rejected');
    expect(renamed.body.issues[0].code).toBe('unsupported_file');

    const zipNotWorkbook = Buffer.concat([Buffer.from('504b0304', 'hex'), Buffer.alloc(100, 7)]);
    const notXlsx = await upload(
      'civil_affairs',
      zipNotWorkbook,
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(notXlsx.body.issues[0].code).toBe('not_a_workbook');
    expect(await storedRows()).toBe(before);
  });

  it('when a 50 MB file is uploaded, then 413 names the limit and nothing is stored', async () => {
    const before = await registry.listModels.Submissions.countDocuments();
    const big = Buffer.alloc(50 * 1024 * 1024, 0x41);
    const res = await officer.put(`/submissions/${ANDING_TOWN}/civil_affairs`, big, 'text/csv');
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ code: 'payload_too_large', limit: '20mb' });
    expect(await registry.listModels.Submissions.countDocuments()).toBe(before);
  });

  it('when a clerk submits another department’s list or a township outside scope, then it is refused', async () => {
    const clerk = await registry.as({
      sub: 'clerk',
      name: '教育局',
      roles: ['department_clerk'],
      regions: ['430626'],
      department: 'education',
    });
    const file = csvOf([base('甲', '女', '2014-05-01')]);
    expect((await clerk.put(`/submissions/${ANDING_TOWN}/public_security`, file, 'text/csv')).status).toBe(403);
    expect((await officer.put(`/submissions/430602001/civil_affairs`, file, 'text/csv')).status).toBe(404);
  });

  it('when three overlapping lists are cross-checked, reviewed and applied, then the register and the ledger hold each child once with the source of each fact', async () => {
    const idRed = id('2014-05-01', 'female', 21);
    const idWei = id('2012-09-09', 'male', 23);
    const idJing = id('2013-05-03', 'female', 24);
    const civil = csvOf([
      // exact on ID with the other two; says nobody looks after her
      { ...base('李小红', '女', '2014-05-01'), 公民身份号码: idRed, ...leftBehind, 监护状况: '无人监护' },
      // 王晓明 / 王小明: same pinyin, same birth date and village, no IDs
      {
        ...base('王晓明', '男', '2011-07-15', CHANGFENG_VILLAGE),
        ...leftBehind,
        监护人姓名: '王奶奶',
        监护人关系: '祖母',
        监护状况: '有人监护',
      },
      // 陈静 with day and month swapped against the police list
      { ...base('陈静', '女', '2013-03-05'), ...leftBehind },
      // two different children called 刘洋
      { ...base('刘洋', '男', '2010-01-20'), ...leftBehind },
      // only civil affairs knows her
      { ...base('赵敏', '女', '2015-11-11'), ...leftBehind },
    ]);
    const education = await xlsxOf([
      {
        ...base('李小红', '女', '2014-05-01'),
        公民身份号码: idRed,
        就学状态: '在校',
        就读学校: '安定镇中心小学',
        监护状况: '有人监护',
      },
      { ...base('张伟', '男', '2012-09-09'), 就学状态: '寄宿' },
      { ...base('王小明', '男', '2011-07-15', CHANGFENG_VILLAGE), 就学状态: '在校' },
      { ...base('刘洋', '男', '2011-08-30'), 就学状态: '在校' },
    ]);
    const police = csvOf([
      { ...base('李小红', '女', '2014-05-01'), 公民身份号码: idRed, 户籍状态: '已登记', 户籍性质: '农业' },
      { ...base('張偉', '男', '2012-09-09'), 公民身份号码: idWei, 户籍状态: '已登记', 户籍性质: '农业', ...leftBehind },
      { ...base('陈静', '女', '2013-05-03'), 公民身份号码: idJing, 户籍状态: '已登记' },
    ]);
    expect((await upload('civil_affairs', civil)).body.status).toBe('stored');
    const eduJob = await upload(
      'education',
      education,
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(eduJob.body).toMatchObject({ status: 'stored', progress: { rowsRead: 4, rowsValidated: 4, rowsStored: 4 } });
    expect((await upload('public_security', police)).body.status).toBe('stored');

    const run = await officer.post('/reconciliations', { township: ANDING_TOWN });
    expect(run.status).toBe(201);
    type Group = {
      groupId: string;
      kind: string;
      members: { source: string; rowId: string }[];
      needsReview: boolean;
      decision: string;
      reasons: { field: string; outcome: string; detailZh: string }[];
      conflicts: { field: string; values: { source: string; value: string }[] }[];
    };
    const groups = run.body.groups as Group[];
    const groupWith = (source: string, row: number) =>
      groups.find((g) => g.members.some((m) => m.source === source && m.rowId === String(row)))!;

    const red = groupWith('civil_affairs', 2);
    expect(red.kind).toBe('exact');
    expect(red.members).toHaveLength(3);
    expect(red.reasons.find((r) => r.field === 'idNumber')?.outcome).toBe('equal');
    const supervision = red.conflicts.find((c) => c.field === 'supervision');
    expect(supervision?.values).toEqual(
      expect.arrayContaining([
        { source: 'civil_affairs', value: 'unsupervised' },
        { source: 'education', value: 'supervised' },
      ]),
    );

    const wei = groupWith('public_security', 3);
    expect(wei.kind).toBe('fuzzy');
    expect(wei.members.map((m) => m.source).sort()).toEqual(['education', 'public_security']);
    expect(wei.reasons.find((r) => r.field === 'name')?.detailZh).toBeTruthy();

    const ming = groupWith('civil_affairs', 3);
    expect(ming.members.map((m) => m.source).sort()).toEqual(['civil_affairs', 'education']);
    expect(ming.reasons.find((r) => r.field === 'name')?.outcome).toBe('similar');

    const jing = groupWith('civil_affairs', 4);
    expect(jing.members.map((m) => m.source).sort()).toEqual(['civil_affairs', 'public_security']);
    expect(jing.reasons.find((r) => r.field === 'birthDate')?.outcome).toBe('similar');

    // The two 刘洋 are different children.
    expect(groupWith('civil_affairs', 5).members).toHaveLength(1);
    expect(groupWith('education', 5).members).toHaveLength(1);

    // Applying waits for the review; the reviewer accepts every proposal, fixing 陈静's birth date.
    const pending = groups.filter((g) => g.decision === 'pending');
    if (pending.length > 0) {
      const early = await officer.post(`/reconciliations/${run.body.id}/apply`);
      expect(early.status).toBe(409);
      expect(early.body.code).toBe('review_pending');
    }
    for (const group of pending) {
      const decided = await officer.post(
        `/reconciliations/${run.body.id}/groups/${encodeURIComponent(group.groupId)}`,
        {
          decision: 'accepted',
          ...(group.groupId === jing.groupId ? { edits: { birthDate: '2013-05-03' } } : {}),
        },
      );
      expect(decided.status).toBe(200);
    }
    const applied = await officer.post(`/reconciliations/${run.body.id}/apply`);
    expect(applied.status).toBe(200);
    expect(applied.body.status).toBe('applied');

    const list = await officer.get('/children?region=430626101&pageSize=200');
    const names = list.body.items.map((c: { name: string }) => c.name).sort();
    expect(names).toEqual(['刘洋', '刘洋', '张伟', '李小红', '王晓明', '赵敏', '陈静'].sort());
    const redChild = list.body.items.find((c: { name: string }) => c.name === '李小红');
    const detail = await officer.get(`/children/${redChild.id}`);
    expect(detail.body.factSources).toMatchObject({
      idNumber: 'public_security',
      hukou: 'public_security',
      schooling: 'education',
      supervision: 'civil_affairs',
    });
    expect(detail.body.categories).toEqual(['left_behind']);
    expect(detail.body.supervision).toBe('unsupervised');
    expect(detail.body.schooling.school).toBe('安定镇中心小学');

    // Applying the same reconciliation again changes nothing.
    await officer.post(`/reconciliations/${run.body.id}/apply`);
    expect((await officer.get('/children?region=430626101&pageSize=200')).body.total).toBe(7);

    // The ledger, re-read: one row per child and totals that add up.
    const res = await officer.raw(`/ledger/${ANDING_TOWN}`);
    expect(res.status).toBe(200);
    const file = Buffer.from(await res.arrayBuffer());
    const ledger = await readLedger(file);
    const categorised = list.body.items.filter((c: { categories: string[] }) => c.categories.length > 0).length;
    expect(categorised).toBeGreaterThanOrEqual(4);
    expect(ledger.children).toBe(categorised);
    const expectedLeftBehind = list.body.items.filter((c: { categories: string[] }) =>
      c.categories.includes('left_behind'),
    ).length;
    const totals = ledger.totals;
    expect(Object.values(totals)).toContain(categorised);
    expect(Object.entries(totals).find(([label]) => label.includes('留守'))?.[1]).toBe(expectedLeftBehind);
    expect(ledger.checks.length).toBeGreaterThan(0);
    expect(ledger.checks.filter((c) => !c.holds)).toEqual([]);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file as never);
    const cells: string[] = [];
    workbook.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((cell) => cells.push(String(cell.value)))));
    expect(cells).toContain('李小红');
    expect(cells.join('|')).not.toContain(idRed);
  });
});
